"""``[[ignore]]`` entries of a claims file: each dismisses one finding on purpose, with a reason.

An entry names a finding of the coverage check by its ``text`` (as written in the statement)
and/or its statement ``line`` (and, optionally, its ``kind``), or a claim of the file by
``claim = "id"``; its ``reason`` is required. Malformed entries are claims-file errors naming
the file, the line and the field, like every other problem of a claims file; the parsing of one
``[[ignore]]`` array is public (:func:`claimcheck.claimsfile.ignore_entries`), for any TOML file
that holds such entries.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import claimcheck
from claimcheck.claimsfile import ignore_entries
from claimcheck.errors import ClaimsFileError, Problem
from claimcheck.model import ClaimKind, Ignore

STATEMENT = "It passed bill L 72 in 2019.\n"
HEAD = (
    '[statement]\nid = "s"\ntext = "statement.md"\n\n'
    '[[claim]]\nid = "year"\nkind = "date"\ntext = "2019"\n'
    '[[claim.source]]\nurl = "https://example.org/"\n\n'
)  # 11 lines; the first [[ignore]] is on line 12


def write(folder: Path, body: str) -> Path:
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    path = folder / "claims.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(path)
    return list(caught.value.problems)


def test_entries_are_read_with_where_they_are(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[ignore]]\ntext = "72"\nreason = "the number of a bill, not a figure"\n\n'
        '[[ignore]]\nline = 1\nkind = "figure"\nreason = "bill numbers"\n\n'
        '[[ignore]]\nclaim = "year"\nreason = "the editors accept it"\n',
    )
    claim_set = claimcheck.load(path)
    assert claim_set.ignores == (
        Ignore("the number of a bill, not a figure", text="72", file=path, file_line=12),
        Ignore("bill numbers", line=1, kind=ClaimKind.FIGURE, file=path, file_line=16),
        Ignore("the editors accept it", claim="year", file=path, file_line=21),
    )
    assert claim_set.ignores[0].place == f"{path}:12"


def test_a_file_without_entries_has_none(tmp_path: Path) -> None:
    assert claimcheck.load(write(tmp_path, "")).ignores == ()


@pytest.mark.parametrize(
    ("body", "field", "line", "message"),
    [
        ('[[ignore]]\ntext = "72"\n', "ignore[1].reason", 12, "missing (required)"),
        ('[[ignore]]\ntext = "72"\nreason = ""\n', "ignore[1].reason", 14, "must not be empty"),
        ('[[ignore]]\nreason = "why"\n', "ignore[1]", 12, "names no finding"),
        ('[[ignore]]\ntext = "72"\nreason = "why"\nby = "me"\n', "ignore[1].by", 15, "unknown"),
        ('[[ignore]]\ntext = 72\nreason = "why"\n', "ignore[1].text", 13, "must be a string"),
        ('[[ignore]]\nline = "3"\nreason = "why"\n', "ignore[1].line", 13, "a line number"),
        ('[[ignore]]\nline = 0\nreason = "why"\n', "ignore[1].line", 13, "a line number"),
        ('[[ignore]]\nline = true\nreason = "why"\n', "ignore[1].line", 13, "a line number"),
        ('[[ignore]]\ntext = "72"\nkind = "number"\nreason = "w"\n', "ignore[1].kind", 14, "kind"),
        (
            '[[ignore]]\nclaim = "year"\ntext = "2019"\nreason = "w"\n',
            "ignore[1].claim",
            13,
            "either",
        ),
        ('[[ignore]]\nclaim = "nope"\nreason = "w"\n', "ignore[1].claim", 13, "no claim 'nope'"),
    ],
)
def test_malformed_entries_are_errors_with_file_line_and_field(
    tmp_path: Path, body: str, field: str, line: int, message: str
) -> None:
    path = write(tmp_path, body)
    problems = problems_of(path)
    assert [(p.file, p.field, p.line) for p in problems] == [(str(path), field, line)]
    assert message in problems[0].message
    assert f"{path}:{line}: {field}:" in str(ClaimsFileError(problems))


@pytest.mark.parametrize(
    ("top", "field", "message"),
    [
        ('ignore = "everything"', "ignore", "must be an array of tables"),
        ("ignore = [1]", "ignore[1]", "must be a table"),
    ],
)
def test_an_ignore_that_is_no_array_of_tables(
    tmp_path: Path, top: str, field: str, message: str
) -> None:
    path = write(tmp_path, "")
    path.write_text(f"{top}\n{HEAD}", encoding="utf-8")
    problems = problems_of(path)
    assert [(p.field, p.line) for p in problems] == [(field, 1)]
    assert message in problems[0].message


def test_every_malformed_entry_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[ignore]]\ntext = "72"\n\n[[ignore]]\nline = 1\nreason = "ok"\n\n[[ignore]]\nwhy = 1\n',
    )
    assert [(p.field, p.line) for p in problems_of(path)] == [
        ("ignore[1].reason", 12),
        ("ignore[3].why", 20),
        ("ignore[3].reason", 19),
        ("ignore[3]", 19),  # names no finding
    ]


def test_the_parser_of_one_array_is_public(tmp_path: Path) -> None:
    """A config file (``[[tool.claimcheck.ignore]]``) reads its entries with the same function,
    given its own line lookup."""
    source = '[tool.claimcheck]\n[[tool.claimcheck.ignore]]\ntext = "72"\nreason = "a bill"\n'
    raw = tomllib.loads(source)["tool"]["claimcheck"]["ignore"]
    lines = {(0,): 2, (0, "text"): 3, (0, "reason"): 4}

    def line_of(*path: str | int) -> int | None:
        return lines.get(path) or lines.get(path[:1])

    config = tmp_path / "pyproject.toml"
    entries, problems = ignore_entries(
        raw, file=config, line_of=line_of, table="tool.claimcheck.ignore"
    )
    assert problems == ()
    assert entries == (Ignore("a bill", text="72", file=config, file_line=2),)
    entries, problems = ignore_entries(
        [{"text": "72"}], file=config, line_of=lambda *path: 2, table="tool.claimcheck.ignore"
    )
    assert entries == ()
    assert problems == (
        Problem(str(config), 2, "tool.claimcheck.ignore[1].reason", "missing (required)"),
    )

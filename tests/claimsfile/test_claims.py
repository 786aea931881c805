"""The claims-file loader: a valid file, every kind of malformed file, and arbitrary input.

Internals tested directly (private modules): the loader of a claims file's text
(``claimcheck.claimsfile._load.loads``), so a case needs no file on disk."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimcheck
from claimcheck import ClaimKind, ClaimSet, ClaimsFileError, Location, Reason, Status
from claimcheck.claimsfile._load import loads
from claimcheck.errors import Problem

STATEMENT = """\
# A joint statement

Café owners said: “we will never forgive or forget” in October 2017.
Around 189 Syrians were denied, and Assad’s regime is still in control.
"""

VALID = """\
[statement]
id = "joint-statement"
title = "A joint statement"
text = "texts/statement.md"
published = 2021-05-07

[[claim]]
id = "forgive-quote"
kind = "quote"
text = "we will never forgive or forget"

[[claim.source]]
url = "https://example.org/quote"
accessed = 2021-04-20

[[claim.source]]
url = "https://example.de/zitat"
accessed = 2021-04-21T10:30:00Z
context = "nie vergeben"

[[claim]]
id = "denied-figure"
kind = "figure"
text = "Around 189 Syrians"
value = 189
context = "denied"

[[claim.source]]
url = "https://example.org/figures"
accessed = "2021-04-22"

[[claim]]
id = "october-date"
kind = "date"
text = "October 2017"
value = 2017-10-01
context = "statement"

[[claim.source]]
url = "https://example.org/date"

[[claim]]
id = "regime"
kind = "quote"
text = "Assad's regime"  # straight apostrophe: the statement has a curly one

[[claim.source]]
url = "https://example.org/regime"

[[claim]]
id = "month"
kind = "date"
text = "October 2017"
value = "2017-10"

[[claim.source]]
url = "https://example.org/month"

[[claim]]
id = "year"
kind = "date"
text = "October 2017"
value = 2017

[[claim.source]]
url = "https://example.org/year"

[[claim]]
id = "thousands"
kind = "figure"
text = "Syrians"
value = "1,500"

[[claim.source]]
url = "https://example.org/thousands"

[[claim]]
id = "fraction"
kind = "figure"
text = "Syrians"
value = 2.5

[[claim.source]]
url = "https://example.org/fraction"
"""


@pytest.fixture
def claims_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "statement.md").write_text(STATEMENT, encoding="utf-8")
    return folder


def write(folder: Path, text: str, name: str = "claims.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(path)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert problem.file == str(path)
        assert problem.message
    return caught.value.problems


def only(problems: tuple[Problem, ...], field: str) -> Problem:
    matching = [problem for problem in problems if problem.field == field]
    assert len(matching) == 1, (field, problems)
    return matching[0]


# ------------------------------------------------------------------------------------------
# A valid file


def test_a_valid_file_loads(
    claims_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(claims_dir, VALID)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the statement's text is found relative to the claims file

    claim_set = claimcheck.load(path)

    assert isinstance(claim_set, ClaimSet)
    assert claim_set.path == path
    assert claim_set.name == "joint-statement"
    statement = claim_set.statement
    assert statement.id == "joint-statement"
    assert statement.title == "A joint statement"
    assert statement.published == dt.date(2021, 5, 7)
    assert statement.path == claims_dir / "texts" / "statement.md"
    assert statement.text == STATEMENT

    claims = {claim.id: claim for claim in claim_set.claims}
    assert [claim.id for claim in claim_set.claims] == [
        "forgive-quote",
        "denied-figure",
        "october-date",
        "regime",
        "month",
        "year",
        "thousands",
        "fraction",
    ]
    quote = claims["forgive-quote"]
    assert quote.kind is ClaimKind.QUOTE
    assert quote.text == "we will never forgive or forget"
    assert quote.value is None
    assert quote.context is None
    assert quote.reference_date == dt.date(2021, 5, 7)
    # line 3, after 'Café owners said: “' (19 characters, the é one of them)
    assert quote.location == Location(3, 20, 3, 20 + len("we will never forgive or forget"))
    assert str(quote.location) == "3:20"
    assert [(s.url, s.accessed, s.context) for s in quote.sources] == [
        ("https://example.org/quote", dt.date(2021, 4, 20), None),
        ("https://example.de/zitat", dt.date(2021, 4, 21), "nie vergeben"),
    ]

    figure = claims["denied-figure"]
    assert figure.kind is ClaimKind.FIGURE
    assert figure.value == Decimal(189)
    assert isinstance(figure.value, Decimal)
    assert figure.context == "denied"
    assert figure.location is not None
    assert (figure.location.line, figure.location.column) == (4, 1)
    assert figure.sources[0].accessed == dt.date(2021, 4, 22)
    assert figure.sources[0].context is None

    date = claims["october-date"]
    assert date.kind is ClaimKind.DATE
    assert date.value == "2017-10-01"
    assert date.context == "statement"
    assert date.location is not None
    assert (date.location.line, date.location.column) == (3, 56)
    assert date.sources[0].accessed is None

    regime = claims["regime"].location  # found despite the apostrophe
    assert regime is not None
    assert (regime.line, regime.column) == (4, 37)
    assert claims["month"].value == "2017-10"
    assert claims["year"].value == "2017"
    assert claims["thousands"].value == Decimal(1500)
    assert claims["fraction"].value == Decimal("2.5")
    for claim in claim_set.claims:
        assert claim.reference_date == dt.date(2021, 5, 7)


def test_locations_point_at_the_claim_in_the_statement(claims_dir: Path) -> None:
    claim_set = claimcheck.load(write(claims_dir, VALID))
    lines = STATEMENT.splitlines()
    for claim in claim_set.claims:
        assert claim.location is not None
        line = lines[claim.location.line - 1]
        at = line[claim.location.column - 1 :]
        assert at.replace("’", "'").startswith(claim.text.split()[0].replace("’", "'"))


def test_a_file_without_a_statement_has_no_locations(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[claim]]\nid = "q"\nkind = "quote"\ntext = "anything at all"\n'
        '[[claim.source]]\nurl = "https://example.org/"\n',
    )
    claim_set = claimcheck.load(path)
    assert claim_set.statement.text is None
    assert claim_set.name == "claims"
    (claim,) = claim_set.claims
    assert claim.location is None
    assert claim.reference_date is None


def test_loads_anchors_the_statement_to_the_given_path(claims_dir: Path) -> None:
    claim_set = loads(VALID, path=claims_dir / "virtual.toml")
    assert claim_set.statement.text == STATEMENT
    assert len(claim_set.claims) == 8


def test_inline_tables_and_a_single_source_table_are_accepted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'claim = [{id = "a", kind = "quote", text = "words here",'
        ' source = [{url = "https://example.org/"}]}]\n'
        '[[claim]]\nid = "b"\nkind = "figure"\ntext = "189 people"\n'
        '[claim.source]\nurl = "https://example.org/b"\n',
    )
    with pytest.raises(ClaimsFileError):  # `claim = [...]` then `[[claim]]`: TOML forbids it
        claimcheck.load(path)
    path = write(
        tmp_path,
        'claim = [{id = "a", kind = "quote", text = "words here",'
        ' source = [{url = "https://example.org/"}]}]\n',
    )
    assert [c.id for c in claimcheck.load(path).claims] == ["a"]
    path = write(
        tmp_path,
        '[[claim]]\nid = "b"\nkind = "figure"\ntext = "189 people"\n'
        '[claim.source]\nurl = "https://example.org/b"\n',
    )
    (claim,) = claimcheck.load(path).claims
    assert claim.sources[0].url == "https://example.org/b"


# ------------------------------------------------------------------------------------------
# Malformed files: each problem with its file, line and field


CLAIM = '[[claim]]\nid = "{id}"\nkind = "quote"\ntext = "never forgive"\n'
SOURCE = '[[claim.source]]\nurl = "https://example.org/"\n'


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[statement]\nid = "x"\ntitle = \n[[claim]]\n')
    (problem,) = problems_of(path)
    assert problem.line == 3
    assert problem.message.startswith("TOML syntax:")
    assert "at line" not in problem.message  # the position is in `line`, not repeated
    assert str(problem).startswith(f"{path}:3: ")


def test_toml_syntax_errors_elsewhere(tmp_path: Path) -> None:
    cases: dict[str, int | None] = {
        '[[claim]]\nid = "a"\nid = "b"\n': 3,  # a key given twice
        '[[claim]]\nid = "a\n': 2,  # an unterminated string
        "\n\n\n[[claim\n": 4,
        'text = """never closed\n\n': None,  # tomllib: "at end of document"
    }
    for text, line in cases.items():
        (problem,) = problems_of(write(tmp_path, text))
        assert problem.line == line, (text, problem)


def test_unknown_kind(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIM.replace('"quote"', '"quotation"').format(id="a") + SOURCE)
    problem = only(problems_of(path), "claim 'a'.kind")
    assert problem.line == 3
    assert "unknown kind 'quotation'" in problem.message
    assert "quote, figure, date" in problem.message


def test_missing_id_kind_and_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CLAIM.format(id="first") + SOURCE + "\n[[claim]]\n# nothing but a source\n" + SOURCE,
    )
    problems = problems_of(path)
    for field in ("claim[2].id", "claim[2].kind", "claim[2].text"):
        problem = only(problems, field)
        assert problem.line == 8  # the [[claim]] header
        assert problem.message == "missing (required)"
    assert len(problems) == 3


def test_duplicate_id_names_the_first_use(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIM.format(id="same") + SOURCE + CLAIM.format(id="same") + SOURCE)
    (problem,) = problems_of(path)
    assert problem.field == "claim 'same'.id"
    assert problem.line == 8
    assert problem.message == "duplicate id (first used at line 2)"


def test_wrong_types(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
[statement]
published = "last spring"

[[claim]]
id = "text-number"
kind = "quote"
text = 5

[[claim.source]]
url = "https://example.org/"

[[claim]]
id = "lots"
kind = "figure"
text = "189 people"
value = "lots"

[[claim.source]]
url = "https://example.org/"
accessed = "yesterday"

[[claim]]
id = "month-13"
kind = "date"
text = "in 2017"
value = "2017-13"

[[claim.source]]
url = 7
context = ["a", "list"]

[[claim]]
id = 12
kind = true
text = "x"
value = 1
context = 3.5
source = "https://example.org/"
""",
    )
    problems = problems_of(path)
    expected = {
        ("statement.published", 2): "must be a date such as 2021-05-07, not 'last spring'",
        ("claim 'text-number'.text", 7): "must be a string, not a number",
        ("claim 'lots'.value", 16): "a figure's value must be a number, not 'lots'",
        ("claim 'lots'.source[1].accessed", 20): (
            "must be a date such as 2021-05-07, not 'yesterday'"
        ),
        ("claim 'month-13'.value", 26): (
            "a date's value must be YYYY, YYYY-MM or YYYY-MM-DD, not '2017-13'"
        ),
        ("claim 'month-13'.source[1].url", 29): "must be a string, not a number",
        ("claim 'month-13'.source[1].context", 30): "must be a string, not an array",
        ("claim[4].id", 33): "must be a string, not a number",
        ("claim[4].kind", 34): "must be a string, not a boolean",
        ("claim[4].context", 37): "must be a string, not a number",
        ("claim[4].source", 38): "must be an array of tables: [[claim.source]]",
    }
    got = {(p.field, p.line): p.message for p in problems}
    assert got == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "must be a number"),
        ("nan", "must be finite"),
        ("inf", "must be finite"),
        ("[1, 2]", "must be a number"),
        ("2021-05-07", "must be a number"),
        ('"12 apples"', "must be a number"),
        ('""', "must be a number"),
    ],
)
def test_bad_figure_values(tmp_path: Path, value: str, message: str) -> None:
    path = write(
        tmp_path,
        f'[[claim]]\nid = "f"\nkind = "figure"\ntext = "189 people"\nvalue = {value}\n' + SOURCE,
    )
    problem = only(problems_of(path), "claim 'f'.value")
    assert problem.line == 5
    assert message in problem.message


@pytest.mark.parametrize(
    "value",
    [
        '"2017-13"',
        '"2017-02-30"',
        '"17"',
        '"October 2017"',
        "true",
        "3.5",
        '"2017-1"',
        "12:30:00",
        "0",
    ],
)
def test_bad_date_values(tmp_path: Path, value: str) -> None:
    path = write(
        tmp_path,
        f'[[claim]]\nid = "d"\nkind = "date"\ntext = "in 2017"\nvalue = {value}\n' + SOURCE,
    )
    problem = only(problems_of(path), "claim 'd'.value")
    assert problem.line == 5
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in problem.message


def test_a_quote_has_no_value(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIM.format(id="q") + "value = 3\n" + SOURCE)
    problem = only(problems_of(path), "claim 'q'.value")
    assert problem.line == 5
    assert "a quote has no value" in problem.message


def test_unknown_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[statement]\nid = "s"\nauthor = "me"\n\n'
        + CLAIM.format(id="a")
        + 'verdict = "verified"\n'
        + SOURCE
        + 'archived = "https://web.archive.org/"\n'
        + "\n[extra]\nkey = 1\n",
    )
    problems = problems_of(path)
    assert {(p.field, p.line, p.message) for p in problems} == {
        ("statement.author", 3, "unknown field"),
        ("claim 'a'.verdict", 9, "unknown field"),
        ("claim 'a'.source[1].archived", 12, "unknown field"),
        ("extra", 14, "unknown table or field (expected statement, claim, ignore)"),
    }


def test_a_claim_without_sources(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIM.format(id="lonely"))
    problem = only(problems_of(path), "claim 'lonely'.source")
    assert problem.line == 1
    assert "at least one [[claim.source]]" in problem.message
    path = write(tmp_path, CLAIM.format(id="empty") + "source = []\n")
    problem = only(problems_of(path), "claim 'empty'.source")
    assert problem.line == 5


def test_an_unsourced_claim_says_why(tmp_path: Path) -> None:
    """``unsourced = "why"`` stands for the sources of a claim the statement cites nothing for;
    the check lists it as unsourced, never as an error of the file."""
    path = write(tmp_path, CLAIM.format(id="known") + 'unsourced = "common knowledge"\n')
    (claim,) = claimcheck.load(path).claims
    assert claim.sources == ()
    assert claim.unsourced == "common knowledge"
    report = claimcheck.check(claimcheck.load(path), copies="stored")
    (result,) = report.results
    assert (result.status, result.reason) == (Status.UNSOURCED, Reason.NO_SOURCE)
    assert result.message == "the claim cites no source: common knowledge"
    assert report.summary["unsourced"] == 1

    both = (
        CLAIM.format(id="both") + 'unsourced = "x"\n[[claim.source]]\nurl = "https://a.example/"\n'
    )
    problem = only(problems_of(write(tmp_path, both)), "claim 'both'.unsourced")
    assert "remove one of the two" in problem.message
    assert problem.line == 5
    empty = CLAIM.format(id="empty") + 'unsourced = " "\n'
    problem = only(problems_of(write(tmp_path, empty)), "claim 'empty'.unsourced")
    assert problem.message == "must not be empty"


def test_a_source_without_url(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIM.format(id="a") + "[[claim.source]]\naccessed = 2021-01-01\n")
    problem = only(problems_of(path), "claim 'a'.source[1].url")
    assert problem.line == 5
    assert problem.message == "missing (required)"


def test_a_file_without_claims(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, '[statement]\nid = "s"\n'))
    assert problem.field == "claim"
    assert "no [[claim]]" in problem.message
    (problem,) = problems_of(write(tmp_path, ""))
    assert problem.field == "claim"
    (problem,) = problems_of(write(tmp_path, '[claim]\nid = "a"\n'))
    assert problem.line == 1
    assert "array of tables" in problem.message


def test_claim_text_not_in_the_statement(claims_dir: Path) -> None:
    text = VALID + (
        '\n[[claim]]\nid = "invented"\nkind = "quote"\ntext = "we shall always forgive"\n' + SOURCE
    )
    path = write(claims_dir, text)
    (problem,) = problems_of(path)
    assert problem.field == "claim 'invented'.text"
    assert problem.line == VALID.count("\n") + 5
    assert "not found in statement.md" in problem.message


def test_empty_and_wordless_texts(claims_dir: Path, tmp_path: Path) -> None:
    for text, message in (
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("...", "no words"),
        ("[sic]", "no words"),
        ("…", "no words"),
    ):
        for folder, statement in (
            (claims_dir, '[statement]\ntext = "texts/statement.md"\n'),
            (tmp_path, ""),
        ):
            path = write(
                folder,
                statement + f'[[claim]]\nid = "e"\nkind = "quote"\ntext = "{text}"\n' + SOURCE,
            )
            problem = only(problems_of(path), "claim 'e'.text")
            assert message in problem.message, (text, problem)


def test_figures_and_dates_that_cannot_be_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[claim]]\nid = "f"\nkind = "figure"\ntext = "many people"\n'
        + SOURCE
        + '[[claim]]\nid = "d"\nkind = "date"\ntext = "a while ago"\n'
        + SOURCE
        # with a value, the text need not hold the number or the date itself
        + '[[claim]]\nid = "fv"\nkind = "figure"\ntext = "many people"\nvalue = 12\n'
        + SOURCE
        + '[[claim]]\nid = "dv"\nkind = "date"\ntext = "a while ago"\nvalue = "2019"\n'
        + SOURCE,
    )
    problems = problems_of(path)
    assert {(p.field, p.line) for p in problems} == {
        ("claim 'f'.text", 4),
        ("claim 'd'.text", 10),
    }
    for problem in problems:
        assert problem.message.startswith("cannot be checked:")


@pytest.mark.parametrize(
    ("name", "setup"),
    [
        ("missing.md", None),
        ("folder", "dir"),
        ("latin1.md", b"caf\xe9 \xff\xfe"),
    ],
)
def test_unreadable_statement_text(tmp_path: Path, name: str, setup: object) -> None:
    if setup == "dir":
        (tmp_path / name).mkdir()
    elif isinstance(setup, bytes):
        (tmp_path / name).write_bytes(setup)
    path = write(
        tmp_path, f'[statement]\nid = "s"\ntext = "{name}"\n\n' + CLAIM.format(id="a") + SOURCE
    )
    (problem,) = problems_of(path)
    assert problem.field == "statement.text"
    assert problem.line == 3
    assert "cannot read the statement text" in problem.message
    assert name in problem.message


def test_an_unreadable_claims_file(tmp_path: Path) -> None:
    with pytest.raises(ClaimsFileError) as caught:
        claimcheck.load(tmp_path / "absent.toml")
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "absent.toml")
    assert problem.line is None
    assert "cannot read the file" in problem.message
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ClaimsFileError, match="cannot read the file"):
        claimcheck.load(binary)
    with pytest.raises(ClaimsFileError, match="cannot read the file"):
        claimcheck.load(tmp_path)  # a folder


def test_control_characters(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[claim]]\nid = "bell\\u0007"\nkind = "quote"\ntext = "escape \\u001b[31m red"\n'
        '[[claim.source]]\nurl = "https://example.org/\\u0000"\ncontext = "tab\\tok"\n',
    )
    problems = problems_of(path)
    assert {(p.field, p.line, p.message) for p in problems} == {
        ("claim[1].id", 2, "contains control characters"),
        ("claim[1].text", 4, "contains control characters"),
        ("claim[1].source[1].url", 6, "contains control characters"),
    }


def test_every_problem_of_a_file_is_reported_at_once(claims_dir: Path) -> None:
    path = write(
        claims_dir,
        """\
[statement]
id = "s"
text = "texts/statement.md"
published = "yesterday"

[[claim]]
id = "a"
kind = "guess"
text = "never forgive"
colour = "red"

[[claim.source]]
url = "#"
accessed = "soon"

[[claim]]
kind = "figure"
text = "189 Syrians"
value = "lots"

[[claim.source]]
url = ""

[[claim]]
id = "a"
kind = "quote"
text = "words that are nowhere"
""",
    )
    problems = problems_of(path)
    assert [(p.line, p.field) for p in problems] == [
        (4, "statement.published"),
        (10, "claim 'a'.colour"),
        (8, "claim 'a'.kind"),
        (14, "claim 'a'.source[1].accessed"),
        (16, "claim[2].id"),
        (19, "claim[2].value"),
        (25, "claim 'a'.id"),
        (24, "claim 'a'.source"),
        (27, "claim 'a'.text"),
    ]
    message = str(ClaimsFileError(problems))
    assert message.count("\n") == len(problems) - 1
    assert f"{path}:25: claim 'a'.id: duplicate id (first used at line 7)" in message


def test_huge_strings_do_not_crash(claims_dir: Path, tmp_path: Path) -> None:
    words = "lorem ipsum dolor sit amet " * 20_000  # 540 kB
    claim_set = loads(
        f'[[claim]]\nid = "{"i" * 100_000}"\nkind = "quote"\ntext = "{words}"\n'
        f'context = "{words}"\n[[claim.source]]\nurl = "https://example.org/{"p" * 100_000}"\n'
        f'context = "{words}"\n'
    )
    assert claim_set.claims[0].text == words
    with pytest.raises(ClaimsFileError) as caught:
        loads(
            '[statement]\ntext = "texts/statement.md"\n'
            f'[[claim]]\nid = "q"\nkind = "quote"\ntext = "{words}"\n' + SOURCE,
            path=claims_dir / "huge.toml",
        )
    assert caught.value.problems[0].field == "claim 'q'.text"
    for kind in ("figure", "date"):
        with pytest.raises(ClaimsFileError, match="cannot be checked"):
            loads(f'[[claim]]\nid = "x"\nkind = "{kind}"\ntext = "{words}"\n' + SOURCE)
    # a value of a hundred thousand digits is no figure a text writes: a problem, not a crash
    with pytest.raises(ClaimsFileError, match="value must be between"):
        loads(
            f'[[claim]]\nid = "x"\nkind = "figure"\ntext = "189"\nvalue = "{"9" * 100_000}"\n'
            + SOURCE
        )
    # an integer too long for Python to convert, arrays nested too deep: reported, not raised
    for text in (
        f"x = {'9' * 5000}\n",
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "x = " + "{a = " * 5000 + "}" * 5000 + "\n",
    ):
        with pytest.raises(ClaimsFileError):
            loads(text)


# ------------------------------------------------------------------------------------------
# Placeholder and non-http links are findings of the check, not loader errors


def test_placeholder_and_non_http_urls_are_broken_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./snapshots to pick up by default
    path = write(
        tmp_path,
        CLAIM.format(id="a")
        + '[[claim.source]]\nurl = "#"\n'
        + '[[claim.source]]\nurl = ""\n'
        + '[[claim.source]]\nurl = "ftp://x"\n'
        + '[[claim.source]]\nurl = "http://[broken"\n'
        + '[[claim.source]]\nurl = "https://example.org/never-captured"\n',
    )
    claim_set = claimcheck.load(path)
    assert [s.url for s in claim_set.claims[0].sources] == [
        "#",
        "",
        "ftp://x",
        "http://[broken",
        "https://example.org/never-captured",
    ]
    with pytest.warns(claimcheck.errors.SnapshotStoreWarning, match="no snapshot store found"):
        report = claimcheck.check(claim_set, copies="stored")
    (result,) = report.results
    got = [(v.source.url, v.status, v.reason) for v in result.verdicts]
    assert got == [
        ("#", Status.BROKEN, Reason.PLACEHOLDER_LINK),
        ("", Status.BROKEN, Reason.PLACEHOLDER_LINK),
        ("ftp://x", Status.BROKEN, Reason.INVALID_URL),
        ("http://[broken", Status.BROKEN, Reason.INVALID_URL),
        ("https://example.org/never-captured", Status.UNCHECKED, Reason.NO_SNAPSHOT),
    ]
    assert result.status is Status.BROKEN
    assert result.reason is Reason.PLACEHOLDER_LINK
    for verdict in result.verdicts:
        assert verdict.message
        assert verdict.evidence is None
        assert verdict.snapshot is None
    # check() also takes the path of a claims file
    with pytest.warns(claimcheck.errors.SnapshotStoreWarning):
        assert claimcheck.check(path, copies="stored").results[0].status is Status.BROKEN


# ------------------------------------------------------------------------------------------
# Arbitrary input: a ClaimSet or a ClaimsFileError, never anything else


def assert_loads_or_reports(text: str, path: Path | None = None) -> None:
    problems: tuple[Problem, ...] = ()
    try:
        claim_set = loads(text, path=path)
    except ClaimsFileError as error:
        problems = error.problems
    else:
        assert isinstance(claim_set, ClaimSet)
        assert claim_set.claims
        for claim in claim_set.claims:
            assert claim.id
            assert claim.text
            assert claim.sources
        return
    assert problems
    for problem in problems:
        assert problem.file
        assert problem.field or problem.message
        assert problem.line is None or problem.line >= 1
        assert str(problem)


@given(st.text())
def test_arbitrary_text(text: str) -> None:
    assert_loads_or_reports(text)


@given(st.text(alphabet=st.sampled_from("[]{}=\"'\n .,#abc123-:_\\tTfu"), max_size=200))
def test_arbitrary_toml_punctuation(text: str) -> None:
    assert_loads_or_reports(text)


FIELD_NAMES = [
    "id",
    "kind",
    "text",
    "value",
    "context",
    "source",
    "url",
    "accessed",
    "title",
    "published",
    "statement",
    "claim",
]

scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "quote",
            "figure",
            "date",
            "189",
            "2017-10",
            "#",
            "https://example.org/",
            "never forgive",
            "Around 189 Syrians",
            "October 2017",
            "...",
            "[sic]",
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.times(),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10))


def _tables(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(keys, children, max_size=5),
    )


values = st.recursive(scalars, _tables, max_leaves=12)


BASE: dict[str, Any] = {
    "statement": {
        "id": "s",
        "title": "A statement",
        "text": "statement.md",
        "published": dt.date(2021, 5, 7),
    },
    "claim": [
        {
            "id": "q",
            "kind": "quote",
            "text": "never forgive",
            "source": [{"url": "https://example.org/q", "accessed": dt.date(2021, 4, 20)}],
        },
        {
            "id": "f",
            "kind": "figure",
            "text": "Around 189 Syrians",
            "value": 189,
            "context": "Syrians",
            "source": [{"url": "#"}, {"url": "https://example.de/", "context": "Syrer"}],
        },
        {
            "id": "d",
            "kind": "date",
            "text": "October 2017",
            "value": "2017-10",
            "source": [{"url": "https://example.org/d"}],
        },
    ],
}


def _tables_in(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(table for value in node.values() for table in _tables_in(value))]
    if isinstance(node, list):
        return [table for value in node for table in _tables_in(value)]
    return []


@st.composite
def claims_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid claims document with a few random edits: a key set to an arbitrary value
    (``st.recursive`` arrays and tables of scalars), deleted, or added."""
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(0, 4))):
        table = draw(st.sampled_from(_tables_in(document)))
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "set" and table:
            table[draw(st.sampled_from(sorted(table)))] = draw(values)
        elif action == "delete" and table:
            del table[draw(st.sampled_from(sorted(table)))]
        else:
            table[draw(keys)] = draw(values)
    return document


@pytest.fixture(scope="module")
def statement_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("statement")
    (folder / "statement.md").write_text(
        "They said they will never forgive. Around 189 Syrians, in October 2017.\n",
        encoding="utf-8",
    )
    return folder


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(claims_documents())
def test_arbitrary_toml_documents(statement_folder: Path, document: dict[str, Any]) -> None:
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # something TOML cannot say (a time with a zone, an array of mixed tables)
    assert_loads_or_reports(text, statement_folder / "claims.toml")


@given(st.dictionaries(keys, values, max_size=4))
def test_arbitrary_toml_tables(document: dict[str, Any]) -> None:
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return
    assert_loads_or_reports(text)


def test_the_unedited_document_is_valid(statement_folder: Path) -> None:
    """The generator's starting point loads, so its edits are what the loader is shown."""
    document = copy.deepcopy(BASE)
    document["claim"][0]["source"][0]["accessed"] = dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC)
    document["claim"][1]["value"] = 189.0
    claim_set = loads(tomli_w.dumps(document), path=statement_folder / "claims.toml")
    assert [c.id for c in claim_set.claims] == ["q", "f", "d"]
    assert [(c.location.line, c.location.column) for c in claim_set.claims if c.location] == [
        (1, 21),
        (1, 36),
        (1, 59),
    ]
    assert claim_set.claims[0].sources[0].accessed == dt.date(2021, 1, 1)
    assert claim_set.claims[1].value == Decimal("189.0")
    assert claim_set.claims[1].sources[1].context == "Syrer"
    assert claim_set.claims[2].value == "2017-10"

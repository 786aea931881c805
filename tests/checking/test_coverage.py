"""The coverage check of ``claimcheck check``: every quotation, figure and date of a statement
that no claim of its claims file covers is listed as ``unsourced``/``not-in-claims-file``.

Internals tested directly (private modules): the progress display's host shortening
(``claimcheck.cli._progress``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimcheck
from claimcheck import Reason, Status
from claimcheck.cli import main
from claimcheck.cli._progress import _host
from support import WORKED_EXAMPLE, claim_toml

STATEMENT = """\
# Permits

The minister said “we will review every permit” on Monday.
Around 189 Syrians were denied residence in October 2017, the ministry's
figures show, and 'terrorists' is what the regime calls them.
"""

HEADER = '[statement]\nid = "permits"\ntext = "statement.md"\npublished = 2017-11-06\n'


def claim(identifier: str, kind: str, text: str, extra: str = "") -> str:
    """A claim citing the one page these tests cite."""
    return claim_toml(identifier, kind, text, "https://news.example/page", extra=extra)


def load(folder: Path, *claims: str) -> claimcheck.ClaimSet:
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    path = folder / "claims.toml"
    path.write_text(HEADER + "".join(claims), encoding="utf-8")
    return claimcheck.load(path)


def uncovered(report: claimcheck.Report) -> list[tuple[str, str]]:
    return [
        (result.claim.kind.value, result.claim.text)
        for result in report.results
        if result.reason is Reason.NOT_IN_CLAIMS_FILE
    ]


def test_what_no_claim_covers_is_listed_with_its_place(tmp_path: Path) -> None:
    claim_set = load(tmp_path, claim("review", "quote", "we will review every permit"))
    report = claimcheck.check(claim_set, copies="stored")
    assert uncovered(report) == [
        ("figure", "Around 189 Syrians"),
        ("date", "October 2017"),
        ("quote", "'terrorists'"),
    ]
    figure = next(r for r in report.results if r.claim.text == "Around 189 Syrians")
    assert figure.status is Status.UNSOURCED
    assert figure.claim.id == "figure@4:1"
    assert figure.claim.location == claimcheck.Location(4, 1, 4, 19)
    assert figure.verdicts == ()
    assert "no claim of the claims file covers this figure" in figure.message
    # the coverage results follow the file's own claims
    assert report.results[0].claim.id == "review"
    assert report.summary["unsourced"] == 3


def test_a_claim_covers_what_it_overlaps_of_its_own_kind(tmp_path: Path) -> None:
    claim_set = load(
        tmp_path,
        claim("review", "quote", "we will review every permit"),
        # a figure claim worded wider than the figure
        claim("denied", "figure", "Around 189 Syrians were denied", 'context = "denied"\n'),
        # a quote claim over the date does not cover the date: only a date claim does
        claim("when", "quote", "denied residence in October 2017"),
        claim("scare", "quote", "'terrorists'"),
    )
    report = claimcheck.check(claim_set, copies="stored")
    assert uncovered(report) == [("date", "October 2017")]


def test_a_fully_covered_statement_lists_nothing(tmp_path: Path) -> None:
    claim_set = load(
        tmp_path,
        claim("review", "quote", "we will review every permit"),
        claim("denied", "figure", "Around 189 Syrians", 'context = "denied"\n'),
        claim("month", "date", "in October 2017", 'context = "denied"\n'),
        '\n[[claim]]\nid = "scare"\nkind = "quote"\ntext = "\'terrorists\'"\n'
        'unsourced = "the statement gives none"\n',
    )
    report = claimcheck.check(claim_set, copies="stored")
    assert uncovered(report) == []
    scare = next(r for r in report.results if r.claim.id == "scare")
    assert (scare.status, scare.reason) == (Status.UNSOURCED, Reason.NO_SOURCE)


def test_no_statement_text_no_coverage(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(claim("review", "quote", "we will review every permit"), encoding="utf-8")
    report = claimcheck.check(claimcheck.load(path), copies="stored")
    assert [r.claim.id for r in report.results] == ["review"]


def test_coverage_can_be_turned_off(tmp_path: Path) -> None:
    claim_set = load(tmp_path, claim("review", "quote", "we will review every permit"))
    report = claimcheck.check(claim_set, coverage=False, copies="stored")
    assert uncovered(report) == []


def test_the_worked_example_covers_its_statement(worked_example: claimcheck.Report) -> None:
    """The issue's acceptance: the worked example's claims file covers every quotation, figure
    and date of the statement, and this check proves it."""
    assert uncovered(worked_example) == []
    assert len(worked_example.results) == len(claimcheck.load(WORKED_EXAMPLE).claims)


def test_fail_on_unsourced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load(
        tmp_path,
        claim("review", "quote", "we will review every permit"),
        claim("denied", "figure", "Around 189 Syrians", 'context = "denied"\n'),
        claim("month", "date", "in October 2017", 'context = "denied"\n'),
    )
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add(
        "https://news.example/page",
        b"The minister said: we will review every permit. Around 189 Syrians were denied "
        b"residence in October 2017.",
        media_type="text/plain",
    )
    monkeypatch.chdir(tmp_path)
    arguments = ["check", "claims.toml", "--offline", "--snapshots", "store", "--format", "json"]
    assert main(arguments) == 0  # unsourced is listed, and passes by default
    assert '"not-in-claims-file"' in capsys.readouterr().out
    assert main([*arguments, "--fail-on", "drifted,broken,unsourced"]) == 1
    capsys.readouterr()
    assert main([*arguments, "--fail-on", "unsourced", "--no-coverage"]) == 0
    assert '"unsourced"' not in capsys.readouterr().out.replace('"unsourced": 0', "")


def test_a_repeated_text_is_covered_by_a_claim_of_that_text(tmp_path: Path) -> None:
    """The loader places a claim at its text's first occurrence: the same words elsewhere in
    the statement are covered by it, or ``--fail-on unsourced`` could never pass."""
    (tmp_path / "statement.md").write_text(
        '- 5 people\n- 5 people\n- 5 people\n\n"a b" "a b"\n', encoding="utf-8"
    )
    (tmp_path / "claims.toml").write_text(
        '[statement]\ntext = "statement.md"\n\n'
        '[[claim]]\nid = "people"\nkind = "figure"\ntext = "5 people"\nunsourced = "test"\n\n'
        '[[claim]]\nid = "ab"\nkind = "quote"\ntext = "a b"\nunsourced = "test"\n',
        encoding="utf-8",
    )
    report = claimcheck.check(claimcheck.load(tmp_path / "claims.toml"), copies="stored")
    assert uncovered(report) == []


def test_progress_counts_claims_only(tmp_path: Path) -> None:
    claim_set = load(tmp_path, claim("review", "quote", "we will review every permit"))
    steps: list[claimcheck.Progress] = []
    report = claimcheck.check([claim_set, claim_set], progress=steps.append, copies="stored")
    assert len(report.results) > 2  # coverage findings are results too
    assert [(step.done, step.total) for step in steps] == [(0, 2), (1, 2), (2, 2)]


def test_a_malformed_url_is_an_invalid_citation_offline(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(
        '[[claim]]\nid = "a"\nkind = "quote"\ntext = "hello world"\n'
        '[[claim.source]]\nurl = "https://[oops/x"\n',
        encoding="utf-8",
    )
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    report = claimcheck.check(claimcheck.load(path), snapshots=store, copies="stored")
    (result,) = report.results
    assert (result.status, result.reason) == (Status.BROKEN, Reason.INVALID_URL)

    assert _host("https://[oops/x") == ""

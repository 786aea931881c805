"""Ignore entries dismiss findings on purpose: a dismissed finding stays in the report, marked
ignored with its entry (and so its reason), never fails (``--fail-on``), and is counted apart
from its status; an entry that matches no finding is reported (``Report.unused_ignores``), so
that stale dismissals do not pile up unseen.

The statement has "72" (a bill's number, which coverage proposes as a figure) on lines 1 and 3,
and "Around 189 Syrians" on line 5; the claims file has one claim, the year, which nothing was
ever captured for (unchecked)."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimcheck
from claimcheck.checking import ignore_matches
from claimcheck.model import ClaimKind, Ignore, Reason, Status

STATEMENT = (
    "It passed bill L 72 in 2019.\n\nIt passed bill L 72 in 2019.\n\n"
    "Around 189 Syrians lost their permits.\n"
)
CLAIMS = (
    '[statement]\nid = "s"\ntext = "statement.md"\n\n'
    '[[claim]]\nid = "year"\nkind = "date"\ntext = "2019"\n'
    '[[claim.source]]\nurl = "https://example.org/"\n\n'
)


def checked(folder: Path, ignores: str = "", **options: object) -> claimcheck.Report:
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (folder / "claims.toml").write_text(CLAIMS + ignores, encoding="utf-8")
    store = claimcheck.SnapshotStore(folder / "store", create=True)
    return claimcheck.check(
        folder / "claims.toml", copies="stored", snapshots=store.root, **options
    )


def ignored(report: claimcheck.Report) -> list[tuple[str, int | None]]:
    return [
        (result.claim.text, result.claim.location.line if result.claim.location else None)
        for result in report.results
        if result.ignored is not None
    ]


def test_without_entries_coverage_reports_both_72s(tmp_path: Path) -> None:
    report = checked(tmp_path)
    findings = [(r.claim.text, r.claim.location.line) for r in report.results[1:]]  # type: ignore[union-attr]
    assert findings == [("72", 1), ("72", 3), ("Around 189 Syrians", 5)]
    assert all(r.reason is Reason.NOT_IN_CLAIMS_FILE for r in report.results[1:])
    assert report.unused_ignores == ()
    assert ignored(report) == []
    assert report.summary["ignored"] == 0


def test_by_text_every_finding_of_that_text(tmp_path: Path) -> None:
    report = checked(tmp_path, '[[ignore]]\ntext = "72"\nreason = "a bill\'s number"\n')
    assert ignored(report) == [("72", 1), ("72", 3)]
    entry = report.results[1].ignored
    assert entry is not None
    assert (entry.reason, entry.text, entry.file_line) == ("a bill's number", "72", 12)
    assert report.results[1].status is Status.UNSOURCED  # its status is kept, and shown
    assert report.unused_ignores == ()


def test_text_as_written_up_to_case_and_spacing(tmp_path: Path) -> None:
    report = checked(tmp_path, '[[ignore]]\ntext = "around  189 syrians"\nreason = "r"\n')
    assert ignored(report) == [("Around 189 Syrians", 5)]


def test_by_line(tmp_path: Path) -> None:
    report = checked(tmp_path, '[[ignore]]\nline = 3\nreason = "r"\n')
    assert ignored(report) == [("72", 3)]


def test_a_repeated_text_with_a_line_dismisses_only_that_one(tmp_path: Path) -> None:
    report = checked(tmp_path, '[[ignore]]\ntext = "72"\nline = 3\nreason = "r"\n')
    assert ignored(report) == [("72", 3)]
    assert report.results[1].ignored is None


def test_kind_narrows(tmp_path: Path) -> None:
    report = checked(tmp_path, '[[ignore]]\nline = 1\nkind = "figure"\nreason = "r"\n')
    assert ignored(report) == [("72", 1)]
    report = checked(tmp_path, '[[ignore]]\ntext = "72"\nkind = "date"\nreason = "r"\n')
    assert ignored(report) == []
    assert [entry.text for entry in report.unused_ignores] == ["72"]


def test_an_entry_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    report = checked(
        tmp_path,
        '[[ignore]]\ntext = "72"\nreason = "r"\n\n[[ignore]]\ntext = "73"\nreason = "stale"\n',
    )
    (unused,) = report.unused_ignores
    assert (unused.text, unused.reason, unused.file_line) == ("73", "stale", 16)
    assert unused.file == tmp_path / "claims.toml"


def test_ignored_findings_never_fail_and_are_counted_apart(tmp_path: Path) -> None:
    everything = {Status.UNSOURCED, Status.UNCHECKED}
    report = checked(tmp_path)
    assert len(report.failing(everything)) == 4
    report = checked(
        tmp_path, '[[ignore]]\ntext = "72"\nreason = "r"\n[[ignore]]\nline = 5\nreason = "r"\n'
    )
    assert [r.claim.id for r in report.failing(everything)] == ["year"]
    assert not any(r.fails(everything) for r in report.results if r.ignored is not None)
    assert report.summary == {
        "verified": 0,
        "drifted": 0,
        "broken": 0,
        "unchecked": 1,
        "unsourced": 0,
        "ignored": 3,
        "total": 4,
    }


def test_a_claim_of_the_file_by_id(tmp_path: Path) -> None:
    report = checked(tmp_path, '[[ignore]]\nclaim = "year"\nreason = "no copy; accepted"\n')
    year = report.results[0]
    assert (year.claim.id, year.status) == ("year", Status.UNCHECKED)
    assert year.ignored is not None
    assert year.ignored.reason == "no copy; accepted"
    assert not year.fails({Status.UNCHECKED})
    assert ignored(report) == [("2019", 1)]  # only the claim: the findings stay


def test_a_claim_entry_for_a_verified_claim_is_unused(tmp_path: Path) -> None:
    (tmp_path / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "claims.toml").write_text(
        CLAIMS + '[[ignore]]\nclaim = "year"\nreason = "was drifted once"\n', encoding="utf-8"
    )
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add("https://example.org/", b"The bill passed in 2019.", media_type="text/plain")
    report = claimcheck.check(tmp_path / "claims.toml", copies="stored", snapshots=store.root)
    assert report.results[0].status is Status.VERIFIED
    assert report.results[0].ignored is None
    assert [entry.claim for entry in report.unused_ignores] == ["year"]


def test_extra_entries_given_to_check(tmp_path: Path) -> None:
    """Entries from elsewhere (a config file) apply to every claim set checked."""
    extra = Ignore("bill numbers", text="72", file=tmp_path / "claimcheck.toml", file_line=3)
    unused = Ignore("stale", text="99")
    report = checked(tmp_path, ignore=[extra, unused])
    assert ignored(report) == [("72", 1), ("72", 3)]
    assert {r.ignored for r in report.results if r.ignored} == {extra}
    assert report.unused_ignores == (unused,)


@pytest.mark.parametrize(
    ("entry", "matches"),
    [
        (Ignore("r", text="72"), True),
        (Ignore("r", text=" 72 "), True),
        (Ignore("r", text="7"), False),
        (Ignore("r", line=3), True),
        (Ignore("r", line=1), False),
        (Ignore("r", text="72", line=3, kind=ClaimKind.FIGURE), True),
        (Ignore("r", text="72", kind=ClaimKind.DATE), False),
        (Ignore("r", claim="figure@3:18"), False),  # a finding's id only names its place
    ],
)
def test_the_one_matching_rule(tmp_path: Path, entry: Ignore, matches: bool) -> None:
    report = checked(tmp_path)
    finding = report.results[2]
    assert (finding.claim.text, str(finding.claim.location)) == ("72", "3:18")
    assert ignore_matches(entry, finding) is matches

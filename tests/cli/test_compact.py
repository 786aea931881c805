"""``--compact`` (``--format compact``): one line per finding, ``file:line:col: status reason:
message [claim]``, as ruff and flake8 write theirs, so that an editor or a terminal can jump to
the claim in the statement; the verified claims are not listed; a last line counts them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import claimcheck
from claimcheck.reports import render
from support import ROOT, WORKED_EXAMPLE, run_cli

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<status>drifted|broken|disputed|unchecked|unsourced) (?P<reason>[a-z0-9-]+): "
    r"(?P<message>.+) \[(?P<claim>[^\]]+)\]$"
)
COUNTS = "26 claims: 15 verified, 4 drifted, 2 broken, 1 unchecked, 4 unsourced; 2 disputed"
ORDER = ["drifted", "broken", "disputed", "unchecked", "unsourced"]


@pytest.mark.parametrize("flag", [["--compact"], ["--format", "compact"]])
def test_one_line_per_finding_at_the_claim(
    flag: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "60")  # one line each, whatever the width
    code, out, err = run_cli("check", "claims", "--offline", *flag)
    assert code == 1, err
    *findings, last = out.splitlines()
    assert last == f"Found 13 problems in {COUNTS}"
    claim_set = claimcheck.load(WORKED_EXAMPLE)
    statement = (ROOT / "claims" / "denmark-syria-2021.md").read_text(encoding="utf-8")
    texts = {claim.id: claim.text for claim in claim_set.claims}
    seen = []
    for finding in findings:
        match = LINE.match(finding)
        assert match, finding
        assert match["path"] == "claims/denmark-syria-2021.md"  # relative to the working folder
        line, col = int(match["line"]), int(match["col"])
        # line and column (1-based, in characters) of the claim's first character
        assert statement.splitlines()[line - 1][col - 1 :].startswith(texts[match["claim"]][:12])
        seen.append((match["claim"], match["status"], match["reason"]))
    assert len(seen) == 13
    statuses = {claim: status for claim, status, _ in seen}
    assert statuses["zahreddine-quote"] == "drifted"
    assert statuses["return-centers"] == "broken"
    assert statuses["drafting-states"] == "disputed"
    assert statuses["denied-date"] == "unchecked"
    assert statuses["decade-of-violence"] == "unsourced"
    assert "uprising-date" not in out  # verified: not a finding
    reasons = {claim: reason for claim, _, reason in seen}
    assert reasons["drafting-states"] == "figure-changed"  # what the disputing source says
    assert reasons["zahreddine-quote"] == "quote-edited"
    # in the statement's order, as a linter lists a file's findings
    places = [(int(m["line"]), int(m["col"])) for m in map(LINE.match, findings) if m]
    assert places == sorted(places)


def test_paths_outside_the_working_folder_are_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(
        "check", ROOT / "claims", "--offline", "--compact", "--snapshots", ROOT / "snapshots"
    )
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{ROOT / 'claims' / 'denmark-syria-2021.md'}:"), first


def test_a_claim_without_a_statement_text_points_at_its_claims_file(tmp_path: Path) -> None:
    (tmp_path / "claims.toml").write_text(
        '[statement]\nid = "s"\n\n[[claim]]\nid = "c"\nkind = "quote"\ntext = "x"\n'
        'unsourced = "common knowledge"\n',
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        "check", tmp_path / "claims.toml", "--offline", "--compact", "--fail-on", ""
    )
    assert code == 0
    lines = out.splitlines()
    # no statement text: the claims file, at its first line
    assert lines[0].startswith(f"{tmp_path / 'claims.toml'}:1:1: unsourced ")
    assert (
        lines[-1]
        == "Found 1 problem in 1 claims: 0 verified, 0 drifted, 0 broken, 0 unchecked, 1 unsourced"
    )


def test_no_findings_says_so(worked_example: claimcheck.Report) -> None:
    verified = claimcheck.Report(
        tuple(r for r in worked_example.results if r.status.value == "verified" and not r.disputed)
    )
    assert render(verified, "compact") == (
        "No problems in 13 claims: 13 verified, 0 drifted, 0 broken, 0 unchecked\n"
    )

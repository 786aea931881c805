"""The terminal report reads problems first and fits the terminal: the claims that need work
(drifted, broken, disputed, unchecked, unsourced, in that order) are listed, the verified ones
summarised in one line unless ``--all`` or ``--verbose``; the table is as wide as the terminal
(``COLUMNS``), and a URL is never folded over lines, so that a terminal can still open it."""

from __future__ import annotations

import re

import pytest

import claimcheck
from claimcheck import Status
from claimcheck.reports import render
from support import ROOT, run_cli

WORKED = ROOT / "claims"
SUMMARY = "26 claims: 15 verified, 4 drifted, 2 broken, 1 unchecked, 4 unsourced; 2 disputed"
# A line that is only a URL (with the reference number a row gives it), allowed to run past the
# width: folding it would break it for the terminal's link detection.
URL_LINE = re.compile(r"^ *(\[\d+\] )?https?://\S+$")
ORDER = ["drifted", "broken", "disputed", "unchecked", "unsourced"]


def problem_urls(report: claimcheck.Report) -> set[str]:
    """The http(s) URLs the problem rows show: the source each was judged by, and those a
    disputed one names. Each must be shown whole."""
    urls = set()
    for result in report.results:
        if result.status is Status.VERIFIED and not result.disputed:
            continue
        deciding = next((v for v in result.verdicts if v.status is result.status), None)
        if deciding is not None:
            urls.add(deciding.source.url)
        urls |= {v.source.url for v in result.verdicts if v.source.url in (result.dispute or "")}
    return {url for url in urls if url.startswith("http")}


def ends_with_summary(out: str) -> bool:
    """The counts come last (folded to the width like any other line)."""
    return " ".join(out.split()).endswith(SUMMARY)


def first_words(text: str) -> list[str]:
    """The first word of each line that starts at the left edge: a row's status."""
    return [line.split()[0] for line in text.splitlines() if line[:1].isalpha()]


def check_text(*extra: str) -> str:
    code, out, err = run_cli("check", WORKED, "--offline", *extra)
    assert code == 1, err
    return out


@pytest.mark.parametrize("width", [60, 80, 200])
def test_the_table_fits_the_terminal_and_urls_stay_whole(
    width: int, worked_example: claimcheck.Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = check_text()
    assert ends_with_summary(out)
    for line in out.splitlines():
        assert len(line) <= width or URL_LINE.match(line), (width, line)
    lines = out.splitlines()
    for url in problem_urls(worked_example):
        assert any(url in line for line in lines), (width, url)
    # the widest table uses the width it has: some line is longer than the old fixed 120
    if width == 200:
        assert max(len(line) for line in lines) > 120


def test_problems_come_first_in_order_of_severity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = check_text()
    rows = [word for word in first_words(out) if word in {*ORDER, "verified"}]
    # a disputed claim is verified, and says it is disputed on its status's next line
    statuses = [word for word in rows if word != "verified"]
    assert statuses == sorted(statuses, key=ORDER.index)
    assert statuses.count("drifted") == 4
    assert statuses.count("unsourced") == 4
    assert statuses[:4] == ["drifted"] * 4
    disputed = [line for line in out.splitlines() if line.lstrip().startswith("disputed")]
    assert disputed  # under "verified", with which source says what
    # the verified claims that are not disputed: one line, not one row each
    assert rows.count("verified") == 2  # the two disputed ones
    verified = [line for line in out.splitlines() if line.startswith("13 verified")]
    assert len(verified) == 1, out
    assert "uprising-date" in verified[0] or "--all" in verified[0]
    assert "uprising-date (1:1)" not in out  # no row of its own
    assert ends_with_summary(out)


@pytest.mark.parametrize("flag", ["--all", "--verbose"])
def test_all_or_verbose_lists_every_claim(flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = check_text(flag)
    rows = [word for word in first_words(out) if word in {*ORDER, "verified"}]
    assert rows.count("verified") == 15
    problems = [word for word in rows if word != "verified"]
    assert problems == sorted(problems, key=ORDER.index)
    assert rows[-13:] == ["verified"] * 13  # after the problems (two of them disputed)
    assert not any(line.startswith("13 verified") for line in out.splitlines())
    assert ends_with_summary(out)


def test_a_report_without_problems_says_so(worked_example: claimcheck.Report) -> None:
    verified = claimcheck.Report(
        tuple(r for r in worked_example.results if r.status is Status.VERIFIED and not r.disputed)
    )
    out = render(verified, "text", color=False, width=80)
    assert "no problems" in out
    assert out.rstrip().splitlines()[-1].startswith("13 claims: 13 verified, 0 drifted")
    assert all(len(line) <= 80 for line in out.splitlines())


def test_piped_output_without_columns_is_120_wide(
    worked_example: claimcheck.Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a terminal and no ``COLUMNS``: a log or a file, read in a wide viewer, gets 120."""
    monkeypatch.delenv("COLUMNS", raising=False)
    out = render(worked_example, "text", color=False)
    longest = max(len(line) for line in out.splitlines() if not URL_LINE.match(line))
    assert 100 < longest <= 120


def test_the_worked_example_at_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the README shows: kept in step with the renderer by this test."""
    monkeypatch.setenv("COLUMNS", "100")
    out = check_text()
    assert "zahreddine-quote" in out
    assert "https://www.alaraby.co.uk/english/news/2017/9/13/" in out

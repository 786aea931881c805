"""Markdown, JUnit XML and GitHub Actions renderings of a report, through the command line.

Internals tested directly (private modules): the Markdown cell and GitHub workflow-command escapes
(``claimcheck.reports._display``, ``._ci``); SARIF validity is checked with
``test_sarif.assert_valid`` (same folder)."""

from __future__ import annotations

import io
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from test_sarif import assert_valid

import claimcheck
from claimcheck.errors import MissingDependencyError
from claimcheck.reports import render_text
from claimcheck.reports._ci import _github_data, _github_property
from claimcheck.reports._display import markdown_text
from support import run_cli

PAGE = "The minister said the law will not change, and 189 people | signed."


@pytest.fixture
def check_command(tmp_path: Path) -> list[str]:
    """``claimcheck check --offline`` of a claims file of four quotes (changed, held, a
    placeholder link, never captured) against a store of one page: the command's arguments."""
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add("https://example.org/page", PAGE.encode(), media_type="text/plain")
    statement = tmp_path / "statement.md"
    statement.write_text(
        "Intro.\nThe minister said the law will change, and 189 people | signed.\n"
        "Also: the minister said the law will not change\n",
        encoding="utf-8",
    )
    (tmp_path / "claims.toml").write_text(
        """
[statement]
id = "example"
text = "statement.md"

[[claim]]
id = "changed"
kind = "quote"
text = "the minister said the law will change"

[[claim.source]]
url = "https://example.org/page"

[[claim]]
id = "held"
kind = "quote"
text = "the minister said the law will not change"

[[claim.source]]
url = "https://example.org/page"

[[claim]]
id = "placeholder"
kind = "quote"
text = "189 people | signed"

[[claim.source]]
url = "#"

[[claim]]
id = "unknown"
kind = "quote"
text = "Intro"

[[claim.source]]
url = "https://example.org/never-captured"
""",
        encoding="utf-8",
    )
    return [
        "check",
        "--offline",
        str(tmp_path / "claims.toml"),
        "--snapshots",
        str(tmp_path / "store"),
    ]


def test_markdown(check_command: list[str]) -> None:
    code, out, _ = run_cli(*check_command, "--format", "markdown")
    assert code == 1
    assert "| claim | status | why | source |" in out
    assert "**drifted**" in out
    assert "`negation`" in out

    assert markdown_text("a|b\nc\x1b") == "a\\|b c\\\\x1b"  # cells never break the table
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 6  # header + 4 claims + the figure no claim covers
    assert all(line.count(" | ") - line.count("\\| ") == 3 for line in rows)


def test_junit(check_command: list[str]) -> None:
    code, out, _ = run_cli(*check_command, "--format", "junit")
    assert code == 1
    suites = ET.fromstring(out.split("\n", 1)[1] if out.startswith("<?xml") else out)
    (suite,) = suites
    assert suite.get("name") == "example"
    assert suite.get("tests") == "5"
    assert suite.get("failures") == "2"  # drifted and broken
    assert suite.get("skipped") == "2"  # unchecked, and the figure no claim covers
    cases = {case.get("name"): case for case in suite}
    assert cases["changed"].find("failure") is not None
    assert cases["changed"].find("failure").get("type") == "negation"  # type: ignore[union-attr]
    assert cases["placeholder"].find("failure") is not None
    assert cases["held"].find("failure") is None
    assert cases["unknown"].find("skipped") is not None
    assert cases["figure@2:44"].find("skipped") is not None


def test_github_annotations_and_step_summary(
    check_command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run_cli(*check_command, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 2
    assert len(warnings) == 2  # unchecked, and the figure no claim covers
    uncovered = next(line for line in warnings if "not-in-claims-file" in line)
    assert "line=2,col=44" in uncovered
    changed = next(line for line in errors if "changed" in line)
    assert "line=2" in changed
    assert "col=1" in changed
    assert "file=" in changed
    assert "\n" not in changed
    assert "| claim | status |" in summary.read_text(encoding="utf-8")


def test_github_escapes_workflow_command_syntax() -> None:
    assert _github_data("50% done\nnext::error") == "50%25 done%0Anext::error"
    assert _github_property("a:b,c") == "a%3Ab%2Cc"


def test_notebook_display_and_dataframe(check_command: list[str]) -> None:
    report = claimcheck.check(
        claimcheck.load(check_command[2]), snapshots=check_command[4], copies="stored"
    )
    html = report._repr_html_()
    assert html is not None
    assert html.count("<tr") == 6  # a heading row and one per claim
    assert "negation" in html
    frame = report.to_pandas()
    assert list(frame["claim"]) == ["changed", "held", "placeholder", "unknown", "figure@2:44"]
    assert set(frame["status"]) == {"drifted", "verified", "broken", "unchecked", "unsourced"}
    assert frame.loc[frame["claim"] == "figure@2:44", "url"].isna().all()
    assert frame.loc[frame["claim"] == "held", "passage"].item() == (
        "The minister said the law will not change"
    )


def test_html_display_escapes_what_comes_from_sources() -> None:
    source = claimcheck.Source("https://example.org/<script>")
    claim = claimcheck.Claim("quote", "x", id="<img src=x onerror=alert(1)>", sources=(source,))
    verdict = claimcheck.Verdict(
        source, claimcheck.Status.BROKEN, claimcheck.Reason.NOT_FOUND, "<script>alert(1)</script>"
    )
    result = claimcheck.ClaimResult(
        claim,
        claimcheck.ClaimSet(claimcheck.Statement(), (claim,)),
        claimcheck.Status.BROKEN,
        claimcheck.Reason.NOT_FOUND,
        "<script>alert(1)</script>",
        (verdict,),
    )
    html = claimcheck.Report((result,))._repr_html_()
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_verbose_text_shows_passages_and_word_differences(check_command: list[str]) -> None:
    code, out, err = run_cli(*check_command, "--verbose")
    assert code == 1
    assert err == ""  # not a terminal: no progress display
    changed = out[out.index("changed at 2:1") :]
    assert "claim: the minister said the law will change" in changed
    # not a terminal: the differences are marked as git's word diff does
    assert "passage: “The minister said the law will {+not+} change" in changed
    assert "negation: omits 'not'" in changed
    assert "local capture of" in changed
    placeholder = out[out.index("placeholder at") :]
    assert "placeholder-link" in placeholder
    terse = run_cli(*check_command)[1]
    assert "passage:" not in terse


def test_verbose_text_in_colour_marks_the_differences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    claim = claimcheck.Claim(
        "quote", "around 189 people signed", id="q", sources=("https://example.org/p",)
    )
    claim_set = claimcheck.ClaimSet(claimcheck.Statement(id="s"), (claim,))
    store = claimcheck.SnapshotStore(tmp_path, create=True)
    store.add("https://example.org/p", b"In May around 198 people signed.", media_type="text/plain")
    report = claimcheck.check(claim_set, snapshots=store, copies="stored")

    coloured = render_text(report, color=True, verbose=True)
    assert "\x1b[9;31m189\x1b[0m" in coloured  # the claim's number struck through in red
    assert "198" in coloured
    plain = render_text(report, color=False, verbose=True)
    assert "[-189-] {+198+}" in plain
    assert "\x1b" not in plain


def test_html_report_written_with_output_option(check_command: list[str], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out, _ = run_cli(*check_command, "--format", "html", "-o", str(target))
    assert code == 1
    assert out.endswith(f"; report written to {target}\n")  # one line, not the report
    document = lxml.html.fromstring(target.read_bytes())
    statuses = {element.get("data-status") for element in document.xpath("//*[@data-status]")}
    assert {"verified", "drifted", "broken", "unchecked"} <= statuses
    assert document.xpath("//del") or document.xpath("//ins")  # the word differences


def test_sarif_through_the_command_line(check_command: list[str]) -> None:
    code, out, _ = run_cli(
        *check_command, "--format", "sarif", "--fail-on", "drifted,broken,unsourced"
    )
    assert code == 1
    log = json.loads(out)
    assert_valid(log)
    results = log["runs"][0]["results"]
    levels = {result["ruleId"]: result["level"] for result in results}
    assert levels["negation"] == "error"
    assert levels["placeholder-link"] == "error"
    assert levels["no-snapshot"] == "warning"  # unchecked: not failing, still shown
    region = next(r for r in results if r["ruleId"] == "negation")["locations"][0]
    assert region["physicalLocation"]["region"]["startLine"] == 2


def test_claimreview_through_the_command_line(check_command: list[str]) -> None:
    code, out, _ = run_cli(
        *check_command,
        "--format",
        "claimreview",
        "--author",
        "Example Checks",
        "--author-url",
        "https://checks.example/",
        "--review-url",
        "https://checks.example/statement",
        "--review-date",
        "2026-11-01",
    )
    assert code == 1
    reviews = json.loads(out)
    by_claim = {review["url"].rsplit("#", 1)[1]: review for review in reviews}
    assert set(by_claim) == {"changed", "held", "placeholder"}  # the unchecked one has no rating
    assert by_claim["held"]["reviewRating"]["ratingValue"] == 3
    assert by_claim["changed"]["reviewRating"]["ratingValue"] == 2
    assert by_claim["placeholder"]["reviewRating"]["ratingValue"] == 1
    assert by_claim["held"]["author"] == {
        "@type": "Organization",
        "name": "Example Checks",
        "url": "https://checks.example/",
    }
    assert by_claim["held"]["datePublished"] == "2026-11-01"
    assert "<" not in out  # safe to embed in a <script type="application/ld+json"> block


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_colours_on_a_terminal_unless_no_color(
    check_command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = claimcheck.check(
        claimcheck.load(check_command[2]), snapshots=check_command[4], copies="stored"
    )
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")  # not "dumb", whatever runs the tests
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert "\x1b[" in render_text(report)  # a terminal: colours
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in render_text(report)  # https://no-color.org
    monkeypatch.setenv("NO_COLOR", "")
    assert "\x1b[" in render_text(report)  # empty means unset
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in render_text(report)  # a pipe or a file: plain text
    assert "\x1b[" in render_text(report, color=True)


def test_claimreview_statement_urls_per_statement(check_command: list[str], tmp_path: Path) -> None:
    second = tmp_path / "second.toml"
    second.write_text(
        '[statement]\nid = "other"\n\n[[claim]]\nid = "o"\nkind = "quote"\n'
        'text = "the minister said the law will not change"\n'
        '[[claim.source]]\nurl = "https://example.org/page"\n',
        encoding="utf-8",
    )
    both = [*check_command[:3], str(second), *check_command[3:], "--format", "claimreview"]
    code, _, err = run_cli(*both, "--statement-url", "https://news.example/one")
    assert code == 2
    assert "give one STATEMENT=URL for each" in err
    code, out, _ = run_cli(
        *both,
        "--statement-url",
        "example=https://news.example/one",
        "--statement-url",
        "other=https://news.example/two",
    )
    appearances = {
        review["claimReviewed"][:10]: review["itemReviewed"]["appearance"].get("url")
        for review in json.loads(out)
    }
    assert "https://news.example/one" in appearances.values()
    assert "https://news.example/two" in appearances.values()
    assert run_cli(*both, "--statement-url", "nosuch=https://x.example/")[0] == 2


def test_to_pandas_without_pandas_is_a_missing_dependency(
    check_command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = claimcheck.check(
        claimcheck.load(check_command[2]), snapshots=check_command[4], copies="stored"
    )
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` raises ImportError
    with pytest.raises(MissingDependencyError, match="claimcheck-citations\\[pandas\\]"):
        report.to_pandas()

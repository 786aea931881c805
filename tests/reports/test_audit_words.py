"""One word for one state in every audit output: a citation failing but not yet confirmed is
"failing" in ``audit run`` (text, Markdown) as in ``audit report`` (Markdown, HTML, JSON), never
"pending"; one broken or drifted before this run is "still broken" or "still drifted", never
"still failing" (which would name another state). The JSON keys stay as version 1 has them."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from audit_histories import all_scenarios, write_history
from claimcheck.auditing import load_audit
from claimcheck.reports import audit_to_json, render
from claimcheck.store import State

STATE_WORDS = {state.value for state in State}
SECTIONS = ("newly_broken", "newly_drifted", "recovered", "still_failing", "flapping", "pending")


def state_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text) if word in STATE_WORDS}


def test_audit_run_and_audit_report_name_each_state_alike(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    # five nights: "dies" failing (not yet confirmed), "recovers" still broken, "drifts" newly
    # drifted, "flaps" flapping
    result = write_history(path, all_scenarios(hostile=False), runs=5)[-1]
    history = load_audit(path)
    states = {source.claim_id: source.state.value for source in history.sources}
    assert states["dies"] == "failing"
    assert states["recovers"] == "broken"

    text = render(result, "text", color=False, width=200)
    markdown = render(result, "markdown")
    history_markdown = render(history, "markdown")
    page = lxml.html.fromstring(render(history, "html"))
    for name in SECTIONS:
        for finding in getattr(result, name):
            claim = finding.key.claim_id
            label = f"statement/{claim}"
            state = states[claim]
            assert finding.state.value == state
            # audit run, text: the row's change column names the citation's state
            row = next(line for line in text.splitlines() if label in line)
            shown = state_words(row.split(label)[0])
            assert shown == (set() if name == "recovered" else {state}), (name, row)
            # audit run, Markdown: the heading of the section the row is in
            before = markdown[: markdown.index(f"| {label} |")]
            heading = before[before.rindex("### ") :].splitlines()[0]
            assert state_words(heading) == (set() if name == "recovered" else {state}), heading
            # audit report, Markdown and HTML: the same word
            report_row = next(line for line in history_markdown.splitlines() if label in line)
            assert report_row.split("|")[1].strip().strip("*") == state
            [entry] = page.xpath(f"//details[@data-state][.//span[@class='cite']/code='{label}']")
            assert entry.get("data-state") == state
    for output in (text, markdown, history_markdown, render(history, "html")):
        assert "pending" not in output
        assert "still failing" not in output
    # the summary line counts by the same words
    summary = text.splitlines()[-1]
    assert "1 failing" in summary
    assert "1 still broken" in summary


def test_the_json_keys_stay(tmp_path: Path) -> None:
    """Version 1 of ``claimcheck.audit`` keeps its keys; each finding's ``state`` is the word."""
    result = write_history(tmp_path / "audit.sqlite", all_scenarios(hostile=False), runs=5)[-1]
    data = audit_to_json(result)
    assert {"still_failing", "pending"} <= set(data)
    assert {"still_failing", "pending"} <= set(data["summary"])
    assert [finding["state"] for finding in data["pending"]] == ["failing"]
    assert [finding["state"] for finding in data["still_failing"]] == ["broken"]


def test_audit_run_text_fits_the_width_and_keeps_urls_whole(tmp_path: Path) -> None:
    result = write_history(tmp_path / "audit.sqlite", all_scenarios(hostile=False), runs=5)[-1]
    archived = "https://web.archive.org/web/20260101000000/https://example.org/dies"
    for width in (60, 80, 200):
        text = render(result, "text", color=False, width=width)
        for line in text.splitlines():
            # only a line that ends in a URL, which is never folded, may run past the width
            assert len(line) <= width or re.search(r" https?://\S+$", line), (width, line)
        assert f"cite instead: {archived}" in text
        assert any(line.strip() == "https://example.org/recovers" for line in text.splitlines())

"""``claimcheck audit report``: an audit history rendered as HTML (an inline SVG chart, escaped,
under a strict CSP), Markdown and JSON (validated against its schema). The histories are
``audit_histories.py``'s; reading them is tested in ``tests/auditing/test_audit_history.py``.

Internals tested directly (private modules): the history page's Content-Security-Policy
(``claimcheck.reports._history_html``)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import lxml.etree
import lxml.html
import pytest
from markdown_it import MarkdownIt

from audit_histories import (
    ARCHIVED,
    HOSTILE_URL,
    PAYLOAD,
    RUNS,
    Built,
    bulk_history,
    expected_counts,
    report_schema,
)
from claimcheck.auditing import AuditHistory, load_audit
from claimcheck.cli import main
from claimcheck.reports import (
    history_chart_svg,
    history_to_json,
    render_history_html,
    render_history_markdown,
)
from claimcheck.reports._history_html import CONTENT_SECURITY_POLICY

SVG = "{http://www.w3.org/2000/svg}"


def test_per_source_html_stays_compact_over_many_runs(tmp_path: Path) -> None:
    """A citation that says the same thing run after run costs the same few bytes whatever the
    number of runs: its strip and timeline are stretches, not one mark per run; one that
    flaps run after run has a path per status and its latest stretches only in its table."""
    sizes = {}
    for runs in (20, 80):
        path = tmp_path / f"{runs}.sqlite"
        bulk_history(path, 300, runs, broken_every=10, flapping_every=50)
        sizes[runs] = len(render_history_html(load_audit(path)).encode("utf-8"))
    # 60 more runs add their chart bars and table rows, not 300 x 60 marks of the citations.
    assert sizes[80] - sizes[20] < 60 * 1500
    assert sizes[80] < 300 * 2500
    page = lxml.html.document_fromstring(render_history_html(load_audit(tmp_path / "80.sqlite")))
    flapping = next(
        d
        for d in page.xpath("//details[contains(@class, 'source')]")
        if d.xpath("./summary//code")[0].text_content() == "s/c1"
    )
    strip = flapping.xpath("./summary/svg")[0]
    assert strip.xpath("./rect[@class]") == []
    assert sorted(path.get("class") for path in strip.xpath("./path")) == [
        "st-broken",
        "st-verified",
    ]
    assert strip.xpath("./path[@class='st-broken']")[0].get("d").count("M") == 40
    assert len(flapping.xpath(".//table[@class='timeline']/tbody/tr")) == 12
    assert "68 earlier stretches of runs not listed" in flapping.text_content()


def test_json_is_versioned_and_validates_against_its_schema(
    audit_history: AuditHistory, hostile_history: AuditHistory
) -> None:
    validator = jsonschema.Draft202012Validator(report_schema())
    for each in (audit_history, hostile_history):
        document = history_to_json(each)
        validator.validate(document)
        json.dumps(document, allow_nan=False)
    document = history_to_json(audit_history)
    assert (document["schema"], document["version"]) == ("claimcheck.audit-report", 1)
    assert document["summary"]["runs"] == RUNS
    assert document["summary"]["attention"] == 3
    assert document["summary"]["states"]["broken"] == 1
    sources = {source["claim"]: source for source in document["sources"]}
    dies = sources["dies"]
    assert dies["state"] == "broken"
    assert dies["replacement"] == ARCHIVED
    assert dies["since"] == "2026-03-04T02:00:00Z"
    assert [
        (s["first_run"], s["last_run"], s["observations"], s["status"]) for s in dies["timeline"]
    ] == [
        (1, 3, 3, "verified"),
        (4, 10, 7, "broken"),
    ]
    assert dies["timeline"][0]["unchanged"] == 2
    assert len(sources["flaps"]["timeline"]) == RUNS
    assert sources["late"]["observations"] == 5
    run = document["runs"][6]
    assert run["id"] == 7
    assert run["newly_broken"] == 1
    assert run["statuses"]["broken"] == 1


def test_same_history_renders_to_the_same_bytes(built_history: Built) -> None:
    first, second = load_audit(built_history.path), load_audit(built_history.path)
    assert render_history_html(first) == render_history_html(second)
    assert render_history_markdown(first) == render_history_markdown(second)
    assert history_to_json(first) == history_to_json(second)


def test_chart_has_one_bar_group_per_run_with_its_counts(
    built_history: Built, audit_history: AuditHistory
) -> None:
    svg = lxml.etree.fromstring(history_chart_svg(audit_history))  # valid XML, standalone
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    texts = {element.get("id"): element.text for element in svg.iter(f"{SVG}title", f"{SVG}desc")}
    assert all(texts.get(identifier) for identifier in labelled)
    groups = svg.findall(f".//{SVG}g[@class='run']")
    assert len(groups) == RUNS
    scale = set()
    lefts = []
    for group, run, expected in zip(
        groups, audit_history.runs, expected_counts(built_history.scenarios), strict=True
    ):
        assert group.get("data-run") == str(run.id)
        title = group.find(f"{SVG}title")
        assert title is not None
        assert title.text.startswith(f"Run {run.id}, ")
        bars = group.findall(f"{SVG}rect[@data-status]")
        counts = {bar.get("data-status"): int(bar.get("data-count")) for bar in bars}
        assert counts == dict(expected)
        for status, count in counts.items():
            assert f"{count} {status}" in title.text
        # Stacked: each bar sits on the one below, heights proportional to the counts.
        bottom = None
        for bar in bars:
            y, height = float(bar.get("y")), float(bar.get("height"))
            if bottom is not None:
                assert abs(y + height - bottom) < 0.02
            bottom = y
            scale.add(round(height / int(bar.get("data-count")), 1))
        lefts.append(float(bars[0].get("x")))
    assert len(scale) == 1
    assert lefts == sorted(lefts)  # oldest left
    legend = [
        item.get("data-status")
        for item in svg.iter(f"{SVG}g")
        if item.get("class") == "legend-item"
    ]
    assert legend == list(audit_history.statuses)
    labels = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert "citations observed" in labels
    assert "audit runs, by start date (UTC)" in labels
    assert "2026-03-01" in labels
    assert "0" in labels
    run_7 = groups[6].find(f"{SVG}title").text
    assert "1 newly broken" in run_7


def test_chart_of_hundreds_of_runs_stays_inside_its_plot(tmp_path: Path) -> None:
    path = tmp_path / "long.sqlite"
    bulk_history(path, 3, 400)
    svg = lxml.etree.fromstring(history_chart_svg(load_audit(path)))
    groups = svg.findall(f".//{SVG}g[@class='run']")
    assert len(groups) == 400
    width = float(svg.get("viewBox").split()[2])
    rects = [group.find(f"{SVG}rect[@data-status]") for group in groups]
    assert all(
        float(r.get("x")) > 0 and float(r.get("x")) + float(r.get("width")) <= width for r in rects
    )
    dates = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("20")]
    assert 2 <= len(dates) <= 10


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_html_is_one_self_contained_page_under_a_strict_policy(audit_history: AuditHistory) -> None:
    html = render_history_html(audit_history, title="Nightly audit")
    page = lxml.html.document_fromstring(html)
    (meta,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']")
    policy = meta.get("content")
    assert policy == CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy
    (style,) = page.xpath("//style")
    assert f"style-src {_sha256(style.text)};" in policy
    assert page.xpath("//script | //link | //img | //iframe | //object | //embed") == []
    assert page.xpath("//*[@src] | //*[@style] | //*[@srcset]") == []
    for href in page.xpath("//a/@href"):
        assert href.startswith(("https://", "http://", "#")), href
    assert page.findtext(".//title") == "Nightly audit"
    assert html.count("<svg") == 1 + len(audit_history.sources)  # the chart, a strip per citation
    # The runs table is the chart's text alternative.
    assert len(page.xpath("//table[@id='runs-table']/tbody/tr")) == RUNS


def test_html_lists_citations_needing_attention_first_with_their_timeline(
    audit_history: AuditHistory,
) -> None:
    page = lxml.html.document_fromstring(render_history_html(audit_history))
    attention = page.xpath("//section[@id='attention']//details[contains(@class, 'source')]")
    assert [d.get("data-state") for d in attention] == ["broken", "drifted", "flapping"]
    dies = attention[0]
    assert "statement/dies" in dies.xpath("./summary")[0].text_content()
    assert dies.xpath(".//p[@class='replacement']/a/@href") == [ARCHIVED]
    rows = dies.xpath(".//table[@class='timeline']/tbody/tr")
    assert len(rows) == 2  # three verified runs, then seven broken ones
    assert "runs 4\u201310" in rows[1].text_content()
    strip = dies.xpath("./summary/svg")[0]
    marks = strip.xpath("./rect[@class]")
    assert [(m.get("class"), m.get("x"), m.get("width")) for m in marks] == [
        ("st-verified", "0", "3"),
        ("st-broken", "3", "7"),
    ]
    others = page.xpath("//section[@id='others']//details[contains(@class, 'source')]")
    assert {d.get("data-state") for d in others} == {"healthy"}
    late = next(d for d in others if "statement/late" in d.text_content())
    (mark,) = late.xpath("./summary/svg/rect[@class]")
    assert (mark.get("x"), mark.get("width")) == ("5", "5")  # not observed in runs 1 to 5


def test_html_shows_hostile_urls_and_messages_without_obeying_them(
    hostile_history: AuditHistory,
) -> None:
    html = render_history_html(hostile_history, title="</title><script>alert(9)</script>")
    page = lxml.html.document_fromstring(html)
    assert page.xpath("//script | //img") == []
    for element in page.iter():
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
    for href in page.xpath("//@href"):
        assert href.startswith(("https://", "http://", "#")), href
        assert "\u202e" not in href
    text = page.text_content()
    assert "\u202e" not in html
    assert "\\u202e" in text
    assert PAYLOAD in text  # shown as text
    assert "javascript:alert(7)" in text
    assert "javascript:alert(5)" in text
    assert "data:text/html,<script>alert(6)</script>" in text
    assert page.findtext(".//title") == "</title><script>alert(9)</script>"
    # The quoted URL is a link, its quotes escaped inside the attribute.
    assert HOSTILE_URL in page.xpath("//a/@href")


def markdown_html(markdown: str) -> Any:
    return lxml.html.document_fromstring(
        "<div>" + MarkdownIt("commonmark").enable("table").render(markdown) + "</div>"
    )


def test_markdown_has_the_runs_then_attention_then_the_rest(audit_history: AuditHistory) -> None:
    markdown = render_history_markdown(audit_history)
    page = markdown_html(markdown)
    headings = [h.text_content() for h in page.xpath("//h3")]
    assert headings == ["Runs", "Needs attention (3)", "Other citations (4)"]
    runs, attention, others = page.xpath("//table")
    run_rows = runs.xpath("./tbody/tr")
    assert len(run_rows) == RUNS
    header = [cell.text_content() for cell in runs.xpath("./thead/tr/th")]
    seventh = dict(
        zip(header, (cell.text_content() for cell in run_rows[6].xpath("./td")), strict=True)
    )
    assert seventh["run"] == "7"
    assert seventh["broken"] == "1"
    assert seventh["newly broken"] == "1"
    rows = attention.xpath("./tbody/tr")
    cells = [[cell.text_content() for cell in row.xpath("./td")] for row in rows]
    assert [row[0] for row in cells] == ["broken", "drifted", "flapping"]
    assert cells[0][1] == "2026-03-04, 7 failing runs"
    assert cells[0][5] == ARCHIVED
    assert rows[0].xpath("./td[6]/a/@href") == [ARCHIVED]
    assert cells[0][6] == "\u2713\u2713\u2713" + "\u2717" * 7
    late = next(row for row in others.xpath("./tbody/tr") if "statement/late" in row.text_content())
    assert late.xpath("./td[7]")[0].text_content() == "\u00b7" * 5 + "\u2713" * 5


def test_markdown_shows_hostile_text_as_written(hostile_history: AuditHistory) -> None:
    markdown = render_history_markdown(hostile_history)
    assert "\u202e" not in markdown
    page = markdown_html(markdown)
    assert page.xpath("//script | //img | //b") == []
    for href in page.xpath("//@href"):
        assert href.startswith(("https://", "http://")), href
    for table in page.xpath("//table"):
        width = len(table.xpath("./thead/tr/th"))
        for row in table.xpath("./tbody/tr"):
            assert len(row.xpath("./td")) == width  # no | from the history split a cell
    text = page.text_content()
    assert "<b>hostile</b>/c|1`\\u202e" in text
    assert "javascript:alert(7)" in text
    assert "javascript:alert(5)" in text
    assert PAYLOAD.replace("\u202e", "\\u202e") in text
    assert "https://example.org/\\u202egnp.exe" in text


@pytest.mark.slow  # a headless Chromium
def test_browser_shows_the_chart_and_runs_nothing(
    browser: Any, hostile_history: AuditHistory, tmp_path: Path
) -> None:
    path = tmp_path / "audit.html"
    path.write_text(render_history_html(hostile_history), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        chart = page.locator("figure.chart svg")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 600
        assert box["height"] > 150
        bar = page.locator("svg.chart g.run rect[data-status]").first
        assert bar.is_visible()
        assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(26, 127, 55)"  # verified
        strips = page.locator("details.source svg.strip")
        assert strips.count() == len(hostile_history.sources)
        assert strips.first.is_visible()
        first = page.locator("details.source").first
        assert first.locator("table.timeline").is_hidden()  # folded
        first.locator("summary").click(position={"x": 5, "y": 5})
        assert first.locator("table.timeline").is_visible()
        for element in page.locator("details.source summary, .source-body p").all():
            if element.is_visible():
                element.hover()
        page.locator("g.run").nth(3).hover()
        screenshot = tmp_path / "audit.png"
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert screenshot.stat().st_size > 20_000
        assert page.evaluate("document.scripts.length") == 0
        assert requests == [path.as_uri()]  # nothing is loaded from anywhere else
        assert errors == []  # a style blocked by the CSP would show here
        assert dialogs == []
    finally:
        context.close()


def test_the_command_line_writes_each_format(
    built_history: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = built_history.path.read_bytes()
    target = tmp_path / "report.html"
    assert main(["audit", "report", "--db", str(built_history.path), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert capsys.readouterr().out.endswith(f"; report written to {target}\n")
    assert main(["audit", "report", "--db", str(built_history.path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "claimcheck.audit-report"
    assert main(["audit", "report", "--db", str(built_history.path), "--format", "markdown"]) == 0
    assert "|" in capsys.readouterr().out
    assert built_history.path.read_bytes() == before  # read only
    assert main(["audit", "report", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "no such audit history" in capsys.readouterr().err

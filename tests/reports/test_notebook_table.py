"""How a notebook shows a report (``Report._repr_html_``, drawn by
:func:`claimcheck.reports.render_notebook`): text read from the left whatever the notebook's own
style, one colour per status, sources as links when they are plain http(s) URLs, everything
escaped; in the markup and in a headless Chromium under JupyterLab's table rule."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest

import claimcheck
from claimcheck.reports import render_notebook

# JupyterLab's rendered-HTML style sheet (@jupyterlab/rendermime, base.css, as nbconvert's lab
# template exports it) right-aligns every table cell, for numbers: text columns must say
# otherwise on each cell.
JUPYTER_TABLE_RULE = """
.jp-RenderedHTMLCommon tr, .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td {
  text-align: right; vertical-align: middle; padding: 0.5em 0.5em; line-height: normal;
  white-space: normal; max-width: none; border: none; }
"""


def rows(html: str) -> list[Any]:
    return list(lxml.html.fragment_fromstring(html, create_parent="div").xpath("//tbody/tr"))


def test_a_report_shows_itself_as_the_notebook_table(worked_example: claimcheck.Report) -> None:
    html = worked_example._repr_html_()
    assert html == render_notebook(worked_example)
    assert len(rows(html)) == len(worked_example.results)
    # the counts as the terminal says them: no "0 ignored", no "total" beside the statuses
    summary = "26 claims: 15 verified, 4 drifted, 2 broken, 1 unchecked, 4 unsourced; 2 disputed"
    assert f"<p>claimcheck report: {summary}</p>" in html


def test_every_cell_is_left_aligned(worked_example: claimcheck.Report) -> None:
    document = lxml.html.fragment_fromstring(render_notebook(worked_example), create_parent="div")
    cells = document.xpath("//td | //th")
    assert len(cells) == 4 * (len(worked_example.results) + 1)
    for cell in cells:
        assert "text-align: left" in cell.get("style")


def test_one_colour_per_status(worked_example: claimcheck.Report) -> None:
    colours: dict[str, set[str]] = {}
    for row, result in zip(
        rows(render_notebook(worked_example)), worked_example.results, strict=True
    ):
        (status,) = row.xpath(".//b[@class='status']")
        assert status.text_content() == result.status.value
        colour = re.search(r"color: (#[0-9a-f]{6})", status.get("style"))
        assert colour is not None
        colours.setdefault(result.status.value, set()).add(colour.group(1))
    assert set(colours) == {s.value for s in claimcheck.Status}
    assert all(len(shades) == 1 for shades in colours.values())
    each = [shades.pop() for shades in colours.values()]
    assert len(set(each)) == len(each)  # unsourced is not unchecked, nor any other


def test_sources_are_links_only_when_plain_http(worked_example: claimcheck.Report) -> None:
    linked = 0
    for row, result in zip(
        rows(render_notebook(worked_example)), worked_example.results, strict=True
    ):
        links = row.xpath(".//a")
        deciding = [v for v in result.verdicts if v.status is result.status]
        if not deciding:
            assert not links
            continue
        url = deciding[0].source.url
        if not url.startswith(("https://", "http://")):  # a placeholder "#": shown, not linked
            assert not links
            assert url in row.text_content()
            continue
        (link,) = links
        assert link.get("href") == deciding[0].source.url
        assert link.text_content() == deciding[0].source.url
        assert "noopener" in link.get("rel")
        linked += 1
    assert linked >= 15


def hostile_report() -> claimcheck.Report:
    results = []
    for url in ("javascript:alert(1)", 'https://example.org/"><script>alert(2)</script>'):
        source = claimcheck.Source(url)
        claim = claimcheck.Claim(
            "quote", "x", id="<img src=x onerror=alert(3)>\u202eevil", sources=(source,)
        )
        verdict = claimcheck.Verdict(
            source, claimcheck.Status.BROKEN, claimcheck.Reason.NOT_FOUND, "<b>m</b>\u202e"
        )
        results.append(
            claimcheck.ClaimResult(
                claim,
                claimcheck.ClaimSet(claimcheck.Statement(), (claim,)),
                verdict.status,
                verdict.reason,
                "<script>alert(4)</script>\u202e",
                (verdict,),
            )
        )
    return claimcheck.Report(tuple(results))


def test_hostile_values_are_shown_not_run() -> None:
    html = render_notebook(hostile_report())
    document = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not document.xpath("//script | //img | //td//b[not(@class) and not(@style)]")
    assert "\u202e" not in html
    assert "\\u202e" in document.text_content()  # shown as an escape
    first, second = rows(html)
    assert not first.xpath(".//a")  # javascript: is shown, not linked
    assert "javascript:alert(1)" in first.text_content()
    (link,) = second.xpath(".//a")
    assert link.get("href") == 'https://example.org/"><script>alert(2)</script>'


@pytest.mark.slow  # a headless Chromium
def test_browser_reads_the_table_from_the_left_in_status_colours(
    browser: Any, worked_example: claimcheck.Report, tmp_path: Path
) -> None:
    page_file = tmp_path / "notebook.html"
    page_file.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><style>{JUPYTER_TABLE_RULE}</style>"
        f"</head><body><div class='jp-RenderedHTMLCommon'>{render_notebook(worked_example)}"
        "</div></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        aligns = page.eval_on_selector_all(
            ".jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th",
            "cells => cells.map(c => getComputedStyle(c).textAlign)",
        )
        assert set(aligns) == {"left"}
        shades = page.eval_on_selector_all(
            "b.status", "cells => cells.map(c => [c.textContent, getComputedStyle(c).color])"
        )
        by_status: dict[str, set[str]] = {}
        for status, colour in shades:
            by_status.setdefault(status, set()).add(colour)
        assert all(len(colours) == 1 for colours in by_status.values())
        assert len({next(iter(c)) for c in by_status.values()}) == len(by_status) == 5
        assert page.locator("tbody a").count() > 0
    finally:
        context.close()

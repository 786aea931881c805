"""The HTML report read problems first (issue 16): the list of what needs attention at the top,
word differences coloured as an editor reads a correction, the statement's Markdown rendered
with its highlights on the claims' words, the match number explained, the stored copy named by
the command that shows it, and a print style sheet; in the markup and in a headless Chromium."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import tomli_w

import claimcheck
from claimcheck.documents import LineIndex
from claimcheck.reports import render_html
from claimcheck.store import capture_id

PAGE = (
    "Officials said 198 people signed the petition. The law will not change, they said. "
    "The minister's page lists every name."
)
STATEMENT = """# The petition

Officials said that **189 people signed the petition** last week.

- They also said: *The law will not change*.
- See [the minister's page](https://example.org/page) and [a note](notes.html).

> Quoted <script>alert(1)</script> with ![a chart](https://example.org/chart.png) inline.

Read [more](javascript:alert(2)) or `code <b>`.
"""
PROBLEMS = ("drifted", "broken", "disputed", "unchecked", "unsourced")


def parse(html: str) -> Any:
    return lxml.html.document_fromstring(html)


@pytest.fixture
def markdown_report(tmp_path: Path) -> claimcheck.Report:
    """A Markdown statement with a heading, emphasis, a list, links good and bad, raw HTML, an
    image and code; its claims inside emphasis, inside a link's text, and unsourced."""
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add(
        "https://example.org/page",
        PAGE.encode(),
        media_type="text/plain",
        captured=dt.datetime(2021, 4, 1, tzinfo=dt.UTC),
    )
    (tmp_path / "statement.md").write_text(STATEMENT, encoding="utf-8")
    page = [{"url": "https://example.org/page"}]
    document = {
        "statement": {"id": "md", "title": "A Markdown statement", "text": "statement.md"},
        "claim": [
            {"id": "petition", "kind": "quote", "text": "189 people signed the petition"},
            {"id": "law", "kind": "quote", "text": "The law will not change"},
            {"id": "page", "kind": "quote", "text": "the minister's page"},
            {"id": "week", "kind": "quote", "text": "last week", "unsourced": "a test"},
        ],
    }
    for claim in document["claim"][:3]:
        claim["source"] = page
    (tmp_path / "claims.toml").write_text(tomli_w.dumps(document), encoding="utf-8")
    return claimcheck.check(  # no coverage findings: claims of their own on the same words
        claimcheck.load(tmp_path / "claims.toml"), snapshots=store, copies="stored", coverage=False
    )


def problems(report: claimcheck.Report) -> list[tuple[int, str]]:
    """(claim number, what is wrong) of every claim that needs attention, the worse first."""
    found = []
    for wanted in PROBLEMS:
        for index, result in enumerate(report.results):
            if (wanted == "disputed" and result.disputed) or result.status.value == wanted:
                found.append((index + 1, wanted))
    return found


# --------------------------------------------------------------------------------------------
# Needs attention


def test_attention_list_links_every_problem_worst_first(
    worked_example: claimcheck.Report,
) -> None:
    document = parse(render_html(worked_example))
    (nav,) = document.xpath("//header/nav[@id='attention']")
    # at the top: before the filters, the legend and every statement
    assert document.xpath("//header/nav[@id='attention']/following::*[@id='filters']")
    items = nav.xpath(".//li")
    expected = problems(worked_example)
    assert len(expected) == 13  # 4 drifted, 2 broken, 2 disputed, 1 unchecked, 4 unsourced
    assert "Needs attention (13)" in nav.text_content()
    for item, (number, status) in zip(items, expected, strict=True):
        (link,) = item.xpath("./a")
        assert link.get("href") == f"#claim-{number}"
        assert document.get_element_by_id(f"claim-{number}") is not None
        (badge,) = link.xpath(".//span[contains(@class, 'badge')]")
        assert badge.text_content() == status  # its status in words, not only a colour
        result = worked_example.results[number - 1]
        assert result.claim.id in link.text_content()
        # what is wrong: the dispute for a disputed claim, else why it has its status
        why = result.dispute if status == "disputed" else result.message
        assert why in item.text_content()
        # and what the status means, on the badge
        assert {
            "drifted": "the source says something else",
            "broken": "the citation leads nowhere",
            "disputed": "another cited source says something else",
            "unchecked": "the source could not be consulted",
            "unsourced": "the statement gives no source",
        }[status] in badge.get("title")


def test_attention_list_says_when_nothing_needs_it(worked_example: claimcheck.Report) -> None:
    verified = tuple(
        r
        for r in worked_example.results
        if r.status is claimcheck.Status.VERIFIED and not r.disputed
    )
    document = parse(render_html(claimcheck.Report(verified)))
    (nav,) = document.xpath("//nav[@id='attention']")
    assert not nav.xpath(".//li")
    assert "Nothing" in nav.text_content()


# --------------------------------------------------------------------------------------------
# Word differences, the match number, the copy read


def test_word_differences_read_as_a_correction_with_a_legend(
    worked_example: claimcheck.Report,
) -> None:
    document = parse(render_html(worked_example))
    claim_side = document.xpath("//figure[contains(@class, 'side-claim')]")
    source_side = document.xpath("//figure[contains(@class, 'side-source')]")
    # the statement's own words are the problem; the source's, the reference
    assert sum(len(f.xpath(".//del")) for f in claim_side) >= 5
    assert not [f for f in claim_side if f.xpath(".//ins")]
    assert sum(len(f.xpath(".//ins")) for f in source_side) >= 3
    assert not [f for f in source_side if f.xpath(".//del")]
    (legend,) = document.xpath("//header//p[@class='diff-legend']")
    assert "the statement's words" in legend.xpath(".//del")[0].text_content()
    assert "the source's words" in legend.xpath(".//ins")[0].text_content()
    assert legend.xpath(".//mark")


def test_match_number_is_labelled_and_explained(worked_example: claimcheck.Report) -> None:
    document = parse(render_html(worked_example))
    assert not re.search(r"\bscore\b", document.xpath("//body")[0].text_content())
    scores = document.xpath("//span[@class='score']")
    assert scores
    for score in scores:
        assert re.fullmatch(r"match \d+/100", score.text_content())
        assert "never from this number" in score.get("title")


def test_copy_read_names_the_stored_copy_and_the_archive(tmp_path: Path) -> None:
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    snapshot = store.add(
        "https://example.org/a", b"The law will not change.", media_type="text/plain"
    )
    archived = store.add(
        "https://example.org/a",
        b"The law will change.",
        media_type="text/plain",
        origin="archive",
        archive_url="https://web.archive.org/web/20200101000000/https://example.org/a",
    )
    claim = claimcheck.Claim(
        "quote", "The law will not change", id="law", sources=(claimcheck.Source(snapshot.url),)
    )
    claim_set = claimcheck.ClaimSet(claimcheck.Statement(), (claim,))
    verdict = claimcheck.Verdict(
        claim.sources[0],
        claimcheck.Status.VERIFIED,
        claimcheck.Reason.EXACT,
        "word for word",
        snapshot=snapshot,
        archived_snapshot=archived,
    )
    result = claimcheck.ClaimResult(
        claim, claim_set, verdict.status, verdict.reason, "m", (verdict,)
    )
    document = parse(render_html(claimcheck.Report((result,))))
    live, old = document.xpath("//p[@class='capture']")
    assert live.xpath(".//code[@class='command']")[0].text_content() == (
        f"claimcheck snapshot show {capture_id(snapshot)}"
    )
    assert old.xpath(".//code[@class='command']")[0].text_content() == (
        f"claimcheck snapshot show {capture_id(archived)}"
    )
    (link,) = old.xpath(".//a")
    assert link.get("href") == archived.archive_url
    assert link.text_content() == "archived copy"


# --------------------------------------------------------------------------------------------
# The statement's Markdown


def test_markdown_statement_is_rendered_safely(markdown_report: claimcheck.Report) -> None:
    html = render_html(markdown_report)
    document = parse(html)
    (statement,) = document.xpath("//div[contains(@class, 'statement')]")
    assert "markdown" in statement.get("class").split()
    assert statement.xpath("./h1")[0].text_content() == "The petition"
    assert statement.xpath(".//strong")
    assert statement.xpath(".//em")
    assert len(statement.xpath("./ul/li")) == 2
    assert statement.xpath("./blockquote")
    assert statement.xpath(".//code")[0].text_content() == "code <b>"
    text = statement.text_content()
    for syntax in ("**", "# The", "](", "- They"):
        assert syntax not in text
    # only http(s) links; the others keep their text, not linked; raw HTML and images as text
    links = [a.get("href") for a in statement.xpath(".//a[contains(@class, 'url')]")]
    assert links == ["https://example.org/page"]
    assert not [h for h in statement.xpath(".//a/@href") if not h.startswith(("#", "https:"))]
    unlinked = statement.xpath(".//span[@class='unlinked']")
    assert [u.text_content() for u in unlinked] == ["a note", "more"]
    assert "javascript:alert(2)" in unlinked[1].get("title")
    assert "<script>alert(1)</script>" in text
    assert "[image: a chart]" in text
    assert len(document.xpath("//script")) == 1
    assert not document.xpath("//img | //b | //*[@src]")


def test_markdown_statement_keeps_each_highlight_on_its_claim(
    markdown_report: claimcheck.Report,
) -> None:
    document = parse(render_html(markdown_report))
    (statement,) = document.xpath("//div[contains(@class, 'statement')]")
    for index, result in enumerate(markdown_report.results):
        number = index + 1
        pieces = statement.xpath(
            f".//*[contains(@class, 'hl')][@href='#claim-{number}' or "
            f"contains(@title, '{number}. {result.claim.id}:')]"
        )
        assert "".join(p.text_content() for p in pieces) == result.claim.text, result.claim.id
        assert f"st-{result.status.value}" in pieces[0].get("class").split()
        (tag,) = statement.xpath(f".//sup[a/@href='#claim-{number}']")
        assert tag.text_content() == f"{number}\u00a0{result.status.value}"
    # inside emphasis, inside the link's text (a span there: links do not nest)
    assert statement.xpath(".//strong/a[contains(@class, 'hl')]")
    assert statement.xpath(".//em/a[contains(@class, 'hl')]")
    (inside,) = statement.xpath(".//a[contains(@class, 'url')]//*[contains(@class, 'hl')]")
    assert inside.tag == "span"
    assert inside.text_content() == "the minister's page"
    assert not statement.xpath(".//a//a")


HOSTILE_MARKDOWN = """# Title <script>alert(1)</script>

A [link](https://example.org/"onmouseover="alert(2) "t\\" onclick=\\"alert(3)") and
[js](javascript:alert(4)) and <javascript:alert(5)> and [data](data:text/html,<b>x</b>) and
[ref][r] and ![i](https://example.org/i.png "<img src=x onerror=alert(6)>") and
<a href="javascript:alert(7)">raw</a> and \u202eevil\u202c said the law will change.

<iframe src="https://example.org/"></iframe>

[r]: vbscript:alert(8)
"""


def test_markdown_links_and_html_are_shown_never_run(tmp_path: Path) -> None:
    text = HOSTILE_MARKDOWN
    start = text.index("the law will change")
    lines = LineIndex(text)
    location = claimcheck.Location(
        *lines.line_column(start), *lines.line_column(start + len("the law will change"))
    )
    claim = claimcheck.Claim("quote", "the law will change", id="law", location=location)
    claim_set = claimcheck.ClaimSet(
        claimcheck.Statement(text=text, path=tmp_path / "s.md"), (claim,)
    )
    result = claimcheck.ClaimResult(
        claim, claim_set, claimcheck.Status.UNSOURCED, claimcheck.Reason.NO_SOURCE, "m", ()
    )
    html = render_html(claimcheck.Report((result,)))
    document = parse(html)
    (statement,) = document.xpath("//div[contains(@class, 'statement')]")
    assert "markdown" in statement.get("class").split()
    assert not document.xpath("//img | //iframe | //b | //*[@src] | //*[@onclick]")
    assert not [
        name
        for e in document.iter()
        if isinstance(e.tag, str)
        for name in e.attrib
        if name.lower().startswith("on")
    ]
    assert len(document.xpath("//script")) == 1
    hrefs = statement.xpath(".//a/@href")
    assert [h for h in hrefs if not h.startswith("#")] == [
        "https://example.org/%22onmouseover=%22alert(2)"
    ]
    shown = statement.text_content()
    for words in ("<script>alert(1)</script>", '<a href="javascript:alert(7)">raw</a>', "<iframe"):
        assert words in shown
    assert "\u202e" not in html
    assert "\\u202eevil\\u202c" in shown
    titles = [span.get("title") for span in statement.xpath(".//span[@class='unlinked']")]
    assert any("javascript:alert(4)" in t for t in titles)
    assert any("vbscript:alert(8)" in t for t in titles)
    (highlight,) = statement.xpath(".//a[contains(@class, 'hl')]")
    assert highlight.text_content() == "the law will change"


def test_markdown_that_cannot_hold_the_marks_is_shown_as_written(tmp_path: Path) -> None:
    """A statement holding the private-use characters the renderer marks cuts with is shown as
    written: the highlights are never misplaced."""
    text = "Intro \U000f0000 x. The law will not change.\n"
    claim = claimcheck.Claim(
        "quote", "The law will not change", id="law", location=claimcheck.Location(1, 12, 1, 35)
    )
    claim_set = claimcheck.ClaimSet(
        claimcheck.Statement(text=text, path=tmp_path / "s.md"), (claim,)
    )
    result = claimcheck.ClaimResult(
        claim, claim_set, claimcheck.Status.UNSOURCED, claimcheck.Reason.NO_SOURCE, "m", ()
    )
    document = parse(render_html(claimcheck.Report((result,))))
    (statement,) = document.xpath("//div[contains(@class, 'statement')]")
    assert "markdown" not in statement.get("class").split()
    assert statement.xpath(".//a[contains(@class, 'hl')]")[0].text_content() == claim.text


# --------------------------------------------------------------------------------------------
# In a real browser


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Opens a rendered report from a file:// URL in a fresh page; returns the page and the
    errors it reported."""
    contexts: list[Any] = []

    def open_(report: claimcheck.Report, *, height: int = 900) -> tuple[Any, list[str]]:
        path = tmp_path / f"report-{len(contexts)}.html"
        path.write_text(render_html(report), encoding="utf-8")
        context = browser.new_context(viewport={"width": 1300, "height": height})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        return page, errors

    yield open_
    for context in contexts:
        context.close()


def rgb(colour: str) -> tuple[int, ...]:
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", colour)
    assert match is not None, colour
    values = tuple(int(v) for v in match.groups()[:3])
    alpha = match.group(4)
    return (*values, 0) if alpha is not None and float(alpha) == 0 else values


def style(page: Any, selector: str, prop: str) -> str:
    return str(
        page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}", timeout=5000)
    )


@pytest.mark.slow  # a headless Chromium
def test_browser_attention_links_scroll_to_each_problem(
    open_page: Any, worked_example: claimcheck.Report
) -> None:
    page, errors = open_page(worked_example, height=700)
    links = page.locator("#attention li a")
    expected = problems(worked_example)
    assert links.count() == len(expected)
    for position, (number, _) in enumerate(expected):
        links.nth(position).click()
        assert page.url.endswith(f"#claim-{number}")
        assert page.evaluate("document.querySelector(':target').id") == f"claim-{number}"
        top = page.locator(f"#claim-{number}").evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top < 700, (number, top)  # scrolled into view
    assert errors == []


@pytest.mark.slow  # a headless Chromium
def test_browser_colours_word_differences_as_a_correction(
    open_page: Any, worked_example: claimcheck.Report
) -> None:
    page, _ = open_page(worked_example)
    for where in (".side-claim del.d", ".diff-legend del.d"):
        red, green, blue = rgb(style(page, where, "backgroundColor"))
        assert red > green + 15, where  # red-ish: the problem
        assert red > blue + 15, where
        assert "line-through" in style(page, where, "textDecorationLine")
        red, green, blue = rgb(style(page, where, "color"))
        assert red > max(green, blue)
    for where in (".side-source ins.d", ".diff-legend ins.d"):
        assert rgb(style(page, where, "backgroundColor"))[-1] == 0  # no colour: the reference
        assert "underline" in style(page, where, "textDecorationLine")
        red, green, blue = rgb(style(page, where, "color"))
        assert green <= max(red, blue) + 30, where  # never green


@pytest.mark.slow  # a headless Chromium
def test_browser_renders_the_markdown_with_highlights(
    open_page: Any, markdown_report: claimcheck.Report
) -> None:
    page, errors = open_page(markdown_report)
    statement = ".statement.markdown"
    assert float(style(page, f"{statement} h1", "fontSize")[:-2]) > float(
        style(page, f"{statement} p", "fontSize")[:-2]
    )
    assert style(page, f"{statement} em", "fontStyle") == "italic"
    assert int(style(page, f"{statement} strong", "fontWeight")) >= 600
    assert style(page, f"{statement} li", "display") == "list-item"
    assert style(page, f"{statement} p", "whiteSpace") == "normal"
    for index in range(len(markdown_report.results)):
        highlight = page.locator(f"#hl-{index + 1}")
        assert highlight.is_visible()
        assert rgb(highlight.evaluate("e => getComputedStyle(e).backgroundColor"))[-1] != 0
    page.locator(f"{statement} strong a.hl").click()
    assert page.evaluate("document.querySelector(':target').id") == "claim-1"
    assert page.evaluate("document.images.length") == 0
    assert errors == []


@pytest.mark.slow  # a headless Chromium
def test_browser_prints_every_claim_without_the_checkboxes(
    open_page: Any, worked_example: claimcheck.Report
) -> None:
    page, _ = open_page(worked_example)
    page.get_by_label("verified (").uncheck()
    assert page.locator("article.claim.st-verified").first.is_hidden()
    page.emulate_media(media="print")
    assert page.locator("#filters").is_hidden()
    assert page.locator("details.legend").is_hidden()
    articles = page.locator("article.claim")
    assert articles.count() == len(worked_example.results)
    for article in articles.all():
        assert article.is_visible()
        assert article.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    assert style(page, ".statement", "position") == "static"
    after = page.locator("li.verdict a.url").first.evaluate(
        "e => [getComputedStyle(e, '::after').content, e.href]"
    )
    assert after[1] in after[0]  # the address is printed
    assert rgb(style(page, "a.hl.st-verified", "backgroundColor"))[-1] != 0
    page.emulate_media(media="screen")
    assert page.locator("article.claim.st-verified").first.is_hidden()  # the filter holds


def test_the_stored_copy_commands_show_each_copy() -> None:
    """Every ``snapshot show`` command the worked example's report prints names one stored copy,
    and running it shows that copy."""
    from support import WORKED_EXAMPLE, WORKED_EXAMPLE_STORE, run_cli

    report = claimcheck.check(WORKED_EXAMPLE, copies="stored", snapshots=WORKED_EXAMPLE_STORE)
    document = parse(render_html(report))
    commands = sorted({code.text_content() for code in document.xpath("//code[@class='command']")})
    assert commands
    for command in commands:
        program, *arguments = command.split()
        assert program == "claimcheck"
        status, out, err = run_cli(*arguments, "--snapshots", WORKED_EXAMPLE_STORE)
        assert (status, err) == (0, ""), command
        assert out.startswith(f"capture {arguments[-1]}\nurl:"), command

"""The self-contained HTML report: its content, its safety with hostile sources and claims files,
and how it behaves in a real headless Chromium (skipped where Chromium or playwright is absent).

Internals tested directly (private modules): the report's Content-Security-Policy and the link
filter (``claimcheck.reports._html``, ``._htmlkit``)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import lxml.html
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

import claimcheck
from claimcheck.documents import LineIndex
from claimcheck.reports import render_html
from claimcheck.reports._html import CONTENT_SECURITY_POLICY
from claimcheck.reports._htmlkit import href as _href

PAGE = "Officials said 198 people signed the petition. The law will not change, they said."
STATEMENT = (
    "Officials said that 189 people signed the petition.\n"
    "They also said: The law will not change. See [here](#).\nAnd more.\n"
)
PAYLOAD = '</script><script>alert(1)</script> " onmouseover="alert(2)" <img src=x onerror=alert(3)>'
HOSTILE_URL = 'https://example.org/"onmouseover="alert(4)'


def parse(html: str) -> Any:
    return lxml.html.document_fromstring(html)


_COMPOUND = re.compile(r"([a-z0-9]*)((?:[.#][\w-]+)*)(?:\[(\w+)=(\w+)\])?")


def select(element: Any, selector: str) -> list[Any]:
    """The descendants of ``element`` that a simple CSS selector matches (tags, classes, ids,
    ``[name=value]``, descendant combinators): enough for these tests, without cssselect."""
    steps = []
    for compound in selector.split():
        match = _COMPOUND.fullmatch(compound)
        assert match is not None, compound
        tag, qualifiers, name, value = match.groups()
        tests = [f"@{name}='{value}'"] if name else []
        for qualifier in re.findall(r"[.#][\w-]+", qualifiers):
            if qualifier[0] == "#":
                tests.append(f"@id='{qualifier[1:]}'")
            else:
                tests.append(
                    f"contains(concat(' ', normalize-space(@class), ' '), ' {qualifier[1:]} ')"
                )
        steps.append((tag or "*") + "".join(f"[{test}]" for test in tests))
    return list(element.xpath(".//" + "//".join(steps)))


def claim_article(document: Any, claim_id: str) -> Any:
    (article,) = [
        article
        for article in select(document, "article.claim")
        if select(article, "code.cid")[0].text_content() == claim_id
    ]
    return article


@pytest.fixture
def small_report(tmp_path: Path) -> claimcheck.Report:
    """One statement with a claim of each status, a figure nested in a quote, an excerpt capture,
    and (added after the check, as a dead link's would be) an archived copy and a replacement."""
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add(
        "https://example.org/page",
        PAGE.encode(),
        media_type="text/plain",
        captured=dt.datetime(2021, 4, 1, tzinfo=dt.UTC),
        excerpt=True,
    )
    (tmp_path / "statement.md").write_text(STATEMENT, encoding="utf-8")
    page = [{"url": "https://example.org/page"}]
    document = {
        "statement": {"id": "small", "title": "A small statement", "text": "statement.md"},
        "claim": [
            {"id": "petition", "kind": "quote", "text": "189 people signed the petition"},
            {"id": "count", "kind": "figure", "text": "189 people", "context": "signed"},
            {"id": "law", "kind": "quote", "text": "The law will not change"},
            {"id": "placeholder", "kind": "quote", "text": "They also said", "source": []},
            {"id": "uncaptured", "kind": "quote", "text": "And more", "source": []},
        ],
    }
    for claim in document["claim"][:3]:
        claim["source"] = page
    document["claim"][3]["source"] = [{"url": "#"}]
    document["claim"][4]["source"] = [{"url": "https://example.org/never-captured"}]
    (tmp_path / "claims.toml").write_text(tomli_w.dumps(document), encoding="utf-8")
    report = claimcheck.check(
        claimcheck.load(tmp_path / "claims.toml"), snapshots=store, copies="stored"
    )
    archived = attrs.evolve(
        report.results[2].verdicts[0].snapshot,
        url="https://example.org/never-captured",
        captured=dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC),
        origin="archive",
        archive_url="https://web.archive.org/web/20200102030400/https://example.org/never-captured",
        excerpt=False,
    )
    uncaptured = report.results[4]
    verdict = attrs.evolve(
        uncaptured.verdicts[0],
        archived_snapshot=archived,
        replacement="https://web.archive.org/web/2020/https://example.org/never-captured",
    )
    results = list(report.results)
    results[4] = attrs.evolve(uncaptured, verdicts=(verdict,))
    return attrs.evolve(report, results=tuple(results))


@pytest.fixture
def hostile_report(tmp_path: Path) -> claimcheck.Report:
    """Script and attribute payloads, bidi overrides and unsafe URLs everywhere a claims file or a
    source can put them."""
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add(
        "https://example.org/hostile",
        f"The minister said {PAYLOAD} and the law will not change \u202eevil\u202c.".encode(),
        media_type="text/plain",
    )
    store.add(HOSTILE_URL, b"nothing here", media_type="text/plain")
    (tmp_path / "statement.md").write_text(
        f"Intro. The minister said {PAYLOAD} and the law will change \u202eevil\u202c.\n",
        encoding="utf-8",
    )
    document = {
        "statement": {
            "id": "<b>hostile</b>",
            "title": "</title><script>alert(5)</script>",
            "text": "statement.md",
        },
        "claim": [
            {
                "id": "<img src=x onerror=alert(6)>",
                "kind": "quote",
                "text": f"The minister said {PAYLOAD} and the law will change",
                "source": [{"url": "https://example.org/hostile"}, {"url": "javascript:alert(7)"}],
            },
            {
                "id": '" onmouseover="alert(8)',
                "kind": "quote",
                "text": "the law will change \u202eevil\u202c",
                "source": [
                    {"url": HOSTILE_URL, "context": "<script>alert(9)</script>"},
                    {"url": "data:text/html,<script>alert(10)</script>"},
                ],
            },
        ],
    }
    (tmp_path / "claims.toml").write_text(tomli_w.dumps(document), encoding="utf-8")
    report = claimcheck.check(
        claimcheck.load(tmp_path / "claims.toml"), snapshots=store, copies="stored"
    )
    first = report.results[0]
    verdict = first.verdicts[0]
    assert verdict.evidence is not None
    assert verdict.snapshot is not None
    evidence = attrs.evolve(verdict.evidence, region="<b onclick=alert(11)>", found='"><x')
    snapshot = attrs.evolve(
        verdict.snapshot,
        origin="<script>alert(12)</script>",
        archive_url="javascript:alert(13)",
    )
    verdict = attrs.evolve(
        verdict,
        evidence=evidence,
        archived_snapshot=snapshot,
        archived_evidence=evidence,
        replacement="data:text/html,<script>alert(14)</script>",
        message=f"{verdict.message} {PAYLOAD}",
    )
    results = list(report.results)
    results[0] = attrs.evolve(first, verdicts=(verdict, *first.verdicts[1:]))
    return attrs.evolve(report, results=tuple(results))


# --------------------------------------------------------------------------------------------
# The page


def test_page_is_one_self_contained_utf8_document(small_report: claimcheck.Report) -> None:
    html = render_html(small_report)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in html
    html.encode("utf-8")
    document = parse(html)
    assert document.get("lang") == "en"
    assert document.find("head/title").text == "claimcheck report: A small statement"
    assert not document.xpath("//*[@src] | //link | //iframe | //object | //embed | //img")
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert "@import" not in style
    assert "url(" not in style
    assert "http" not in style + script
    for link in document.xpath("//a[@href]"):
        href = link.get("href")
        assert href.startswith("#") or (
            href.startswith(("https://", "http://")) and "url" in link.get("class").split()
        ), href
        if href.startswith("#"):
            assert document.get_element_by_id(href[1:]) is not None, href


def test_content_security_policy_allows_only_the_inline_style_and_script(
    small_report: claimcheck.Report,
) -> None:
    html = render_html(small_report)
    (policy,) = parse(html).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in policy
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["style-src"] == digest(style)
    assert directives["script-src"] == digest(script)
    assert " style=" not in html  # inline style attributes would need 'unsafe-inline'


def test_same_report_renders_to_the_same_bytes(worked_example: claimcheck.Report) -> None:
    assert render_html(worked_example) == render_html(worked_example)
    assert render_html(worked_example, title="Review") != render_html(worked_example)


def test_header_counts_every_status_and_filters_are_hidden_without_script(
    worked_example: claimcheck.Report,
) -> None:
    document = parse(render_html(worked_example))
    counts = [badge.text_content() for badge in select(document, "ul.summary .badge")]
    summary = worked_example.summary
    shown = [s.value for s in worked_example.shown_statuses()]
    assert shown[:4] == ["verified", "drifted", "broken", "unchecked"]
    disputed = [f"{len(worked_example.disputed)} disputed"] if worked_example.disputed else []
    assert counts == [f"{summary[s]} {s}" for s in shown] + disputed
    (filters,) = select(document, "#filters")
    assert filters.get("hidden") is not None  # the script shows them; without it, all claims
    boxes = select(filters, "input[type=checkbox]")
    assert [box.get("value") for box in boxes] == shown
    assert all(box.get("checked") is not None for box in boxes)


def test_title_is_escaped_and_an_empty_report_renders() -> None:
    html = render_html(claimcheck.Report(()), title="<b>mine</b>")
    document = parse(html)
    assert document.find("head/title").text == "<b>mine</b>"
    assert not document.xpath("//b")
    assert "No claims were checked." in html


# --------------------------------------------------------------------------------------------
# Claims, highlights and word differences


def test_every_claim_has_an_entry_with_its_status(worked_example: claimcheck.Report) -> None:
    document = parse(render_html(worked_example))
    articles = select(document, "article.claim")
    assert len(articles) == len(worked_example.results)
    for index, (article, result) in enumerate(zip(articles, worked_example.results, strict=True)):
        status = result.status.value
        assert article.get("id") == f"claim-{index + 1}"
        assert article.get("data-status") == status
        assert f"st-{status}" in article.get("class").split()
        assert select(article, "code.cid")[0].text_content() == result.claim.id
        assert select(article, ".claim-head .badge")[0].text_content() == status
        assert select(article, ".claim-head .kind")[0].text_content() == result.claim.kind
        assert result.reason.value in select(article, "p.why")[0].text_content()
        assert result.claim.text == select(article, "blockquote.claim-text")[0].text_content()
        verdicts = select(article, "li.verdict")
        assert len(verdicts) == len(result.verdicts)
        for item, verdict in zip(verdicts, result.verdicts, strict=True):
            assert verdict.source.url in item.text_content()
            assert verdict.reason.value in item.text_content()


def test_statement_highlights_carry_status_and_link_to_their_claim(
    worked_example: claimcheck.Report,
) -> None:
    document = parse(render_html(worked_example))
    (statement,) = select(document, "div.statement")
    for index, result in enumerate(worked_example.results):
        (first,) = document.xpath(f"//*[@id='hl-{index + 1}']")
        assert first.tag == "a"
        assert first.get("href") == f"#claim-{index + 1}"
        assert f"st-{result.status.value}" in first.get("class").split()
        (tag,) = statement.xpath(f".//sup[a/@href='#claim-{index + 1}']")
        flag = ", disputed" if result.disputed else ""
        assert tag.text_content() == f"{index + 1}\u00a0{result.status.value}{flag}"
    pieces: dict[str, str] = {}
    for link in select(statement, "a.hl"):
        pieces[link.get("href")] = pieces.get(link.get("href"), "") + link.text_content()
    # "the ten-year anniversary" (claim 2) is nested in claim 1: it keeps its own highlight
    first, nested = worked_example.results[0].claim.text, worked_example.results[1].claim.text
    assert nested in first
    assert pieces["#claim-2"] == nested
    assert pieces["#claim-1"] == first.replace(nested, "")
    assert select(statement, "a.hl.nested")[0].get("href") == "#claim-2"
    # every highlight is on its claim's words; most claims overlap no other: one whole highlight
    texts = {f"#claim-{i + 1}": r.claim.text for i, r in enumerate(worked_example.results)}
    for link in select(statement, "a.hl"):
        assert link.text_content() in texts[link.get("href")]
    assert sum(pieces[target] == text for target, text in texts.items()) >= 20
    # the statement is Markdown, rendered: paragraphs, a list, links; no Markdown syntax shown
    assert "markdown" in statement.get("class").split()
    assert len(select(statement, "p")) > 5
    assert len(select(statement, "ul li")) >= 9
    assert "](" not in statement.text_content()


def _location(text: str, start: int, end: int | None) -> claimcheck.Location:
    if end is None:
        return claimcheck.Location(*LineIndex(text).line_column(start))
    lines = LineIndex(text)
    return claimcheck.Location(*lines.line_column(start), *lines.line_column(end))


@given(
    text=st.text(alphabet="ab <&\"'\n", min_size=1, max_size=30),
    spans=st.lists(
        st.tuples(st.integers(0, 35), st.one_of(st.none(), st.integers(0, 35))), max_size=6
    ),
    junk=st.lists(st.tuples(st.integers(-2, 50), st.integers(-2, 50)), max_size=2),
)
def test_overlapping_nested_and_bad_locations_never_break_the_markup(
    text: str, spans: list[tuple[int, int | None]], junk: list[tuple[int, int]]
) -> None:
    claims = [claimcheck.Claim("quote", "unplaced", id="unplaced")]
    for number, (start, end) in enumerate(spans):
        start = min(start, len(text))
        stop = None if end is None else min(end, len(text))
        words = text[start : stop if stop is not None else start + 3] or "x"
        claims.append(
            claimcheck.Claim("quote", words, id=f"c{number}", location=_location(text, start, stop))
        )
    for number, (line, column) in enumerate(junk):
        location = claimcheck.Location(line, column, line, column + 2)
        claims.append(claimcheck.Claim("quote", "xy", id=f"j{number}", location=location))
    claim_set = claimcheck.ClaimSet(claimcheck.Statement(text=text), tuple(claims))
    statuses = list(claimcheck.Status)
    results = tuple(
        claimcheck.ClaimResult(
            claim,
            claim_set,
            statuses[number % 4],
            claimcheck.Reason.NOT_FOUND,
            "m",
            (),
        )
        for number, claim in enumerate(claims)
    )
    document = parse(render_html(claimcheck.Report(results)))
    (statement,) = select(document, "div.statement")
    assert not statement.xpath(".//a//a | .//sup//sup")
    for link in select(statement, "a"):
        assert document.get_element_by_id(link.get("href")[1:]) is not None
    for sup in select(statement, "sup"):
        sup.drop_tree()
    assert statement.text_content() == text


def test_drifted_quote_marks_the_changed_figure_word_by_word(
    small_report: claimcheck.Report,
) -> None:
    document = parse(render_html(small_report))
    article = claim_article(document, "petition")
    assert article.get("data-status") == "drifted"
    (verdict,) = select(article, "li.verdict")
    (claim_side,) = select(verdict, "figure.side-claim .passage")
    (source_side,) = select(verdict, "figure.side-source .passage")
    # the statement's figure is the problem (struck), the source's the reference
    assert [d.text_content() for d in select(claim_side, "del.d-number")] == ["189"]
    assert [ins.text_content() for ins in select(source_side, "ins.d-number")] == ["198"]
    assert claim_side.text_content() == "189 people signed the petition"
    assert source_side.text_content() == "198 people signed the petition"
    # a figure claim has no word differences: the value the source gives is marked instead
    count = claim_article(document, "count")
    assert count.get("data-status") == "drifted"
    assert [m.text_content() for m in select(count, ".side-source mark.found")] == ["198"]


def test_word_differences_are_marked_where_they_are_in_the_passage(
    worked_example: claimcheck.Report,
) -> None:
    """A difference's source span is an offset into the source text, not into the passage."""
    checked = 0
    for result in worked_example.results:
        for verdict in result.verdicts:
            evidence = verdict.evidence
            if evidence is None or evidence.passage is None or evidence.span is None:
                continue
            for diff in evidence.differences:
                start, end = (offset - evidence.span[0] for offset in diff.source_span)
                assert evidence.passage[start:end] == diff.source_words
                assert result.claim.text[slice(*diff.claim_span)] == diff.claim_words
                checked += 1
    assert checked >= 5
    document = parse(render_html(worked_example))
    article = claim_article(document, "zahreddine-quote")
    (arabnews,) = [
        item
        for item in select(article, "li.verdict")
        if "arabnews.com" in select(item, ".verdict-head")[0].text_content()
    ]
    # "or" for "nor" after "never": a changed word, not a changed negation (issue 15).
    assert "nor" in [i.text_content() for i in select(arabnews, ".side-source ins.d-wording")]
    assert "or" in [d.text_content() for d in select(arabnews, ".side-claim del.d-wording")]
    assert not select(arabnews, ".d-negation")
    assert [m.text_content() for m in select(arabnews, ".side-source mark.d-cosmetic")] == ["to"]
    assert select(arabnews, ".side-source span.d.gap")  # words the claim adds


def test_captures_archived_copies_and_replacements(small_report: claimcheck.Report) -> None:
    document = parse(render_html(small_report))
    capture = select(claim_article(document, "law"), "p.capture")[0].text_content()
    assert "captured 2021-04-01 00:00 UTC" in capture
    assert "recorded from a file" in capture
    assert "excerpts only" in capture
    placeholder = claim_article(document, "placeholder")
    assert placeholder.get("data-status") == "broken"
    assert "#" in select(placeholder, ".verdict-head span.url")[0].text_content()
    assert not select(placeholder, ".verdict-head a")  # "#" is not a link to follow
    unchecked = claim_article(document, "uncaptured")
    assert unchecked.get("data-status") == "unchecked"
    assert "no-snapshot" in unchecked.text_content()
    (archived,) = select(unchecked, "div.archived p.capture")
    assert "captured 2020-01-02 03:04 UTC" in archived.text_content()
    assert "fetched from a web archive" in archived.text_content()
    (link,) = select(archived, "a")
    assert link.text_content() == "archived copy"
    assert link.get("href") == (
        "https://web.archive.org/web/20200102030400/https://example.org/never-captured"
    )
    (replacement,) = select(unchecked, "p.replacement a")
    assert replacement.get("href") == (
        "https://web.archive.org/web/2020/https://example.org/never-captured"
    )


# --------------------------------------------------------------------------------------------
# Hostile content


def test_hostile_claims_and_sources_are_shown_not_run(hostile_report: claimcheck.Report) -> None:
    html = render_html(hostile_report)
    document = parse(html)
    assert len(document.xpath("//script")) == 1
    assert html.count("<script>") == 1
    assert not document.xpath("//img | //b | //x | //iframe | //*[@src]")
    assert not [
        (element.tag, name)
        for element in document.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.lower().startswith("on")
    ]
    text = document.text_content()
    assert PAYLOAD in text  # shown as written
    assert "</title><script>alert(5)</script>" in document.find("head/title").text
    for hostile in ("\u202e", "\u202c"):
        assert hostile not in html
    assert "\\u202eevil\\u202c" in text  # shown as escapes, as the other renderings do
    hrefs = document.xpath("//a/@href")
    assert not [href for href in hrefs if not href.startswith(("#", "https://", "http://"))]
    assert HOSTILE_URL in hrefs  # its quotes are escaped in the attribute, not cut
    for unsafe in ("javascript:alert(7)", "javascript:alert(13)", "data:text/html"):
        assert unsafe in text
        assert not [href for href in hrefs if unsafe in href]
    (first,) = document.xpath("//*[@id='hl-1']")
    assert first.get("href") == "#claim-1"


def test_hrefs_are_only_plain_http_urls() -> None:
    assert _href("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2"
    assert _href("HTTP://example.org/") == "HTTP://example.org/"
    for url in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "#",
        "",
        "//example.org/",
        "https://",
        "https://exa mple.org/",
        "https://example.org/\u202e",
        "http://[::1",
    ):
        assert _href(url) is None, url


# --------------------------------------------------------------------------------------------
# In a real browser


class Watched:
    """A page, and what it did: requests made, console errors, uncaught errors, dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Opens a rendered report from a file:// URL in a fresh page."""
    contexts: list[Any] = []

    def open_(report: claimcheck.Report, *, javascript: bool = True) -> tuple[Watched, str]:
        path = tmp_path / f"report-{len(contexts)}.html"
        path.write_text(render_html(report), encoding="utf-8")
        context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": 1400, "height": 1000}
        )
        contexts.append(context)
        watched = Watched(context.new_page())
        url = path.as_uri()
        watched.page.goto(url)
        return watched, url

    yield open_
    for context in contexts:
        context.close()


STATUS_BACKGROUND = {
    "verified": "rgb(218, 251, 225)",
    "drifted": "rgb(255, 248, 197)",
    "broken": "rgb(255, 235, 233)",
    "unchecked": "rgb(221, 244, 255)",
    "unsourced": "rgb(251, 239, 255)",
}


@pytest.mark.slow  # a headless Chromium
def test_browser_shows_status_colours_and_filters_by_status(
    open_report: Any, worked_example: claimcheck.Report, tmp_path: Path
) -> None:
    watched, url = open_report(worked_example)
    page = watched.page
    assert page.locator("#filters").is_visible()
    for index, result in enumerate(worked_example.results):
        if result.claim.location is None:
            continue
        highlight = page.locator(f"#hl-{index + 1}")
        assert highlight.is_visible()
        background = highlight.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == STATUS_BACKGROUND[result.status.value], result.claim.id
    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 20_000

    page.get_by_label("verified (").uncheck()
    for index, result in enumerate(worked_example.results):
        article = page.locator(f"#claim-{index + 1}")
        highlight = page.locator(f"#hl-{index + 1}")
        background = highlight.evaluate("e => getComputedStyle(e).backgroundColor")
        if result.status is claimcheck.Status.VERIFIED:
            assert article.is_hidden()
            assert background == "rgba(0, 0, 0, 0)"
        else:
            assert article.is_visible()
            assert background == STATUS_BACKGROUND[result.status.value]
    page.screenshot(path=str(tmp_path / "filtered.png"))
    page.get_by_label("verified (").check()
    assert page.locator("#claim-1").is_visible()

    drifted = next(
        index
        for index, result in enumerate(worked_example.results)
        if result.status is claimcheck.Status.DRIFTED
    )
    page.locator(f"#hl-{drifted + 1}").click()
    assert page.url == f"{url}#claim-{drifted + 1}"
    assert page.locator(f"#claim-{drifted + 1}").is_visible()
    assert watched.requests == [url]  # nothing is loaded from anywhere else
    assert watched.errors == []  # a style or script blocked by the CSP would show here
    assert watched.dialogs == []


@pytest.mark.slow  # a headless Chromium
def test_browser_runs_nothing_from_a_hostile_report(
    open_report: Any, hostile_report: claimcheck.Report
) -> None:
    watched, url = open_report(hostile_report)
    page = watched.page
    for highlight in page.locator("a.hl").all():
        highlight.hover()
    for element in page.locator(".claim-head, .verdict-head, .passage, .why").all():
        element.hover()
    assert page.title() == "claimcheck report: </title><script>alert(5)</script>"
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.images.length") == 0
    assert watched.dialogs == []
    assert watched.errors == []
    assert watched.requests == [url]


@pytest.mark.slow  # a headless Chromium
def test_browser_without_javascript_shows_every_claim(
    open_report: Any, small_report: claimcheck.Report
) -> None:
    watched, _ = open_report(small_report, javascript=False)
    page = watched.page
    assert page.locator("#filters").is_hidden()  # useless without the script
    assert page.locator("article.claim").count() == len(small_report.results)
    for article in page.locator("article.claim").all():
        assert article.is_visible()
    assert page.locator("a.hl.st-drifted").first.is_visible()

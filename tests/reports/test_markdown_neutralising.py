"""The Markdown renderings (a check's table, an audit run, an audit history) are posted as
pull-request comments and job summaries: text from claims files and sources must show as written
and never act there. CommonMark markup (links, images, HTML) is escaped; what GitHub adds after
rendering is neutralised too: ``@mentions`` (which notify people), issue references (``#123``,
``GH-123``, ``owner/repo#123``: which add a cross-reference to that issue), and bare URLs,
``www.`` addresses and e-mail addresses (which GitHub turns into links).

GitHub's references and autolinks are found in the rendered text (backslash escapes do not stop
them: https://github.com/github/markup/issues/1168, cmark-gfm issue 181); the patterns below
follow https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/autolinked-references-and-urls
and the GFM spec's autolinks extension (https://github.github.com/gfm/#autolinks-extension-).
A zero-width space after the ``@``, ``#``, ``GH-``, ``://`` or ``www`` stops them and shows
nothing (what Dependabot and Renovate do for the mentions in the changelogs they quote)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from markdown_it import MarkdownIt

from claimcheck import Claim, ClaimResult, ClaimSet, Reason, Report, Source, Statement, Status
from claimcheck.auditing import AuditPolicy, audit, load_audit
from claimcheck.reports import render_audit_markdown, render_history_markdown, render_markdown
from servers import LocalServer, page
from support import LOCAL_FETCH

HOSTILE = (
    "hi @octocat and @github/security, see ![x](https://evil.example/img.png) "
    "[click](https://evil.example) <img src=https://evil.example/i.png> "
    "<https://evil.example/auto> https://evil.example/bare www.evil.example "
    "mail me@evil.example, fixes #123 and GH-45 and octo/repo#6 "
    "mailto:x@evil.example xmpp:y@evil.example"
)
# What GitHub links or notifies in rendered text (see the module documentation).
GITHUB_REFERENCES = {
    "mention": re.compile(r"@[A-Za-z0-9]"),
    "issue": re.compile(r"#\d|\bGH-\d", re.IGNORECASE),
    "url": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\u200b]", re.IGNORECASE),
    "www": re.compile(r"\bwww\.", re.IGNORECASE),
}


def rendered(markdown: str) -> Any:
    """``markdown`` as a CommonMark renderer with GitHub's tables shows it."""
    return lxml.html.fragment_fromstring(
        MarkdownIt("commonmark").enable("table").render(markdown), create_parent="div"
    )


def assert_inert(markdown: str, shown: str) -> None:
    """``markdown`` renders to no link, image or HTML, and none of GitHub's references, yet
    shows ``shown`` as written (zero-width spaces aside)."""
    html = rendered(markdown)
    assert html.xpath("//a | //img | //script | //iframe") == [], lxml.html.tostring(html)
    text = html.text_content()
    for name, pattern in GITHUB_REFERENCES.items():
        assert not pattern.search(text), (name, pattern.search(text))
    assert shown in text.replace("\u200b", ""), text


def test_a_check_table_neither_links_nor_notifies() -> None:
    claim = Claim("quote", HOSTILE, id="@octocat#1", sources=(Source("#"),))
    claim_set = ClaimSet(Statement(id="www.evil.example"), (claim,))
    verdict_message = f"the source says {HOSTILE}"
    result = ClaimResult(
        claim,
        claim_set,
        Status.BROKEN,
        Reason.PLACEHOLDER_LINK,
        verdict_message,
        (),
    )
    markdown = render_markdown(Report((result,)))
    assert_inert(markdown, "see ![x](https://evil.example/img.png)")
    assert_inert(markdown, "hi @octocat and @github/security")
    assert_inert(markdown, "fixes #123 and GH-45 and octo/repo#6")
    assert_inert(markdown, "@octocat#1")


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """An audit's Markdown and its history's, for a claim whose ids and statement are hostile,
    whose source is gone for three days (newly broken)."""
    folder = tmp_path_factory.mktemp("markdown-audit")
    routes = {"/gone": page("<h1>Not found</h1>", status=404)}
    with LocalServer(routes) as server:
        claim = Claim(
            "quote", "anything", id="@octocat #123", sources=(Source(f"{server.url}/gone"),)
        )
        claim_set = ClaimSet(Statement(id="see www.evil.example"), (claim,), Path("x.toml"))
        result = None
        for night in (0, 1, 4):
            result = audit(
                claim_set,
                history=folder / "audit.sqlite",
                snapshots=folder / "store",
                fetch=LOCAL_FETCH,
                policy=AuditPolicy(use_archives=False),
                now=dt.datetime(2026, 3, 1 + night, tzinfo=dt.UTC),
            )
    assert result is not None
    assert result.newly_broken
    return render_audit_markdown(result), render_history_markdown(
        load_audit(folder / "audit.sqlite")
    )


def test_an_audit_run_and_history_neither_link_nor_notify(hostile_audit: tuple[str, str]) -> None:
    for markdown in hostile_audit:
        # the cited URL itself may be a link (it is the citation); nothing else
        html = rendered(markdown)
        for link in html.xpath("//a/@href"):
            assert link.endswith("/gone"), link
        for element in html.xpath("//a"):
            element.drop_tree()
        text = html.text_content()
        for name, pattern in GITHUB_REFERENCES.items():
            assert not pattern.search(text), (name, pattern.search(text), markdown)
        assert "see www.evil.example/@octocat #123" in text.replace("\u200b", "")

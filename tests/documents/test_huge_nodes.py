"""Content a browser never shows stays out of a page's text, however large the node holding it.

libxml2 caps a comment, a processing instruction, an attribute value and a text at 10,000,000
bytes unless its parser is told to accept "huge" input (XML_MAX_TEXT_LENGTH; with the option,
XML_MAX_HUGE_LENGTH, 1,000,000,000: libxml2's include/libxml/parserInternals.h). Past the cap its
HTML parser gives the node up ("value too long", ``htmlParseData`` in HTMLparser.c) and, recovering,
reads what the node held as markup: a comment's content became page text (its tags real tags, so
a ``<meta>`` in it dated the page), an attribute value's content more attributes (and text after
a ``>`` in it). A quote hidden in an 11 MB comment verified. Each page here holds the quote only
where a browser does not show it, behind more than 10,000,000 bytes of filler. The comments,
processing instructions and quoted attribute values failed so; the contents of ``<script>``,
``<style>`` and ``<template>`` (text, which libxml2 hands over in pieces, uncapped) and an unquoted
value (given up, it becomes one attribute name) already stayed hidden: pinned here all the same.

Internals tested directly (private module): the HTML reader's size bound
(``claimcheck.documents._html_source``), lowered so as not to build a gigabyte string.
"""

from __future__ import annotations

import datetime as dt

import pytest

import claimcheck.documents._html_source as _html_source
from claimcheck import Status
from claimcheck.documents import Text, extract_text, text_from_string
from claimcheck.matching import match_quote

QUOTE = "we will never raise taxes on working families"
# Past libxml2's 10,000,000-byte cap for a node parsed without its "huge" option.
FILLER = "hidden " * 1_430_000
assert len(FILLER) > 10_000_000
HIDDEN_MARKUP = (
    f"<p>{QUOTE}</p>"
    '<meta property="article:published_time" content="2001-02-03">'
    '<time datetime="2001-02-03">3 February 2001</time>'
)
# Enough text for a page with a large script not to count as a JavaScript shell.
VISIBLE = "<p>The minister spoke about the budget on Monday.</p>" + "<p>More news.</p>" * 20
AFTER = "<p>Reporting by the newsroom.</p>"


def page(hidden: str, *, head: str = "", html_attributes: str = "") -> bytes:
    return (
        f"<!doctype html><html{html_attributes}><head><title>Budget</title>{head}</head>"
        f"<body>{VISIBLE}{hidden}{AFTER}</body></html>"
    ).encode()


# Where a page can hide content, each filled past the cap with the quote (and markup) at the end.
HIDING_PLACES = {
    "comment": f"<!-- {FILLER}{HIDDEN_MARKUP} -->",
    # These end at the first ">": no markup inside.
    "bogus comment": f"<! {FILLER}{QUOTE} >",
    "processing instruction": f"<?hide {FILLER}{QUOTE} ?>",
    "script": f"<script>var x = '{FILLER}{HIDDEN_MARKUP}';</script>",
    "style": f"<style>/* {FILLER}{HIDDEN_MARKUP} */</style>",
    # (Without the date: a <template>'s markup is elements to the parser, whatever its size.)
    "template": f"<template>{FILLER}<p>{QUOTE}</p></template>",
    # A ">" inside the value: read as attributes, the value's end would close the tag there.
    "attribute, double-quoted": f'<span data-x="{FILLER}>{QUOTE}<b title=">x</span>',
    "attribute, single-quoted": f"<span data-x='{FILLER}>{QUOTE}<b title='>x</span>",
    "attribute, unquoted": f"<span data-x={FILLER.replace(' ', '_')}{QUOTE.replace(' ', '_')}>"
    "x</span>",
}


def check_hidden(text: Text) -> None:
    assert QUOTE not in text.text
    assert "hidden hidden" not in text.text
    assert text.published != dt.date(2001, 2, 3)
    assert "The minister spoke about the budget on Monday." in text.text
    assert text.text.endswith("Reporting by the newsroom.")  # the page goes on after the node
    assert text.readable
    assert match_quote(QUOTE, text).status is Status.BROKEN  # was verified (exact)


@pytest.mark.parametrize("place", HIDING_PLACES, ids=list(HIDING_PLACES))
def test_content_hidden_past_libxml2s_cap_is_not_page_text(place: str) -> None:
    check_hidden(extract_text(page(HIDING_PLACES[place]), "text/html"))


def test_content_hidden_past_the_cap_is_not_page_text_from_a_string_either() -> None:
    check_hidden(text_from_string(page(HIDING_PLACES["comment"]).decode(), "text/html"))


def test_a_huge_attribute_value_adds_no_attributes() -> None:
    """Read as attributes, the filler would declare the page's language."""
    text = extract_text(page("", html_attributes=f' data-x="{FILLER} lang=de"'), "text/html")
    assert text.language is None
    head = f'<meta name="x" content="{FILLER} property=article:published_time">'
    text = extract_text(page("", head=head + '<meta content="2001-02-03">'), "text/html")
    assert text.published is None


def test_a_huge_visible_text_is_page_text() -> None:
    """The cap lifted for hidden nodes is lifted for shown ones: a text past 10 MB is read."""
    text = extract_text(page(f"<p>{FILLER}{QUOTE}</p>"), "text/html")
    assert text.text.endswith(f"{QUOTE}\n\nReporting by the newsroom.")
    assert len(text.text) > len(FILLER)


def test_markup_that_could_hold_a_node_past_libxml2s_huge_cap_is_not_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past XML_MAX_HUGE_LENGTH the same recovery would happen again: markup long enough to
    hold such a node (a character is at most 4 bytes to libxml2) is unreadable, not parsed."""
    monkeypatch.setattr(_html_source, "_MAX_MARKUP_CHARS", 1_000)
    text = extract_text(page(f"<!-- {'x' * 1_000} -->"), "text/html")
    assert (text.text, text.unreadable, text.media_type) == ("", "too-large", "text/html")
    assert match_quote(QUOTE, text).status is Status.BROKEN
    assert extract_text(page(""), "text/html").readable  # a page within the bound is read

"""Challenge pages: the fast search of a page's start (issue 17: the one regular expression
tried every marker at every offset, some 15 us a KB on every page fetched) says exactly what
the expression says.

Internals tested directly: ``claimcheck.sources._pages`` (the rule, ``_CHALLENGE_PAGE``, and
its fast search, ``is_challenge_page``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.sources._pages import _CHALLENGE_PAGE, is_challenge_page

MARKERS = [
    b"<title>just a moment...",
    b"<title>  \n\tattention required! | cloudflare",
    b"<title>please wait... | cloudflare</title>",
    b"<title>checking your browser before accessing",
    b"<title>\x0bddos-guard",
    b"https://geo.captcha-delivery.com/captcha/",
    b'<div id="px-captcha">',
    b"sucuri website firewall - access denied",
]

# Pieces a page is made of in the property test: the markers, their near misses, and noise.
PIECES = [
    *MARKERS,
    b"<title>",
    b"<title",
    b"title>",
    b"<title><title>",
    b"<title>just a moment..",
    b"<title>x just a moment...",
    b"just a moment...",
    b"ddos-guard",
    b"captcha-delivery",
    b"px-captch",
    b"sucuri website",
    b" ",
    b"\n",
    b"\t",
    b"<p>a page</p>",
]


@pytest.mark.parametrize("marker", MARKERS)
def test_every_marker_is_found(marker: bytes) -> None:
    page = b"<html><head>" + marker + b"</head><body>" + b"words " * 2000 + b"</body></html>"
    assert _CHALLENGE_PAGE.search(page) is not None  # the rule finds it
    assert is_challenge_page(page)


def test_a_page_without_the_markers_is_not_one() -> None:
    page = b"<html><head><title>news</title></head><body>" + b"just a moment " * 500
    assert not is_challenge_page(page)
    assert not is_challenge_page(b"")


@given(st.lists(st.sampled_from(PIECES) | st.binary(max_size=12), max_size=12))
def test_the_fast_search_says_what_the_rule_says(pieces: list[bytes]) -> None:
    head = b"".join(pieces)
    assert is_challenge_page(head) == (_CHALLENGE_PAGE.search(head) is not None)

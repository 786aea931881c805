"""Parked and for-sale pages: the quick test of a page's words before the full search (issue 17:
the search costs some 25 us a KB, on every page fetched) never lets a parked page through.

Internals tested directly: ``claimcheck.sources._pages`` (its marker search and the words every
marker contains)."""

from __future__ import annotations

import pytest

from claimcheck.sources._pages import _PARKED_PAGE, is_parked_page

# One phrase for every branch of the marker search (as parking services and registrars word it).
PARKED = [
    b"this domain is for sale",
    b"this domain name may be for sale",
    b"buy this domain",
    b"this domain has been parked",
    b"website is parked",
    b"parked free, courtesy of godaddy",
    b'<a href="//sedoparking.com/x">',
    b'<a href="//www.parkingcrew.net/">',
    b'<script src="//bodis.com/js">',
    b"https://dan.com/buy-domain/example.com",
    b"https://afternic.com/domain/example.com",
    b"https://hugedomains.com/domain_profile.cfm",
]


@pytest.mark.parametrize("phrase", PARKED)
def test_every_marker_is_still_found(phrase: bytes) -> None:
    page = b"<html><body><p>" + phrase + b"</p></body></html>"
    assert _PARKED_PAGE.search(page) is not None  # the phrase is a marker
    assert is_parked_page(page)


def test_a_page_without_the_markers_is_not_parked() -> None:
    assert not is_parked_page(b"<html><body><p>" + b"an article about parks " * 200 + b"</p>")
    assert not is_parked_page(b"<p>our domain is example.org</p>")

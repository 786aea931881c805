"""What a live answer means for a citation: the outcome table of :mod:`._fetch`, and the
detectors of pages that answer "200" without being the page (bot challenges, parked domains,
redirects to a home or error page, soft 404s).

Sources of the rules: IABot's dead-link rules (redirects to a site's root or to a "/404" or
"not-found" address), the link checkers' lessons about bot walls (Cloudflare's ``cf-mitigated:
challenge`` and "Just a moment...", DataDome, PerimeterX, Imperva, Sucuri), and the Bar-Yossef et
al. (2004) random-sibling probe for soft 404s (see ``web-archives.md`` section 2).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import attrs

from .. import documents
from ..errors import TextExtractionError
from ..model import Reason, in_sentence
from ._http import Answer, Problem

if TYPE_CHECKING:
    from ..documents import ExtractionCache

__all__ = [
    "Chain",
    "classify",
    "error_status_reason",
    "is_challenge",
    "is_challenge_page",
    "is_parked_page",
    "is_root",
    "near_identical",
    "parking_service",
]

_SNIFF_BYTES = 64 * 1024  # how much of a page the challenge and parking markers look at
_SMALL_PAGE = 512 * 1024  # parked and challenge pages are small; an article about them is not
_SIMILAR = 95.0


@attrs.frozen
class Chain:
    """A URL followed through its redirects: the last answer, or the problem that ended it."""

    final_url: str
    redirects: tuple[tuple[int, str], ...]
    answer: Answer | None
    problem: Problem | None = None


def error_status_reason(status: int, *, retry_after: bool = False) -> Reason | None:
    """What an HTTP error status means for a citation, or None for a status that is not an
    error. The one mapping for live answers and for error answers stored in a snapshot."""
    if status in (401, 403, 407, 999):  # 999: LinkedIn and others saying "go away"
        return Reason.BLOCKED
    if status == 429 or (status == 503 and retry_after):
        return Reason.RATE_LIMITED
    if status == 404:
        return Reason.HTTP_404
    if status == 410:
        return Reason.HTTP_410
    if 400 <= status < 500:
        return Reason.HTTP_4XX
    if 500 <= status < 600:
        return Reason.HTTP_5XX
    return None


def classify(
    url: str, chain: Chain, note: str | None, attempts: int, conditional: bool = False
) -> tuple[Reason | None, str]:
    """The outcome of fetching ``url`` (``None`` when fine) and a sentence saying it. ``note``
    says why retrying stopped early, ``attempts`` how many were made; ``conditional`` whether
    the request carried validators (a 304 is then a success). The soft-404 probe is not
    consulted here: the Fetcher asks it only for a page that passes these rules."""
    answer = chain.answer
    if chain.problem is not None:
        return chain.problem.reason, chain.problem.message
    assert answer is not None
    status = answer.status
    said = f"the server answered {status} {in_sentence(answer.phrase)}".rstrip()
    where = _where(chain)
    if status == 304 and conditional:
        return None, f"not modified since the last fetch ({said}){where}"
    if is_challenge(answer):
        return Reason.BLOCKED, f"a bot wall: {said} with a challenge page{where}"
    reason = error_status_reason(status, retry_after=answer.header("retry-after") is not None)
    if reason is not None:
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        return reason, f"{said}{_error_detail(status, reason, note, tries, where)}"
    if 300 <= status < 400:
        return Reason.BAD_REDIRECT, f"{said} without a usable Location{where}"
    if not 200 <= status < 300:
        return Reason.CONNECTION_ERROR, f"{said}, not a valid HTTP status{where}"
    if answer.problem is not None:
        return answer.problem.reason, answer.problem.message
    body = answer.body or b""
    if not body:
        return Reason.UNREADABLE_SOURCE, f"{said} with an empty body{where}"
    if len(body) <= _SMALL_PAGE and is_parked_page(_sniff(body)):
        return Reason.PARKED_DOMAIN, f"the page says the domain is parked or for sale{where}"
    if chain.redirects and not is_root(url) and is_root(chain.final_url):
        return (
            Reason.REDIRECT_TO_HOMEPAGE,
            f"the link now redirects to the site's home page, {in_sentence(chain.final_url)}",
        )
    if (
        chain.redirects
        and _ERROR_ADDRESS.search(urlsplit(chain.final_url).path)
        and not _ERROR_ADDRESS.search(urlsplit(url).path)
    ):
        return Reason.SOFT_404, (
            f"the link redirects to an error page, {in_sentence(chain.final_url)}"
        )
    kind = (answer.media_type or "no media type").split(";")[0].strip()
    return None, f"fetched {len(body):,} bytes of {kind}{where}"


def _error_detail(status: int, reason: Reason, note: str | None, tries: str, where: str) -> str:
    """What follows "the server answered <status>" for an error status."""
    if status in (401, 407):
        return f": it wants credentials{where}"
    if status == 403:
        return f": access refused, as bot walls do{where}"
    if status == 429:
        return f": {note or 'it asks us to slow down'}{tries}{where}"
    if status == 410:
        return f": the page was removed for good{where}"
    if reason is Reason.RATE_LIMITED:  # 503 with Retry-After
        return f": {note or 'asked to come back later'}{tries}"
    if reason is Reason.HTTP_5XX:
        return (f": {note}" if note else "") + f"{tries}{where}"
    if status == 999:
        return f", a refusal to robots{where}"
    return where


def _where(chain: Chain) -> str:
    if not chain.redirects:
        return ""
    hops = len(chain.redirects)
    return f" after {hops} redirect{'s' if hops > 1 else ''} to {in_sentence(chain.final_url)}"


def _sniff(body: bytes) -> bytes:
    """The start of a body, lower-cased: what the page markers are searched in."""
    return body[:_SNIFF_BYTES].lower()


def is_root(url: str) -> bool:
    """Whether ``url`` is a site's (or a language's) front page."""
    parts = urlsplit(url)
    return not parts.query and _ROOT_PATH.fullmatch(parts.path) is not None


# "/", "", "/index.html", "/en/", "/de-at/home": a site's (or a language's) front page.
_ROOT_PATH = re.compile(
    r"/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:(?:index|default|home)(?:\.\w+)?)?", re.IGNORECASE
)
# IABot's "redirect to 404" addresses.
_ERROR_ADDRESS = re.compile(r"/404(?:\.\w+)?(?:/|$)|not[-_]?found", re.IGNORECASE)

_PARKING = (
    "sedo.com",
    "sedoparking.com",
    "dan.com",
    "afternic.com",
    "hugedomains.com",
    "parkingcrew.net",
    "bodis.com",
    "above.com",
    "buydomains.com",
    "forsale.godaddy.com",
)


def parking_service(url: str) -> str | None:
    """The domain-parking or for-sale service ``url`` belongs to, if any."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    for domain in _PARKING:
        if host == domain or host.endswith("." + domain):
            return domain
    if (host == "godaddy.com" or host.endswith(".godaddy.com")) and "forsale" in parts.path:
        return "GoDaddy's for-sale pages"
    return None


# Only ever searched in the first 64 KB of a page of at most 512 KB: parked pages are small,
# and an article about domain parking is not.
_PARKED_PAGE = re.compile(
    rb"this domain(?: name)? (?:is|may be) for sale|buy this domain|"
    rb"(?:domain|website) (?:is|has been) parked|parked free,? courtesy of godaddy|"
    rb"//(?:www\.)?(?:sedoparking\.com|parkingcrew\.net|bodis\.com)|"
    rb"(?:dan\.com|afternic\.com|hugedomains\.com)/(?:buy|domain)"
)
# Every match of _PARKED_PAGE contains one of these: a page with none of them is not searched
# (the search costs some 25 us a KB, a fair share of a fetch's CPU; these finds far less).
_PARKED_WORDS = (b"domain", b"park", b"bodis.com", b"dan.com/", b"afternic.com/")


def is_parked_page(head: bytes) -> bool:
    """Whether a page's start (lower-cased) says the domain is parked or for sale."""
    return any(word in head for word in _PARKED_WORDS) and _PARKED_PAGE.search(head) is not None


# Challenge pages: the interstitials of Cloudflare, DataDome, PerimeterX, Imperva, Sucuri (the
# rule; is_challenge_page below searches it, and the tests hold the two equal).
_CHALLENGE_PAGE = re.compile(
    rb"<title>\s*(?:just a moment\.\.\.|attention required! \| cloudflare|"
    rb"please wait\.\.\. \| cloudflare|checking your browser|ddos-guard)|"
    rb"captcha-delivery\.com|px-captcha|sucuri website firewall"
)
_CLOUDFLARE_BLOCK = re.compile(rb"cf-chl|challenge-platform|cf-error|ray id")
# The same search, made the fast way (_CHALLENGE_PAGE tries every alternative at every offset:
# some 15 us a KB, on every page fetched, issue 17): the literal markers with ``in``, and the
# title markers only where a "<title>" begins.
_CHALLENGE_MARKERS = (b"captcha-delivery.com", b"px-captcha", b"sucuri website firewall")
_CHALLENGE_TITLE = re.compile(
    rb"\s*(?:just a moment\.\.\.|attention required! \| cloudflare|"
    rb"please wait\.\.\. \| cloudflare|checking your browser|ddos-guard)"
)


def is_challenge_page(head: bytes) -> bool:
    """Whether a page's start (lower-cased) is a challenge page: exactly whether
    ``_CHALLENGE_PAGE`` finds a marker in it."""
    # Two of the three literal markers contain "captcha": one scan of the page for both.
    if b"captcha" in head and (_CHALLENGE_MARKERS[0] in head or _CHALLENGE_MARKERS[1] in head):
        return True
    if _CHALLENGE_MARKERS[2] in head:
        return True
    at = head.find(b"<title>")
    while at >= 0:
        if _CHALLENGE_TITLE.match(head, at + 7):
            return True
        at = head.find(b"<title>", at + 7)  # "<title>" cannot overlap itself
    return False


def is_challenge(answer: Answer) -> bool:
    """Whether the answer is a bot wall's challenge or block page."""
    if (answer.header("cf-mitigated") or "").strip().lower() == "challenge":
        return True
    body = answer.body
    if not body or len(body) > _SMALL_PAGE:
        return False
    head = _sniff(body)
    if is_challenge_page(head):
        return True
    server = (answer.header("server") or "").lower()
    return (
        answer.status in (403, 429, 503)
        and "cloudflare" in server
        and _CLOUDFLARE_BLOCK.search(head) is not None
    )


def _comparable_text(
    body: bytes, media_type: str | None, cache: ExtractionCache | None
) -> list[str] | None:
    try:
        # Text extraction (lxml, PDFs) is loaded when a soft-404 probe first needs it, not by
        # every fetch (start-up, issue 17).
        text = documents.extract_text(body, media_type, cache=cache)
    except TextExtractionError:
        return None
    if not text.readable:
        return None
    return text.text.lower().split()


def near_identical(
    a: bytes,
    a_type: str | None,
    b: bytes,
    b_type: str | None,
    cache: ExtractionCache | None = None,
) -> bool:
    """Whether two pages say the same, up to a few tokens (a date, a request id): a
    token-sequence similarity of at least 95, after whitespace collapse. Computed over the word
    sequence rather than the word set: a short error page whose few words all occur in a real
    page must not match. Their texts are extracted through ``cache`` when given."""
    if a == b:
        return True
    words_a, words_b = _comparable_text(a, a_type, cache), _comparable_text(b, b_type, cache)
    if not words_a or not words_b:
        return False
    from rapidfuzz import fuzz  # loaded when first compared (start-up, issue 17)

    return fuzz.ratio(words_a, words_b, score_cutoff=_SIMILAR) >= _SIMILAR

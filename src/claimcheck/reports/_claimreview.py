"""ClaimReview: a report's verdicts as schema.org fact-check markup (JSON-LD).

:func:`to_claimreview` makes one ``ClaimReview`` per decided claim: the shape that Google's
fact-check markup, the Fact Check Tools and schema.org describe. Each review is a standalone
JSON-LD document with its own ``@context``, so it can be published alone, and a list of them is
itself valid JSON-LD to put in one ``<script type="application/ld+json">`` block
(:func:`claimreview_script`).

Why a list and not one ``@graph``: each review must stand alone. Fact-check aggregators and the
markup tools take one ClaimReview at a time. Google gives the single fact-check rich result only to
a page with exactly one ClaimReview, and its ``url`` must lead to where that claim's review is
published. A list lets a publisher keep the review that belongs on a page and drop the others.

claimcheck rates whether a claim matches its source, not whether it is true, and the words of the
ratings say so. The scale (``bestRating`` 3, ``worstRating`` 1):

========= =========== ================================================
status    ratingValue alternateName
========= =========== ================================================
verified  3           Accurate to its source
drifted   2           Differs from its source
broken    1           Unsupported: the citation leads to no evidence
========= =========== ================================================

A disputed claim (verified by one source while another cited source says otherwise:
:func:`~claimcheck.model.disputing`) keeps the verified ``ratingValue``, 3, with its own
``alternateName`` (:data:`DISPUTED_RATING`: "Accurate to one source; another cited source
differs"), and its ``ratingExplanation`` says which source says what.

Unchecked and unsourced claims get no ClaimReview. Nothing was decided about them, and a
ClaimReview without a ``reviewRating`` is invalid for Google.

Each review holds:

- ``claimReviewed``: the claim's text, as written in the statement;
- ``itemReviewed``: a ``Claim`` that appeared in the statement. Its ``appearance`` is a
  ``CreativeWork`` with the statement's ``url`` (the ``statement_url`` option; a claims file does
  not record it), its ``headline`` (the statement's title) and its ``datePublished``;
- ``reviewRating``: the ``Rating`` from the table above, with the verdict's message as
  ``ratingExplanation``;
- ``citation``: the claim's sources (http(s) only; placeholders lead nowhere), each a
  ``CreativeWork`` with its ``url`` and, when there is one, ``archivedAt``: the archived copy that
  was used or that is suggested in place of a dead link;
- ``author``, ``datePublished`` and ``url``: who publishes the reviews, when (the report's date by
  default) and where, with the claim's id as the fragment (``…/review#canada-date``). Google
  requires ``url`` and recommends ``author``.

Every property used is a schema.org property of the type it is on. JSON has no escaping problem,
but markup in a page does: :func:`dumps_claimreview` writes ``<``, ``>`` and ``&`` as ``\\u003c``
escapes, so a claim that contains ``</script>`` cannot end the script block it is embedded in.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from ..model import ClaimResult, Report, Status, Verdict, as_utc, well_formed
from ._display import json_safe
from ._sarif import web_uri

__all__ = [
    "BEST_RATING",
    "DISPUTED_RATING",
    "RATINGS",
    "WORST_RATING",
    "ClaimRating",
    "claimreview_script",
    "dumps_claimreview",
    "to_claimreview",
]


@attrs.frozen
class ClaimRating:
    """One step of the rating scale: ``value`` is the ``ratingValue`` and ``name`` the
    ``alternateName``, the words that fact-check displays show."""

    value: int
    name: str


RATINGS: Final[Mapping[Status, ClaimRating]] = {
    Status.VERIFIED: ClaimRating(3, "Accurate to its source"),
    Status.DRIFTED: ClaimRating(2, "Differs from its source"),
    Status.BROKEN: ClaimRating(1, "Unsupported: the citation leads to no evidence"),
}
"""The rating of each status that gets a ClaimReview (the table in the module documentation)."""

DISPUTED_RATING: Final = ClaimRating(3, "Accurate to one source; another cited source differs")
"""The rating of a disputed claim: verified, and said to be disputed."""

BEST_RATING: Final = 3
WORST_RATING: Final = 1
CONTEXT: Final = "https://schema.org"


def _review_url(url: str, claim_id: str | None) -> str:
    if claim_id is None:
        return url
    page = urllib.parse.urldefrag(url).url
    return f"{page}#{urllib.parse.quote(well_formed(claim_id), safe='')}"


def _appearance(result: ClaimResult, statement_url: str | None) -> dict[str, Any] | None:
    statement = result.claim_set.statement
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if statement_url:
        appearance["url"] = statement_url
    if statement.title:
        appearance["headline"] = statement.title
    if statement.published is not None:
        appearance["datePublished"] = statement.published.isoformat()
    return appearance if len(appearance) > 1 else None


def _archived(verdict: Verdict) -> str | None:
    for candidate in (
        verdict.replacement,
        verdict.archived_snapshot.archive_url if verdict.archived_snapshot else None,
        verdict.snapshot.archive_url if verdict.snapshot else None,
    ):
        uri = web_uri(candidate) if candidate else None
        if uri is not None:
            return uri
    return None


def _citations(result: ClaimResult) -> list[dict[str, Any]]:
    citations = []
    seen = set()
    for verdict in result.verdicts:
        url = web_uri(verdict.source.url)
        if url is None or url in seen:
            continue
        seen.add(url)
        citation: dict[str, Any] = {"@type": "CreativeWork", "url": url}
        archived = _archived(verdict)
        if archived is not None:
            citation["archivedAt"] = archived
        citations.append(citation)
    return citations


def _review(
    result: ClaimResult,
    rating: ClaimRating,
    *,
    author: dict[str, Any] | None,
    date_published: dt.date,
    url: str | None,
    statement_url: str | None,
) -> dict[str, Any]:
    review: dict[str, Any] = {"@context": CONTEXT, "@type": "ClaimReview"}
    if url:
        review["url"] = _review_url(url, result.claim.id)
    review["claimReviewed"] = result.claim.text
    claim: dict[str, Any] = {"@type": "Claim"}
    published = result.claim_set.statement.published
    if published is not None:
        claim["datePublished"] = published.isoformat()
    appearance = _appearance(result, statement_url)
    if appearance is not None:
        claim["appearance"] = appearance
    review["itemReviewed"] = claim
    review["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": rating.value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": rating.name,
        "ratingExplanation": result.message
        if result.dispute is None
        else f"{result.message}; disputed: {result.dispute}",
    }
    citations = _citations(result)
    if citations:
        review["citation"] = citations
    if author is not None:
        review["author"] = author
    review["datePublished"] = date_published.isoformat()
    return review


def to_claimreview(
    report: Report,
    *,
    author: str | None = None,
    author_url: str | None = None,
    date_published: dt.date | None = None,
    url: str | None = None,
    statement_url: str | Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview (JSON-ready) per verified, drifted or broken claim, in report order;
    none for a finding an ignore entry dismissed (a review publishes a rating, and a dismissed
    finding has none to publish).

    - ``author``/``author_url``: the organisation that publishes the reviews (an
      ``Organization``; Google recommends it);
    - ``date_published``: when the reviews are published (default: the day of the report);
    - ``url``: the page where the reviews are published. Each review's ``url`` is this page with
      the claim's id as fragment. Google requires it;
    - ``statement_url``: where the reviewed statement is published, for ``itemReviewed``'s
      ``appearance``. Give one URL, or a mapping from statement name (the claims file's
      ``[statement] id``) to URL when the report covers several statements.
    """
    organisation: dict[str, Any] | None = None
    if author or author_url:
        organisation = {"@type": "Organization"}
        if author:
            organisation["name"] = author
        if author_url:
            organisation["url"] = author_url
    published = date_published if date_published is not None else as_utc(report.created).date()
    reviews = []
    for result in report.results:
        rating = DISPUTED_RATING if result.disputed else RATINGS.get(result.status)
        if rating is None or result.ignored is not None:
            continue
        if isinstance(statement_url, Mapping):
            appears_at = statement_url.get(result.claim_set.name)
        else:
            appears_at = statement_url
        reviews.append(
            _review(
                result,
                rating,
                author=organisation,
                date_published=published,
                url=url,
                statement_url=appears_at,
            )
        )
    return reviews


_HTML_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def dumps_claimreview(
    reviews: Sequence[Mapping[str, Any]] | Mapping[str, Any], *, indent: int | None = 2
) -> str:
    """JSON-LD text that is also safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` (and the JavaScript line separators U+2028 and U+2029) are written as
    ``\\uXXXX`` escapes. The JSON means exactly the same, but no ``</script>`` or ``<!--`` can
    appear in the text. They can only occur inside strings, and json.dumps escapes every
    backslash, so the replacement cannot break an escape sequence. Control and bidi characters
    are escaped too and lone surrogates become U+FFFD (:func:`~._display.json_safe`): printed,
    the text acts on no terminal.
    """
    return json_safe(json.dumps(reviews, ensure_ascii=False, indent=indent)).translate(_HTML_SAFE)


def claimreview_script(
    reviews: Sequence[Mapping[str, Any]] | Mapping[str, Any], *, indent: int | None = 2
) -> str:
    """The reviews as an HTML ``<script type="application/ld+json">`` block, ready to embed in a
    page (a list of reviews is one JSON-LD array; one review a single object)."""
    body = dumps_claimreview(reviews, indent=indent)
    return f'<script type="application/ld+json">\n{body}\n</script>\n'

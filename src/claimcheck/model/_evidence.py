"""What a check finds: statuses, the fixed vocabulary of reasons, word differences and evidence.

Every finding has one :class:`Status` and one :class:`Reason`. Reasons are a fixed, documented
vocabulary (machines branch on them); the ``explanation`` says the same in words for people.

=========== ==================== ============================================================
status      reason               meaning
=========== ==================== ============================================================
verified    exact                the source contains the claim character for character
verified    normalised           it does, up to case, typography (quote marks, dashes, spaces,
                                 hyphenation, ligatures) and punctuation
verified    ellipsis             every fragment of an elided quote occurs, in order
verified    editorial-brackets   it does, with bracketed editorial insertions such as
                                 ``[the minister]`` or ``[sic]`` standing for source words
verified    figure-match         the figure occurs near its context words (within the claim's hedge)
verified    date-match           the date occurs near its context words, at the claim's precision
drifted     quote-edited         the source has the passage with other or additional words
drifted     figure-changed       a number differs (in a quote, or near a figure's context words)
drifted     negation             a negation ("not", "never", "no", …) was added or removed
drifted     hedge-changed        a hedge ("about", "at least", "more than", …) was added or removed
drifted     date-mismatch        a date differs (in a quote, or the source dates the event
                                 otherwise, or less precisely than the claim)
drifted     silent-omission      source words are left out of the quote without an ellipsis
drifted     stitched-quote       separate passages of the source are joined into one quotation
broken      not-found            nothing resembling the claim is in the source
broken      unreadable-source    the source has no readable text (scanned PDF, encrypted file,
                                 script-only page, undecodable bytes): the claim cannot be there
broken      placeholder-link     the citation is a placeholder (empty, ``#``): it leads nowhere
broken      invalid-url          the citation is not an http(s) URL
broken      dead-link            the live page is gone (see the fetch reason in the message); when
                                 an archived copy verifies the claim it is the suggested fix
broken      no-archive           the live page is gone and no web archive holds a copy
broken      http-404             the server says the page does not exist
broken      http-410             the server says the page is gone for good
broken      http-4xx             another client error (400, 405, 451, …)
broken      http-5xx             a server error that persisted through retries
broken      dns-failure          the host name does not resolve
broken      connection-refused   nothing listens at the host
broken      too-many-redirects   the redirects loop or do not end
broken      redirect-to-homepage the link now redirects to the site's home page
broken      soft-404             the server answers every address with the same "not found" page
broken      parked-domain        the domain is parked or for sale
broken      bad-redirect         a redirect leads to a non-http(s) address
broken      private-address      the host is not on the public internet (loopback, private,
                                 link-local, multicast): refused unless allowed
drifted     content-changed      the archived copy "as cited" has the claim, the live page not
unchecked   blocked              a bot wall or "go away" answer (403 challenge, 401): not evidence
unchecked   rate-limited         the server asked us to slow down (429, 503 with Retry-After)
unchecked   timeout              no complete answer within the deadline
unchecked   tls-error            the TLS handshake or certificate failed
unchecked   connection-error     the connection broke (reset mid-body, malformed answer)
unchecked   no-network           checked online without a network: no host answered, the web
                                 archive neither, so nothing could be looked at (check against
                                 the stored captures offline)
unchecked   too-large            the document exceeds the size cap
unchecked   no-snapshot          offline, and the store has no capture of the source
unchecked   excerpt-only         the capture holds only excerpts of the page, and the claim is
                                 not among them: the full page may still hold it
unchecked   corrupt-snapshot     the stored capture fails its digest check
unchecked   internal-error       claimcheck itself failed on this source (a bug: the message
                                 names the error); an audit records it and goes on
unchecked   ambiguous-figure     the context words stand near several numbers, none in the
                                 claim's unit (percent, currency): which one the claim is about
                                 cannot be told, so no verdict is given
unsourced   no-source            the claims file says the claim has no source (``unsourced``)
unsourced   not-in-claims-file   a quotation, figure or date of the statement that no claim of
                                 the claims file covers (the coverage check)
=========== ==================== ============================================================

A claim's own status combines its sources': verified if any source verifies it, else drifted
if any shows drift, else broken if any is broken, else unchecked. Every source's own verdict is
kept in the report. ``unsourced`` is not combined: it belongs to claims that cite nothing. A
verified claim that another of its sources shows drifted is also **disputed** (it stays
verified; a broken or unchecked source disputes nothing): see
:func:`claimcheck.model.disputing`.
"""

from __future__ import annotations

import enum
import re

import attrs

__all__ = ["DiffKind", "Evidence", "Reason", "Status", "WordDiff", "reason_descriptions"]


class Status(enum.StrEnum):
    """The outcome of checking a claim against its sources; ``unsourced`` for a claim of the
    statement that cites none."""

    VERIFIED = "verified"
    DRIFTED = "drifted"
    BROKEN = "broken"
    UNCHECKED = "unchecked"
    UNSOURCED = "unsourced"


class Reason(enum.StrEnum):
    """Why a finding has its status; see the module documentation for the table."""

    EXACT = "exact"
    NORMALISED = "normalised"
    ELLIPSIS = "ellipsis"
    EDITORIAL_BRACKETS = "editorial-brackets"
    FIGURE_MATCH = "figure-match"
    DATE_MATCH = "date-match"
    QUOTE_EDITED = "quote-edited"
    FIGURE_CHANGED = "figure-changed"
    NEGATION = "negation"
    HEDGE_CHANGED = "hedge-changed"
    DATE_MISMATCH = "date-mismatch"
    SILENT_OMISSION = "silent-omission"
    STITCHED_QUOTE = "stitched-quote"
    NOT_FOUND = "not-found"
    UNREADABLE_SOURCE = "unreadable-source"
    PLACEHOLDER_LINK = "placeholder-link"
    INVALID_URL = "invalid-url"
    DEAD_LINK = "dead-link"
    NO_ARCHIVE = "no-archive"
    HTTP_404 = "http-404"
    HTTP_410 = "http-410"
    HTTP_4XX = "http-4xx"
    HTTP_5XX = "http-5xx"
    DNS_FAILURE = "dns-failure"
    CONNECTION_REFUSED = "connection-refused"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    REDIRECT_TO_HOMEPAGE = "redirect-to-homepage"
    SOFT_404 = "soft-404"
    PARKED_DOMAIN = "parked-domain"
    BAD_REDIRECT = "bad-redirect"
    PRIVATE_ADDRESS = "private-address"
    CONTENT_CHANGED = "content-changed"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate-limited"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls-error"
    CONNECTION_ERROR = "connection-error"
    NO_NETWORK = "no-network"
    TOO_LARGE = "too-large"
    NO_SNAPSHOT = "no-snapshot"
    EXCERPT_ONLY = "excerpt-only"
    CORRUPT_SNAPSHOT = "corrupt-snapshot"
    INTERNAL_ERROR = "internal-error"
    AMBIGUOUS_FIGURE = "ambiguous-figure"
    NO_SOURCE = "no-source"
    NOT_IN_CLAIMS_FILE = "not-in-claims-file"

    @property
    def status(self) -> Status:
        """The status every finding with this reason has."""
        return _STATUS_OF_REASON[self]


_STATUS_OF_REASON = {
    **dict.fromkeys(
        (
            Reason.EXACT,
            Reason.NORMALISED,
            Reason.ELLIPSIS,
            Reason.EDITORIAL_BRACKETS,
            Reason.FIGURE_MATCH,
            Reason.DATE_MATCH,
        ),
        Status.VERIFIED,
    ),
    **dict.fromkeys(
        (
            Reason.QUOTE_EDITED,
            Reason.FIGURE_CHANGED,
            Reason.NEGATION,
            Reason.HEDGE_CHANGED,
            Reason.DATE_MISMATCH,
            Reason.SILENT_OMISSION,
            Reason.STITCHED_QUOTE,
            Reason.CONTENT_CHANGED,
        ),
        Status.DRIFTED,
    ),
    **dict.fromkeys(
        (
            Reason.NOT_FOUND,
            Reason.UNREADABLE_SOURCE,
            Reason.PLACEHOLDER_LINK,
            Reason.INVALID_URL,
            Reason.DEAD_LINK,
            Reason.NO_ARCHIVE,
            Reason.HTTP_404,
            Reason.HTTP_410,
            Reason.HTTP_4XX,
            Reason.HTTP_5XX,
            Reason.DNS_FAILURE,
            Reason.CONNECTION_REFUSED,
            Reason.TOO_MANY_REDIRECTS,
            Reason.REDIRECT_TO_HOMEPAGE,
            Reason.SOFT_404,
            Reason.PARKED_DOMAIN,
            Reason.BAD_REDIRECT,
            Reason.PRIVATE_ADDRESS,
        ),
        Status.BROKEN,
    ),
    **dict.fromkeys(
        (
            Reason.BLOCKED,
            Reason.RATE_LIMITED,
            Reason.TIMEOUT,
            Reason.TLS_ERROR,
            Reason.CONNECTION_ERROR,
            Reason.NO_NETWORK,
            Reason.TOO_LARGE,
            Reason.NO_SNAPSHOT,
            Reason.EXCERPT_ONLY,
            Reason.CORRUPT_SNAPSHOT,
            Reason.INTERNAL_ERROR,
            Reason.AMBIGUOUS_FIGURE,
        ),
        Status.UNCHECKED,
    ),
    Reason.NO_SOURCE: Status.UNSOURCED,
    Reason.NOT_IN_CLAIMS_FILE: Status.UNSOURCED,
}


class DiffKind(enum.StrEnum):
    """What a word-level difference between claim and source amounts to.

    ``cosmetic`` and ``editorial`` differences never make a claim drift; all others do.
    """

    COSMETIC = "cosmetic"  # case, typography, punctuation, hyphenation, footnote marks
    EDITORIAL = "editorial"  # a bracketed insertion standing for source words, or an ellipsis
    NUMBER = "number"
    DATE = "date"
    NEGATION = "negation"
    HEDGE = "hedge"
    OMISSION = "omission"  # source words missing from the claim
    WORDING = "wording"  # other words substituted or added

    @property
    def material(self) -> bool:
        """Whether a difference of this kind changes what the claim says."""
        return self not in (DiffKind.COSMETIC, DiffKind.EDITORIAL)


@attrs.frozen
class WordDiff:
    """One difference of the word-level edit script between a claim and the source passage.

    ``claim_words`` are the claim's words (empty when the claim omits source words),
    ``source_words`` the source's (empty when the claim adds words). Spans are character offsets
    into the claim text and into the source text as extracted.
    """

    kind: DiffKind
    claim_words: str
    source_words: str
    claim_span: tuple[int, int]
    source_span: tuple[int, int]

    @property
    def material(self) -> bool:
        """Whether this difference changes what the claim says."""
        return self.kind.material

    def __str__(self) -> str:
        if not self.claim_words:
            return f"omits {self.source_words!r}"
        if not self.source_words:
            return f"adds {self.claim_words!r}"
        return f"{self.claim_words!r} where the source has {self.source_words!r}"


@attrs.frozen
class Evidence:
    """What one source text says about one claim.

    - ``status``/``reason``: the finding (``reason.status == status`` always holds).
    - ``score``: similarity of claim and passage, 0–100 (100 for an exact or normalised match).
      Informative only: the status never follows from the score alone.
    - ``passage``/``span``: the matched passage and its offsets in the source text as extracted;
      ``None`` when nothing was found.
    - ``region``: where in the source the passage lies (``"title"``, ``"article"``,
      ``"furniture"``, ``"page 3"``), when known.
    - ``differences``: the word-level edit script, cosmetic differences included.
    - ``found``: the value the source gives for a figure or date ("198", "September 2017").
    - ``explanation``: one sentence for people ("source says 198, statement says 189").
    """

    status: Status
    reason: Reason
    explanation: str
    score: float = 0.0
    passage: str | None = None
    span: tuple[int, int] | None = None
    region: str | None = None
    differences: tuple[WordDiff, ...] = ()
    found: str | None = None

    @property
    def material_differences(self) -> tuple[WordDiff, ...]:
        """The differences that change what the claim says."""
        return tuple(diff for diff in self.differences if diff.material)


def reason_descriptions() -> dict[Reason, str]:
    """Each reason's meaning, read from the reason table in this module's documentation.

    The table is the one source of truth for the reasons, so the
    rule descriptions here are parsed from it instead of being written out a second time. RST
    literals (````#````) become plain text. If Python runs with ``-OO`` there is no documentation
    to read, and each reason then falls back to its status and name.
    """
    lines = (__doc__ or "").splitlines()
    rulers = [i for i, line in enumerate(lines) if line.startswith("=") and not line.strip("= ")]
    meanings: dict[Reason, list[str]] = {}
    if len(rulers) >= 3:
        starts = [match.start() for match in re.finditer("=+", lines[rulers[0]])]
        current: Reason | None = None
        for line in lines[rulers[1] + 1 : rulers[2]]:
            name = line[starts[1] : starts[2]].strip()
            text = line[starts[2] :].strip()
            if name:
                try:
                    current = Reason(name)
                except ValueError:
                    current = None
                    continue
                meanings[current] = [text]
            elif current is not None and text:
                meanings[current].append(text)
    return {
        reason: re.sub(r"``(.+?)``", r"\1", " ".join(meanings[reason]))
        if reason in meanings
        else f"{reason.status.value}: {reason.value}"
        for reason in Reason
    }

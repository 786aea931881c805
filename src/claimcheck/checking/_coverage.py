"""Coverage: the quotations, figures and dates of a statement that no claim of its claims file
covers, as ``unsourced``/``not-in-claims-file`` results.

The statement is read with the statement reader (:func:`claimcheck.documents.read_statement`)
and its claims found as ``claimcheck extract`` finds them
(:func:`claimcheck.documents.find_claims`), so that what coverage lists is what ``extract``
would propose.
"""

from __future__ import annotations

import bisect
import itertools

import attrs

from ..documents import LineIndex, find_claims, link_problem, read_statement, syntax_for
from ..matching import decode_references
from ..model import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
    Location,
    Reason,
    Status,
    quoted,
)

__all__ = ["folded_text", "uncovered"]


def uncovered(claim_set: ClaimSet) -> list[ClaimResult]:
    """The quotations, figures and dates of the claim set's statement that no claim of the same
    kind covers (overlaps), as ``unsourced`` results; none when the statement's text is unknown.
    """
    statement = claim_set.statement
    if statement.text is None:
        return []
    syntax = syntax_for(statement.path) if statement.path is not None else "text"
    found = find_claims(read_statement(statement.text, syntax), reference_date=statement.published)
    lines = LineIndex(statement.text)
    claimed: dict[ClaimKind, list[tuple[int, int]]] = {}
    for claim in claim_set.claims:
        location = claim.location
        if location is None or location.end_line is None or location.end_column is None:
            continue
        start = lines.offset(location.line, location.column)
        end = lines.offset(location.end_line, location.end_column)
        if start is not None and end is not None:
            claimed.setdefault(claim.kind, []).append((start, end))
    covering = {kind: _Spans.of(spans) for kind, spans in claimed.items()}
    results = []
    # A claims file places a claim at the first occurrence of its text, so a repeated figure
    # or quote ("5 people" in three list items) is covered by a claim of the same text.
    texts = {(claim.kind, folded_text(claim.text)) for claim in claim_set.claims}
    for item in found:
        spans = covering.get(item.kind)
        if spans is not None and spans.overlap(item.start, item.end):
            continue
        if (item.kind, folded_text(item.text)) in texts:
            continue
        location = Location(*lines.line_column(item.start), *lines.line_column(item.end))
        links = [link.url for link in item.links if link_problem(link.url) is None]
        hint = f"; its sentence links to {', '.join(links)}" if links else ""
        claim = Claim(
            item.kind,
            item.text,
            id=f"{item.kind.value}@{location}",
            location=location,
            reference_date=statement.published,
        )
        results.append(
            ClaimResult(
                claim,
                claim_set,
                Status.UNSOURCED,
                Reason.NOT_IN_CLAIMS_FILE,
                # The text as written: what an [[ignore]] entry names to dismiss the finding.
                f"no claim of the claims file covers this {item.kind.value} "
                f"{quoted(item.text)}{hint}",
                (),
            )
        )
    return results


@attrs.frozen
class _Spans:
    """The claims' spans of one kind, for asking whether any overlaps a finding in logarithmic
    time: comparing each finding with every claim took time quadratic in a long statement's
    claims (ten thousand claims, ten thousand findings)."""

    starts: list[int]  # in order
    reach: list[int]  # the furthest end of the spans up to each start

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> _Spans:
        spans = sorted(spans)
        reach = list(itertools.accumulate((end for _, end in spans), max))
        return cls([start for start, _ in spans], reach)

    def overlap(self, start: int, end: int) -> bool:
        """Whether a span ``(s, e)`` has ``s < end`` and ``start < e``."""
        before = bisect.bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start


def folded_text(text: str) -> str:
    """A claim's or finding's words for comparing texts: character references decoded; case,
    spacing and enclosing quotation marks aside (the coverage check, and ignore entries'
    ``text``)."""
    return " ".join(decode_references(text).casefold().split()).strip("\"'“”‘’«»„‚‹› ")

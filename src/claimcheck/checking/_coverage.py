"""Coverage: the quotations, figures and dates of a statement that no claim of its claims file
covers, as ``unsourced``/``not-in-claims-file`` results.

The statement is read with the statement reader (:func:`claimcheck.documents.read_statement`)
and its claims found as ``claimcheck extract`` finds them
(:func:`claimcheck.documents.find_claims`), so that what coverage lists is what ``extract``
would propose.
"""

from __future__ import annotations

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
    results = []
    # A claims file places a claim at the first occurrence of its text, so a repeated figure
    # or quote ("5 people" in three list items) is covered by a claim of the same text.
    texts = {(claim.kind, folded_text(claim.text)) for claim in claim_set.claims}
    for item in found:
        spans = claimed.get(item.kind, [])
        if any(start < item.end and item.start < end for start, end in spans):
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


def folded_text(text: str) -> str:
    """A claim's or finding's words for comparing texts: character references decoded; case,
    spacing and enclosing quotation marks aside (the coverage check, and ignore entries'
    ``text``)."""
    return " ".join(decode_references(text).casefold().split()).strip("\"'“”‘’«»„‚‹› ")

"""Matching a :class:`~claimcheck.Claim` by its kind, as a claims file states it."""

from __future__ import annotations

import html
import re

from ..documents import Text
from ..model import Claim, ClaimKind, Evidence
from ._date import match_date
from ._figure import match_figure
from ._index import SourceIndex
from ._quote import match_quote

__all__ = ["decode_references", "match_claim"]

_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_references(text: str) -> str:
    """``text`` with its HTML character references (``&rsquo;``, ``&nbsp;``, ``&#8217;``) read
    as the characters they stand for.

    A claim copied from an HTML statement keeps them (its place in the statement is found in the
    file as written), but it claims the characters, not the markup. Only complete references,
    ending in ``;``, are decoded: "AT&T" and "&copy 2021" stay as written."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(lambda match: html.unescape(match.group()), text)


def match_claim(
    claim: Claim,
    source: Text | str,
    *,
    context: str | None = None,
    index: SourceIndex | None = None,
) -> Evidence:
    """Check a :class:`~claimcheck.Claim` against one source text, by its kind.

    ``context`` replaces the claim's context words (for a source in another language); ``index``
    is the source's :class:`~claimcheck.matching.SourceIndex`, when one is kept for it (a checker
    keeps one per source text, so that each text is normalised and split once for all claims)."""
    context = context if context is not None else claim.context
    text = decode_references(claim.text)
    if claim.kind is ClaimKind.QUOTE:
        return match_quote(text, source, index=index)
    if claim.kind is ClaimKind.FIGURE:
        return match_figure(text, source, value=claim.value, context=context, index=index)
    return match_date(
        text,
        source,
        value=None if claim.value is None else str(claim.value),
        context=context,
        reference=claim.reference_date,
        index=index,
    )

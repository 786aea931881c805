"""Finding a claim in a source text: quotes (locate, then classify the word-level edit script),
figures and dates, each giving :class:`~claimcheck.Evidence`."""

from ._match import (
    analysis_state,
    decode_references,
    match_claim,
    match_date,
    match_figure,
    match_quote,
    prime_analysis,
)

__all__ = [
    "analysis_state",
    "decode_references",
    "match_claim",
    "match_date",
    "match_figure",
    "match_quote",
    "prime_analysis",
]

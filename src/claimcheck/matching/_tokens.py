"""What the quote matcher knows of one canonical token (see :func:`claimcheck.language.normalize`):
whether it is a word, a content word, a number, and the symbols that belong to a number or a hedge.

Locating counts matched words with these; classifying decides with them what a difference is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ..language import HEDGE_WORDS, NUMBER_WORDS, STOPWORDS, is_negation

__all__ = [
    "HEDGE_SYMBOLS",
    "NUMBER_SYMBOLS",
    "PERCENT_WORDS",
    "WILD",
    "citation_mark_at",
    "is_annotation",
    "is_content",
    "is_core",
    "is_number_token",
    "is_word",
]

WILD = "\x00"
"""A token no source token can equal (the normaliser deletes control characters): the stand-in
for a bracketed editorial insertion."""

HEDGE_SYMBOLS = frozenset("~≈<>≤≥")
NUMBER_SYMBOLS = frozenset("+±%‰$€£¥₹₽")
PERCENT_WORDS = frozenset({"percent", "pct", "procent", "prozent", "pourcent"})

_ANNOTATION = re.compile(
    r"(?:sic!?|emphasis (?:added|mine|supplied|in (?:the )?original)|original emphasis"
    r"|italics (?:added|mine)|citation needed|sic passim)",
    re.IGNORECASE,
)
_CITATION_NUMBER = re.compile(r"\d{1,3}")


def is_annotation(text: str) -> bool:
    """Whether a bracket's text is an annotation that stands for no source words ("sic",
    "emphasis added", "citation needed")."""
    return _ANNOTATION.fullmatch(text.strip()) is not None


def citation_mark_at(tokens: Sequence[str], index: int) -> int:
    """How many tokens from ``index`` on form a bracketed citation mark ("[1]", "[citation
    needed]", "[sic]"), 0 if none: like a superscript footnote mark, not part of what was said."""
    if tokens[index] != "[" or "]" not in tokens[index + 1 : index + 4]:
        return 0
    close = tokens.index("]", index + 1)
    inside = tokens[index + 1 : close]
    if (len(inside) == 1 and _CITATION_NUMBER.fullmatch(inside[0])) or (
        inside and is_annotation(" ".join(inside))
    ):
        return close + 1 - index
    return 0


@functools.lru_cache(maxsize=1 << 16)
def is_word(token: str) -> bool:
    """Whether a token is a word or number (not punctuation, a superscript or a wildcard)."""
    return token != WILD and not token.startswith("^") and any(c.isalnum() for c in token)


@functools.lru_cache(maxsize=1 << 16)
def is_content(token: str) -> bool:
    """Whether a token is a word other than a function word."""
    return is_word(token) and token not in STOPWORDS


@functools.lru_cache(maxsize=1 << 14)
def is_number_token(token: str) -> bool:
    """Whether a token holds a digit or is a number word."""
    return any(char.isdigit() for char in token) or token in NUMBER_WORDS


@functools.lru_cache(maxsize=1 << 16)
def is_core(token: str) -> bool:
    """Whether a token is a content word that a drifted quote does not typically change: not a
    number, negation or hedge. Whether a passage resembles a quote is judged on these."""
    return (
        is_content(token)
        and not is_number_token(token)
        and not is_negation(token)
        and token not in HEDGE_WORDS
    )

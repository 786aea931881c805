"""Parsing a quote: strip its enclosing quote marks, split it on ellipses (``...``, ``…``,
``[...]``, ``[…]``) into fragments that must occur in order, and turn bracketed editorial
insertions (``[the minister]``, ``[T]he``) into wildcards standing for a few source words;
annotations such as ``[sic]`` and ``[emphasis added]`` stand for nothing.

Sources print brackets too ("a 45 min[ute] walk", citation marks "[1]"): a fragment keeps where
its brackets are, so that :func:`read_brackets` can read any of them literally, as text the
source may have at that place (the locator decides which, see ``_locate``).

A quote may also hold quotation marks of its own: ``"that's really good," he told the audience,
"we are going to win"`` quotes two parts and frames them with the writer's words;
:func:`quoted_parts` reads it as those parts alone."""

from __future__ import annotations

import re

import attrs

from ..errors import InvalidClaimError
from ..language import NormalizedText
from ._tokens import WILD, is_annotation, is_word

__all__ = [
    "Fragment",
    "ParsedQuote",
    "parse_quote",
    "quoted_parts",
    "read_brackets",
]

_WILD_MAX_TOKENS = 6
_OPENING_QUOTES = "\"'“‘„‚«‹「『"
_CLOSING_QUOTES = "\"'”’“‘»›」』"
_DOUBLE_MARKS = '"“”„‟«»「」『』'
_CLOSING_MARKS = "”»」』"
_ELLIPSIS = re.compile(r"\s*(?:[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*…\s*[\])]|\.(?:\s?\.){2,}|…)\s*")
_BRACKET = re.compile(r"\[([^\[\]]{1,80})\]")


@attrs.frozen
class Fragment:
    """A part of a quote between ellipses, as canonical tokens.

    ``spans`` locate each token in the raw quote; a wildcard token (``WILD``) stands for between
    ``wild_min`` and ``wild_max`` source tokens, and ``wild_words`` are its own words (the
    bracket's, or the bracketed word's without brackets): they are still compared with the source
    words they stand for, so that ``[198]`` for "189" or ``[not]`` is drift, not editing.
    """

    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    wild_min: tuple[int, ...]
    wild_max: tuple[int, ...]
    wild_words: tuple[tuple[str, ...], ...]
    piece: tuple[int, int] = (0, 0)
    """The span of the raw quote the fragment was read from."""
    brackets: tuple[tuple[int, int], ...] = ()
    """The raw spans of its brackets (with the word a bracket is glued to), however read."""
    literal: frozenset[tuple[int, int]] = frozenset()
    """The brackets read as the source's own text rather than as editorial insertions."""

    def sub(self, start: int, stop: int) -> Fragment:
        """The fragment of tokens ``start:stop``."""
        return Fragment(
            self.tokens[start:stop],
            self.spans[start:stop],
            self.wild_min[start:stop],
            self.wild_max[start:stop],
            self.wild_words[start:stop],
            self.piece,
            self.brackets,
            self.literal,
        )

    @property
    def editorial(self) -> bool:
        """Whether some bracket is read as an editorial insertion or annotation."""
        return len(self.literal) < len(self.brackets)

    def bracket_tokens(self, bracket: tuple[int, int]) -> range:
        """The tokens read from a bracket (read literally: its words and marks)."""
        inside = [i for i, (a, b) in enumerate(self.spans) if bracket[0] <= a and b <= bracket[1]]
        return range(inside[0], inside[-1] + 1) if inside else range(0)

    @property
    def has_wild(self) -> bool:
        """Whether the fragment holds an editorial insertion."""
        return WILD in self.tokens


@attrs.frozen
class ParsedQuote:
    """A quote as the matcher reads it: its fragments, and whether it was elided (had an
    ellipsis) or bracketed (had an editorial insertion or annotation)."""

    raw: str
    body: tuple[int, int]  # the quote without enclosing whitespace and quote marks
    fragments: tuple[Fragment, ...]
    elided: bool
    bracketed: bool


def _strip_enclosing(quote: str) -> tuple[int, int]:
    start, end = 0, len(quote)
    while start < end and quote[start].isspace():
        start += 1
    while end > start and quote[end - 1].isspace():
        end -= 1
    while (
        end - start >= 2 and quote[start] in _OPENING_QUOTES and quote[end - 1] in _CLOSING_QUOTES
    ):
        start, end = start + 1, end - 1  # nested: "'We will not'" is quoted twice
        while start < end and quote[start].isspace():
            start += 1
        while end > start and quote[end - 1].isspace():
            end -= 1
    return start, end


def _tokens_of(raw: str, start: int, end: int) -> list[tuple[str, tuple[int, int]]]:
    normalized = NormalizedText(raw[start:end])
    return [
        (token, (start + a, start + b))
        for token, (a, b) in zip(normalized.tokens, normalized.token_spans(), strict=True)
    ]


def _parse_fragment(
    raw: str, start: int, end: int, literal: frozenset[tuple[int, int]] = frozenset()
) -> Fragment:
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    minimum: list[int] = []
    maximum: list[int] = []
    words: list[tuple[str, ...]] = []
    brackets: list[tuple[int, int]] = []

    def add_text(a: int, b: int) -> None:
        for token, span in _tokens_of(raw, a, b):
            tokens.append(token)
            spans.append(span)
            minimum.append(0)
            maximum.append(0)
            words.append(())

    cursor = start
    for match in _BRACKET.finditer(raw, start, end):
        # a bracket glued to a word edits that word: take the whole word ("[T]he", "help[s]")
        left, right = match.start(), match.end()
        while left > cursor and (raw[left - 1].isalnum() or raw[left - 1] == "_"):
            left -= 1
        while right < end and (raw[right].isalnum() or raw[right] == "_"):
            right += 1
        add_text(cursor, left)
        cursor = right
        brackets.append((left, right))
        if (left, right) in literal:
            add_text(left, right)
            continue
        content = match.group(1).strip()
        attached = (left, right) != match.span()
        if is_annotation(content):
            continue
        tokens.append(WILD)
        spans.append((left, right))
        # "[T]he" or "help[s]" edit one word; "[the minister]" stands for a few source words.
        minimum.append(1 if attached else 0)
        maximum.append(1 if attached else _WILD_MAX_TOKENS)
        unbracketed = raw[left:right].replace("[", "").replace("]", "")
        words.append(tuple(NormalizedText(unbracketed).tokens))
    add_text(cursor, end)
    return Fragment(
        tuple(tokens),
        tuple(spans),
        tuple(minimum),
        tuple(maximum),
        tuple(words),
        (start, end),
        tuple(brackets),
        literal,
    )


def read_brackets(raw: str, fragment: Fragment, literal: frozenset[tuple[int, int]]) -> Fragment:
    """The fragment read again from the raw quote, with the brackets in ``literal`` read as
    the source's own text and the others as editorial insertions."""
    return _parse_fragment(raw, *fragment.piece, literal)


def parse_quote(quote: str) -> ParsedQuote:
    """Read a quote into its fragments. Raises :class:`~claimcheck.InvalidClaimError` for a quote
    with no words to look for."""
    start, end = _strip_enclosing(quote)
    fragments: list[Fragment] = []
    bracketed = False
    cursor = start
    pieces: list[tuple[int, int]] = []
    for match in _ELLIPSIS.finditer(quote, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    for a, b in pieces:
        fragment = _parse_fragment(quote, a, b)
        bracketed = bracketed or fragment.editorial
        if any(token != WILD for token in fragment.tokens):
            fragments.append(fragment)
    if not fragments and len(pieces) == 1:
        # a quote that is all brackets ("[1]", "min[ute]") can only be the source's own text;
        # annotations alone ("[sic]") still have no words to look for
        fragment = _parse_fragment(quote, start, end)
        literal = read_brackets(quote, fragment, frozenset(fragment.brackets))
        if WILD in fragment.tokens and any(is_word(token) for token in literal.tokens):
            fragments.append(literal)
            bracketed = False
    if not fragments:
        raise InvalidClaimError(f"the quote {quote!r} has no words to look for")
    return ParsedQuote(quote, (start, end), tuple(fragments), len(pieces) > 1, bracketed)


def _closes(raw: str, position: int) -> bool:
    """Whether the quotation mark at ``position`` closes a quotation: a closing curly mark, or a
    straight one glued to the word before it and not to the word after ("good,\" he said")."""
    mark = raw[position]
    if mark in _CLOSING_MARKS:
        return True
    before = raw[position - 1] if position > 0 else " "
    after = raw[position + 1] if position + 1 < len(raw) else " "
    return mark == '"' and not before.isspace() and (after.isspace() or not after.isalnum())


def quoted_parts(quote: ParsedQuote) -> ParsedQuote | None:
    """The quote read as the parts it puts in quotation marks of its own, when it has two or
    more (``"that's really good," he told the audience, "we are going to win"``): the words
    between them are the writer's, not the speaker's. None for a quote without such parts, or
    with an ellipsis (whose fragments are already looked for one by one)."""
    if quote.elided:
        return None
    raw = quote.raw
    start, end = len(raw) - len(raw.lstrip()), len(raw.rstrip())
    marks = [i for i in range(start, end) if raw[i] in _DOUBLE_MARKS]
    if len(marks) < 2:
        return None
    parts: list[tuple[int, int]] = []
    opened: int | None = start if _closes(raw, marks[0]) else None  # the quote starts inside
    for position in marks:
        if opened is None:
            opened = position + 1
        else:
            parts.append((opened, position))
            opened = None
    if opened is not None:
        parts.append((opened, end))
    fragments = [_parse_fragment(raw, a, b) for a, b in parts]
    fragments = [f for f in fragments if any(is_word(token) for token in f.tokens)]
    if len(fragments) < 2:
        return None
    bracketed = any(fragment.editorial for fragment in fragments)
    return ParsedQuote(raw, quote.body, tuple(fragments), False, bracketed)

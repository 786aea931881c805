"""The one rule for text from elsewhere inside claimcheck's sentences: a verdict's message (and
any sentence built to be read, such as an archive's refusal) is a plain sentence whose brackets
pair up, so that a reader, or a report that shows it in parentheses, can tell claimcheck's words
from a URL's or a server's. A URL such as Wikipedia's ``…/Foo_(bar)`` pairs up and is shown as
written; ``…/a(b``, a server's reason phrase ``Gone (for good``, or an error text cut short do
not, and are shown with their brackets percent-encoded (:func:`in_sentence`)."""

from __future__ import annotations

__all__ = ["brackets_pair", "in_sentence", "quoted"]

_PAIRS = {")": "(", "]": "["}
_OPENING = frozenset(_PAIRS.values())
_ENCODED = str.maketrans({"(": "%28", ")": "%29", "[": "%5B", "]": "%5D"})


def brackets_pair(text: str) -> bool:
    """Whether every round and square bracket of ``text`` is closed, in order, by one of its
    own kind: ``a (b [c]) d`` does, ``a (b``, ``a) b (`` and ``(a [b) c]`` do not."""
    open_: list[str] = []
    for char in text:
        if char in _OPENING:
            open_.append(char)
        elif char in _PAIRS and (not open_ or open_.pop() != _PAIRS[char]):
            return False
    return not open_


def in_sentence(text: str) -> str:
    """``text`` (a URL, a server's words) as a sentence may quote it: as written when its
    brackets pair up, else with every bracket percent-encoded (``%28``, ``%29``, ``%5B``,
    ``%5D``). In a URL the encoded form names the same page for any server that decodes
    percent-escapes before routing, which web servers do; the exact URL stays in the verdict's
    source."""
    return text if brackets_pair(text) else text.translate(_ENCODED)


def quoted(text: str) -> str:
    """``text`` (words of a source or a statement) as an explanation quotes them: in single
    quotation marks, on one line, as written. Not ``repr``, which escapes line breaks and
    switches to double quotation marks around an apostrophe ("That's")."""
    return "'" + " ".join(text.split()) + "'"

"""A statement's links: :class:`StatementLink`, where a link's markup is and where it leads;
and whether a link can be a source, the one rule ``extract`` (a link's problem), ``robustify``
(which links to decorate) and the coverage check apply."""

from __future__ import annotations

import re
from typing import Final, Literal, TypeAlias
from urllib.parse import urlsplit

import attrs

from ._lines import shorten

__all__ = ["HTML_SPACE", "LinkKind", "StatementLink", "http_url", "link_problem"]

LinkKind: TypeAlias = Literal["inline", "reference", "autolink", "anchor", "bare"]
HTML_SPACE: Final = " \t\n\f\r"
"""The ASCII whitespace of HTML (and of URLs as written in it)."""


@attrs.frozen
class StatementLink:
    """One link of a statement: where its markup is and where it leads.

    - ``kind``: how it is written: a Markdown ``inline`` link (``[text](url "title")``), a
      Markdown ``reference`` link (``[text][ref]``, ``[text][]``, ``[ref]``, with its
      ``[ref]: url`` definition), an ``autolink`` (``<https://…>``), an HTML ``anchor``
      (``<a href>``, in HTML or inline in Markdown), or a ``bare`` URL in the prose.
    - ``start``/``end``: its markup in the source: the whole Markdown link, the autolink with
      its angle brackets, the bare URL; for an anchor, the element up to its ``</a>`` when the
      prose reader followed it (or, left open, its start tag), the start tag alone in
      :func:`markdown_links`.
    - ``url``: where it leads, as written, escapes and character references decoded (``#``,
      empty or ``javascript:…`` too: a placeholder is a finding).
    - ``title``: a Markdown link's title; ``text_start``/``text_end``: the span of its text
      (``None`` for an autolink or a bare URL, whose text is the URL); ``shown``: an
      autolink's text as renderers show it.
    - ``escapes``: the ``[`` of brackets around or just before a Markdown link that only its
      syntax keeps from being a link themselves (links do not contain links; ``[ref][text](u)``
      holds no shortcut reference): whoever removes the syntax must escape them.
      ``ambiguous``: renderers disagree on whether the brackets just before it are a link
      (``[ref][[x]](url)``).
    """

    kind: LinkKind
    start: int
    end: int
    url: str
    title: str | None = None
    text_start: int | None = None
    text_end: int | None = None
    shown: str | None = None
    escapes: tuple[int, ...] = ()
    ambiguous: bool = False


# An absolute http(s) URL with no whitespace or control characters.
_HTTP_URL: Final = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def http_url(value: str) -> str | None:
    """``value`` without surrounding ASCII whitespace when it is an absolute http(s) URL with a
    host (and a valid port, if any) and no whitespace, control characters or lone surrogates in
    it; else ``None``."""
    candidate = value.strip(HTML_SPACE)
    if not _HTTP_URL.fullmatch(candidate):
        return None
    try:
        candidate.encode("utf-8")
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except (UnicodeEncodeError, ValueError):
        return None
    return candidate if parts.hostname else None


def link_problem(url: str) -> str | None:
    """Why a link written ``url`` is not a usable source (a placeholder, a relative link, not
    http(s), not a valid http(s) URL), or ``None`` when it is one (:func:`http_url`)."""
    written = url.strip()
    if not written:
        return "empty link"
    if written == "#":
        return "placeholder link ('#')"
    if written.startswith("#"):
        return f"a link within the statement ({shorten(written)!r}), not a source"
    try:
        parts = urlsplit(written)
    except ValueError:
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme == "javascript":
        return "javascript: link"
    if scheme in ("http", "https"):
        if http_url(written) is not None:
            return None
        if not parts.hostname:
            return "not a valid http(s) URL: no host"
        return "not a valid http(s) URL"
    if not scheme:
        return f"relative link ({shorten(written)!r}): not an absolute http(s) URL"
    return f"not http(s) ({scheme}:)"

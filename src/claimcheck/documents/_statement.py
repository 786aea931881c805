"""The statement reader: a statement (what a claims file is about) in Markdown, HTML or plain
text, read into its prose, its sentences and its links; ``extract``, ``robustify`` and the
coverage check all read statements with it.

**Offsets.** Every offset is into the statement as given (for Markdown and HTML too). A byte
order mark (U+FEFF) at the start is nothing: it is left out of the prose, and offsets still
count it. Lone surrogates (which no UTF-8 writer can write) are read as U+FFFD, one for one
(:func:`~claimcheck.model.well_formed`). Markup is read into a *prose view* (:class:`Prose`)
that keeps, for each of its characters, the span of the source it came from: tags, code, link
destinations, list and heading markers, emphasis markers and block-quote prefixes are left out,
character references (``&ldquo;``) and escapes are decoded, block boundaries become blank lines.

**Markdown** is read as CommonMark where it decides what is prose (:mod:`._markdown_prose`);
links are found as CommonMark finds them (:class:`InlineScan`): a ``]`` closes the last open
``[``, code spans, autolinks and HTML bind more tightly than brackets, and links do not nest:
in ``[a [b](u) c](v)`` only "b" is a link (``(v)`` is then prose, so ``v`` is a link only as a
bare URL, as GFM reads it).

**Links**: Markdown inline links ``[text](url "title")``, reference links ``[text][ref]``,
``[text][]`` and ``[ref]`` with their ``[ref]: url`` definitions, autolinks ``<https://…>``,
inline ``<a href>``; HTML ``<a href>`` (those the HTML tokenizer reads as links); bare
``http(s)://`` URLs in any syntax. Images are not links. A link belongs to the sentence it
stands in, and a link just after a sentence's end (a bare URL or a superscript citation) to
that sentence.

**Sentences** end as :func:`~claimcheck.language.sentence_ends` says for prose (a single line
break does not end one), never inside a quotation, and at every paragraph or block boundary
(:mod:`._quotations`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final, Literal, TypeAlias

import attrs

from ..errors import ConfigurationError
from ..language import sentence_ends
from ..model import well_formed
from ._html_tokens import html_links
from ._links import StatementLink
from ._markdown_blocks import BYTE_ORDER_MARK, markdown_blocks
from ._markdown_prose import read_markdown
from ._markup import MarkupReader, read_html, without_markup
from ._prose import Prose, build_prose
from ._quotations import quotations, sentence_index, sentences

__all__ = [
    "MARKUP_SUFFIXES",
    "SYNTAXES",
    "MarkupSyntax",
    "StatementText",
    "Syntax",
    "read_statement",
    "syntax_for",
]

Syntax: TypeAlias = Literal["markdown", "html", "text"]
"""The syntax a statement is written in."""
MarkupSyntax: TypeAlias = Literal["markdown", "html"]
"""The syntaxes with markup, whose links ``robustify`` can rewrite."""

SYNTAXES: Final[tuple[Syntax, ...]] = ("markdown", "html", "text")

MARKUP_SUFFIXES: Final[Mapping[str, MarkupSyntax]] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}
"""The suffixes of statement files written in a markup (``robustify`` reads only these)."""


def syntax_for(path: str | Path) -> Syntax:
    """The syntax of a statement file by its suffix: ``"markdown"`` for ``.md`` and
    ``.markdown``, ``"html"`` for ``.html``, ``.htm`` and ``.xhtml``, else ``"text"``."""
    return MARKUP_SUFFIXES.get(Path(path).suffix.lower(), "text")


@attrs.frozen
class StatementText:
    """A statement as read (see the module documentation).

    - ``source``: the statement as given; ``syntax`` how it was read.
    - ``prose``: its prose view, with the source span of each character.
    - ``links``: its links, in source order.
    - ``sentences``: its sentences, as spans of the prose, trimmed of whitespace, in order;
      ``sentence_links`` the links of each (one tuple per sentence).
    - ``quotations``: the outermost quotations of the prose, as the positions of their opening
      and closing marks; ``unclosed``: the opening double marks nothing closes in their
      paragraph.
    """

    source: str
    syntax: Syntax
    prose: Prose
    links: tuple[StatementLink, ...]
    sentences: tuple[tuple[int, int], ...]
    sentence_links: tuple[tuple[StatementLink, ...], ...]
    quotations: tuple[tuple[int, int], ...]
    unclosed: tuple[int, ...]

    def sentence_at(self, position: int) -> int | None:
        """The sentence holding the prose ``position``, or the one before it when it is
        between two; None when the statement has no sentence."""
        return sentence_index([start for start, _ in self.sentences], position)

    def link_text(self, link: StatementLink) -> str:
        """A link's text on one line: its prose (for an autolink or a bare URL, its URL); as
        written without its markup when it is no prose (a superscript citation)."""
        if link.text_start is None or link.text_end is None:
            return link.url
        prose = self.prose
        text = " ".join(prose.text[prose.at(link.text_start) : prose.at(link.text_end)].split())
        if text:
            return text
        return " ".join(without_markup(self.source[link.text_start : link.text_end]).split())


def read_statement(source: str, syntax: str) -> StatementText:
    """Read the statement ``source``, written in ``syntax`` (``"markdown"``, ``"html"`` or
    ``"text"``: see :func:`syntax_for`; another raises
    :class:`~claimcheck.errors.ConfigurationError`)."""
    if syntax not in SYNTAXES:
        raise ConfigurationError(f"syntax must be one of {', '.join(SYNTAXES)}, not {syntax!r}")
    source = well_formed(source)
    begin = 1 if source.startswith(BYTE_ORDER_MARK) else 0
    reader = MarkupReader(source)
    if begin:
        reader.drop(0, begin)
    if syntax == "markdown":
        read_markdown(reader, markdown_blocks(source))
    elif syntax == "html":
        reader.anchors = frozenset(link.start for link in html_links(source))
        read_html(reader, begin)
    else:
        reader.bare_urls(begin, len(source))
    reader.finish()
    prose = build_prose(source, reader.operations)
    links = tuple(sorted(reader.links, key=lambda link: link.start))
    ends = sentence_ends(prose.text, line_breaks=False)
    quoted, unclosed = quotations(prose.text, [end for end, _ in ends])
    spans = sentences(prose.text, quoted, ends)
    starts = [start for start, _ in spans]
    by_sentence: list[list[StatementLink]] = [[] for _ in spans]
    for link in links:
        index = sentence_index(starts, prose.at(link.start))
        if index is not None:
            by_sentence[index].append(link)
    return StatementText(
        source,
        syntax,
        prose,
        links,
        tuple(spans),
        tuple(map(tuple, by_sentence)),
        tuple(quoted),
        tuple(unclosed),
    )

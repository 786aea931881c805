"""Proposing a statement's claims: its quotations, figures and dates, and the links citing them.

:func:`extract` reads a statement (Markdown, HTML or plain text) and proposes one claim per
quotation, figure and date, each with the links of its sentence as sources;
:func:`claims_toml` writes the proposals as a claims file for the author to review. Nothing is
guessed: a proposal whose value cannot be read carries the ``problem`` and is listed, never
dropped or given an invented value.

**Offsets.** Every offset, line and column is in the statement file as given (for Markdown and
HTML too), and a proposal's ``text`` is exactly ``input[start:end]``, so that
:func:`claimcheck.load` anchors it where it was proposed. A byte order mark (U+FEFF) at the
start of the input is nothing: it changes no proposal, but offsets and columns still count it,
as the input holds it. Markup is read into a *prose view*
that keeps, for each of its characters, the span of the input it came from: tags, code, link
destinations, list and heading markers, emphasis markers and block-quote prefixes are left
out, character references (``&ldquo;``) and escapes are decoded, block boundaries become blank
lines. Quotes, figures, dates and sentences are found in the prose view and reported in the
input. When the input span of a proposal holds markup or a character reference, the proposal
is still reported, and ``problem`` says so (the claim's text is the file's, markup included).

**Quotations.** Straight and typographic marks (``"…"``, ``“…”``, ``„…“``, ``‘…’``, ``'…'``,
``«…»`` and ``« … »`` with French spacing, ``»…«``, ``‹…›``, ``「…」``), and HTML's ``<q>``. A
mark opens when it follows a space, an opening bracket or dash, or another mark, and is
followed by a non-space (guillemets may be followed by a space); it closes in the mirror
position; marks pair up with a stack, so quotations nest. A quotation may span lines but
never paragraphs: a blank line ends every open one.

Single marks (``'``, ``‘``, ``’``) are apostrophes as often as quotation marks; British style
quotes with them. The rules, in order:

1. A single mark between two letters or digits is an apostrophe ("don't", "Syria's",
   "Denmark’s").
2. A single mark that begins an elided word, after no letter or digit, is an apostrophe and
   opens nothing: two digits, with an optional "s" ("the '90s", "in ’21"), "'tis", "'twas",
   "'em", "'til", and "'n" with its closing mark ("rock 'n' roll": both marks are apostrophes).
   A quotation that begins with such a word is missed ("'90 percent,' he said").
3. A single mark after a letter that would close no open quotation is an apostrophe ("the
   Syrians' rights").
4. A closing ``'`` or ``’`` that reads as a plural possessive (a letter, "s", the mark, a space,
   a word: "refugees' rights") closes its quotation only when no later mark of the same sentence
   would close it instead. The later mark counts when it is of the same kind, can close, does
   not read as a possessive itself, and comes before any mark that could open a quotation of
   that kind: "She said 'the refugees' rights matter' yesterday" quotes "the refugees' rights
   matter"; "the 'experts' views differ" and "the 'experts' say it is 'safe'" quote "experts".
   When the quotation's own closing mark reads as a possessive too ("…rights matters'
   yesterday"), the first one closes it.

Decisions:

- The proposal is the quoted words *without* their marks ("gross human rights violations"),
  less a trailing comma, semicolon or colon (in American style the sentence's comma goes inside
  the marks; a final full stop is kept: it may end the quoted sentence). The marks are kept
  when the quotation is a single word (a scare quote such as "“safe”": the bare word is too
  common to anchor, and it is the marks that make it a quotation) or when the bare words occur
  earlier in the statement, and only when the marks are characters of the file, not markup.
- Only the outermost quotation is proposed: an inner one is part of it and is checked with it.
  Figures and dates inside a quotation are not proposed either: the quotation checks them word
  for word (a changed digit is drift).
- An opening double mark (``"``, ``“``, ``„``, ``«``) that nothing closes before the end of its
  paragraph is listed with a problem, from the mark to the end of its sentence, unless it is
  within one listed so already (the outermost again: proposals never nest, so that a long
  sentence of stray marks does not make proposals of quadratic total length); unmatched single
  marks are left alone, since most of them are apostrophes ("'90s", "’tis").
- Two quote-like claims without marks: a link's anchor text right after "so-called" (also
  "sogenannte", "soi-disant"): the writer is naming someone else's term, whose extent the link
  marks ("so-called [return centers](#)"); and the content of a norm, the clause after
  "guarantees that", "stipulates that", "provides that" (and their German and French
  equivalents): it states what a text says and is checked against that text's words.

**Figures** come from :func:`~claimcheck._numbers.find_figures` (digits in any convention,
number words, scale words, hedges). The proposal runs from the hedge ("around", "rund") to the
end of the words that say what is counted: up to four words after the number, stopping at
punctuation, at a function word ("in", "who", "of"), before a verb it is the subject of ("500
died") and after the head noun (a plural or a capitalised word): "around 189 Syrians",
"Approximately 500 other Syrians", "100,000 Syrians", "26 states", "nine civil society
organizations", "ten-year anniversary", "rund 500 Syrer". A ratio or a range ("3 in 4
returnees", "10-12 people") is one proposal, valued at its first number as the claims loader
reads such a text. Not proposed: numbers in dates; section, article and other reference
numbers ("section 7.3", "Article 33", "§ 7", "Nr. 5", and numbers listed after them); footnote
markers (superscripts, ``[1]``, ``<sup>``); list numbering; numbers in URLs, code and markup;
times ("10:30", "3pm"); telephone numbers; numbers glued to a word ("COVID-19").
Decisions: **ordinals** ("the second
major project", "26th") are not figures (they rank, they do not count; ``find_figures`` skips
them too); **vague quantities** ("hundreds of thousands", "millions", "dozens") are not
proposed: they have no value to check, and the claims loader refuses a figure with no number.
A four-digit number that no date cue makes a year ("the 2019 decision", "2019 people") is
listed as a date with a problem: a year or a count, the author decides.

**Dates** come from :func:`~claimcheck._dates.find_dates`: absolute ("March 15, 2021", "October
2017", "in 1951" as "1951"), qualified ("since 2019", "seit 2019") and relative ("this month",
"Last month", "diesen Monat"). A relative date, or one without a year, is resolved against
``reference_date`` (the statement's publication date); without it, it is listed with a problem
and no value. Text shaped like a date that is none ("31 February 2021") is listed with a
problem. "Recently" and other expressions ``find_dates`` does not resolve are not proposed.

**Markdown** is read as CommonMark where it decides what is prose: markdown-it-py parses the
block structure, and the lines of indented and fenced code blocks (in any container) and of
link reference definitions are no prose. A definition cannot interrupt a paragraph: a
``[ref]: url`` line right after a paragraph's text is text. The reader then reads the other
blocks line by line (headings, lists, block quotes, GFM tables, footnotes) and the inline
content itself, which keeps every offset. Links are found as CommonMark finds them: a ``]``
closes the last open ``[``, code spans, autolinks and HTML bind more tightly than brackets,
and links do not nest: in ``[a [b](u) c](v)`` only "b" is a link (``(v)`` is then prose, so
``v`` is a link only as a bare URL, as GFM reads it).

**Links**: Markdown inline links ``[text](url "title")``, reference links ``[text][ref]``,
``[text][]`` and ``[ref]`` with their ``[ref]: url`` definitions, autolinks ``<https://…>``,
inline ``<a href>``; HTML ``<a href>``; bare ``http(s)://`` URLs in any syntax. A link is a
source of every claim of its sentence (a link just after a sentence's end, a bare URL or a
superscript citation, belongs to that sentence). Placeholder links (``#``, empty,
``javascript:``) and links that are not absolute http(s) URLs are kept as sources, with their
``problem``: a citation that leads nowhere is a finding. Images are not links.

**Sentences** end at ``.``, ``!``, ``?`` or ``…`` (after any closing marks and footnote
markers) followed by a space, unless the punctuation closes an abbreviation or an initial
("Mr.", "e.g.", "U.S."), follows a day number, or is followed by a lowercase word or a digit
(the rules of :mod:`claimcheck._match`); never inside a quotation; and at every paragraph or
block boundary. A single line break does not end a sentence.

**Anchoring.** A claims file locates a claim by the first occurrence of its text in the
statement. So a figure's or date's text that occurs earlier is widened a word at a time (to the
left, then to the right, across spaces and commas but not line breaks, within its sentence, at
most eight words of at most 200 characters each) until it is unique: the second "ten years"
becomes "over the past ten years". When no wording of its sentence is unique (a repeated
sentence), it stays as short as it was, and ``problem`` says so.

**Time** is linear in the statement's length: where a text first occurs is looked up in an
index of the statement's words, quotation marks pair up without scanning the stack, and no
search runs from each candidate to the end of the statement. The claims of one sentence share
its links, so a claims file lists each link once per claim of its sentence: only a single
sentence with many links and many claims makes a file larger than linear.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

import attrs
from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference

from ..documents import SYNTAXES
from ..language import (
    HEDGE_WORDS,
    MONTH_WORDS,
    NUMBER_PAIR,
    STOPWORDS,
    Figure,
    ends_sentence,
    find_dates,
    find_figures,
)
from ..model import ClaimKind

__all__ = ["Extraction", "Link", "Proposal", "extract"]

"""The statement syntaxes :func:`extract` reads."""


@attrs.frozen
class Link:
    """A link of the statement.

    ``url`` is as written (it may be ``#``, empty or ``javascript:…``), ``text`` the anchor text
    (for an autolink or a bare URL, the URL). ``start``/``end`` span the whole link markup in
    the input, ``line``/``column`` (1-based) locate ``start``. ``problem`` says why the link is
    not a usable source ("placeholder link ('#')", "empty link", "javascript: link", …), else
    None.
    """

    url: str
    text: str
    start: int
    end: int
    line: int
    column: int
    problem: str | None = None


@attrs.frozen
class Proposal:
    """One proposed claim.

    - ``text`` is exactly ``input[start:end]``: the quoted words, the figure with its hedge and
      the words that make it checkable, or the date expression.
    - ``line``/``column`` (1-based) locate ``start`` in the input.
    - ``value``: for a figure the number as a plain decimal string ("189", "100000", "0.5");
      for a date its ISO value ("2017", "2017-10", "2021-03-15"); None for a quote, and when
      the value could not be read.
    - ``problem``: why the value could not be read (then ``value`` is None), why the proposal
      is doubtful (an unclosed quotation), or that its text in the file holds markup; else None.
    - ``sources``: the links of the same sentence, usable or not.
    - ``sentence``: the offsets of that sentence in the input.
    """

    kind: ClaimKind
    text: str
    start: int
    end: int
    line: int
    column: int
    value: str | None = None
    problem: str | None = None
    sources: tuple[Link, ...] = ()
    sentence: tuple[int, int] = (0, 0)


@attrs.frozen
class Extraction:
    """What :func:`extract` found in one statement: the proposals and the links, in text
    order."""

    text: str
    syntax: str
    proposals: tuple[Proposal, ...]
    links: tuple[Link, ...]

    # Computed once, on first use (the record stays frozen): callers ask for them in loops.
    @functools.cached_property
    def unlinked_links(self) -> tuple[Link, ...]:
        """The links with no proposed claim in their sentence."""
        # The claims of a sentence share its links (one tuple): each tuple is read once.
        shared = {id(proposal.sources): proposal.sources for proposal in self.proposals}
        cited = {link for sources in shared.values() for link in sources}
        return tuple(link for link in self.links if link not in cited)

    @functools.cached_property
    def unsourced(self) -> tuple[Proposal, ...]:
        """The proposals with no usable (absolute http or https) link in their sentence."""
        usable: dict[int, bool] = {}
        for proposal in self.proposals:
            if id(proposal.sources) not in usable:
                usable[id(proposal.sources)] = any(
                    link.problem is None for link in proposal.sources
                )
        return tuple(proposal for proposal in self.proposals if not usable[id(proposal.sources)])


# --------------------------------------------------------------------------------------------
# The prose view


@attrs.frozen
class _RawLink:
    """A link as found in the input: its span, destination and the span of its anchor text
    (None for an autolink or a bare URL, whose text is the URL)."""

    start: int
    end: int
    url: str
    text_start: int | None = None
    text_end: int | None = None


@attrs.frozen
class _View:
    """The prose of a statement, with the input span of each of its characters.

    ``starts[i]``/``ends[i]`` are the input span character ``i`` of ``plain`` comes from: one
    character for text kept as written, the whole markup for a decoded reference or a block
    boundary. ``starts`` never decreases.
    """

    raw: str
    plain: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input span of ``plain[start:end]`` (non-empty)."""
        return self.starts[start], self.ends[end - 1]

    def at(self, offset: int) -> int:
        """The prose position of input ``offset``: its first character at or after it."""
        return bisect.bisect_left(self.starts, offset)

    def verbatim(self, start: int, end: int) -> bool:
        """Whether ``plain[start:end]`` is written as such in the input, without markup (up to
        whitespace: an HTML line break reads as a space)."""
        first, last = self.span(start, end)
        return " ".join(self.raw[first:last].split()) == " ".join(self.plain[start:end].split())


def _build_view(raw: str, ops: Iterable[tuple[int, int, str]]) -> _View:
    """The prose view of ``raw`` with each ``(start, end, replacement)`` applied; an operation
    overlapping an earlier one is dropped (markup inside a code span or a masked link)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0

    def keep(end: int) -> None:
        chars.append(raw[cursor:end])
        starts.extend(range(cursor, end))
        ends.extend(range(cursor + 1, end + 1))

    for start, end, replacement in sorted(ops, key=lambda op: (op[0], op[1])):
        if start < cursor:
            continue
        keep(start)
        chars.append(replacement)
        starts.extend([start] * len(replacement))
        ends.extend([end] * len(replacement))
        cursor = end
    keep(len(raw))
    return _View(raw, "".join(chars), starts, ends)


_BLOCK_TAGS: Final = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p "
    "section summary table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is not prose: dropped with their tags.
_SKIPPED_TAGS: Final = frozenset(
    "script style template noscript head title textarea code pre kbd samp svg math".split()
)
_TO_END_OF_FILE: Final = frozenset({"script", "style"})  # as browsers read an unclosed one
_TAG: Final = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,63})((?:[^>\"']|\"[^\"]{0,4000}\"|'[^']{0,4000}'){0,400})>"
)
_COMMENT: Final = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[!?][^>]{0,4000}>", re.S
)
_HREF: Final = re.compile(
    r"(?:^|\s)href\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))", re.IGNORECASE
)
_ENTITY: Final = re.compile(
    r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
)
_BARE_URL: Final = re.compile(r"(?<![\w/@.:-])https?://[^\s<>\"'`\]\[{}|\\^]+", re.IGNORECASE)
_URL_TRAILING: Final = ".,;:!?'\"*_~"
_AUTOLINK: Final = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


def _bare_url_end(raw: str, start: int, end: int) -> int:
    """Where a bare URL starting at ``start`` and running to at most ``end`` ends: trailing
    punctuation and an unbalanced closing parenthesis belong to the sentence (as in GFM)."""
    opened, closed = raw.count("(", start, end), raw.count(")", start, end)
    while end > start and (
        raw[end - 1] in _URL_TRAILING or (raw[end - 1] == ")" and opened < closed)
    ):
        closed -= raw[end - 1] == ")"
        end -= 1
    return end


@functools.cache
def _end_tag_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


@attrs.define
class _Scanner:
    """Reads markup into operations on the prose view (``(start, end, replacement)``) and
    links. Shared by the HTML reader and the Markdown reader (for inline HTML)."""

    raw: str
    ops: list[tuple[int, int, str]] = attrs.Factory(list)
    links: list[_RawLink] = attrs.Factory(list)
    open_anchors: list[tuple[int, int, str]] = attrs.Factory(list)  # start, text start, url
    # For each element name, the last search for its end tag: (from, found span or None).
    end_tags: dict[str, tuple[int, tuple[int, int] | None]] = attrs.Factory(dict)

    def end_tag(self, name: str, start: int) -> tuple[int, int] | None:
        """The span of the first ``</name>`` at or after ``start``. The last answer for each
        name is kept: it answers any later search starting before what it found (or, when it
        found nothing, any later search), so that a thousand unclosed ``<sup>`` do not each
        search the rest of the statement."""
        known = self.end_tags.get(name)
        if known is not None and known[0] <= start:
            found = known[1]
            if found is None or start <= found[0]:
                return found
        match = _end_tag_pattern(name).search(self.raw, start)
        span = None if match is None else match.span()
        self.end_tags[name] = (start, span)
        return span

    def drop(self, start: int, end: int, replacement: str = "") -> None:
        self.ops.append((start, end, replacement))

    def entity(self, start: int) -> int | None:
        """Decode the character reference at ``start``; return its end, or None if it is
        none."""
        match = _ENTITY.match(self.raw, start)
        if match is None:
            return None
        decoded = html.unescape(match.group())
        if decoded == match.group():
            return None
        self.drop(start, match.end(), decoded)
        return match.end()

    def bare_urls(self, start: int, end: int) -> None:
        """Bare http(s) URLs written in prose between ``start`` and ``end``: links, left out of
        the prose (their digits are not figures)."""
        for match in _BARE_URL.finditer(self.raw, start, end):
            stop = _bare_url_end(self.raw, match.start(), match.end())
            if stop - match.start() > len("https://"):
                self.links.append(_RawLink(match.start(), stop, self.raw[match.start() : stop]))
                self.drop(match.start(), stop)

    def markup(self, start: int) -> int | None:
        """Read the tag, comment or autolink at ``start`` (a ``<``); return its end, or None if
        there is none."""
        raw = self.raw
        autolink = _AUTOLINK.match(raw, start)
        if autolink is not None:
            self.links.append(_RawLink(start, autolink.end(), autolink.group(1)))
            self.drop(start, autolink.end())
            return autolink.end()
        comment = _COMMENT.match(raw, start)
        if comment is not None:
            self.drop(start, comment.end())
            return comment.end()
        tag = _TAG.match(raw, start)
        if tag is None:
            return None
        closing, name, attributes = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        end = tag.end()
        if not closing and name in _SKIPPED_TAGS and not attributes.rstrip().endswith("/"):
            close = self.end_tag(name, end)
            if close is not None:
                end = close[1]
            elif name in _TO_END_OF_FILE:
                end = len(raw)
            self.drop(start, end, "\n\n" if name in ("pre", "head") else "")
            return end
        if name == "a":
            # An <a> ends at its </a>, or where the next one starts (links do not nest).
            self.close_anchor(end if closing else start, start)
            if not closing:
                found = _HREF.search(attributes)
                if found is not None:
                    url = html.unescape(next(g for g in found.groups() if g is not None))
                    self.open_anchors.append((start, end, url))
        elif name == "sup" and not closing:
            # Footnote markers, and the citation links often put in them: the marker is not
            # prose, a link in it is a source of the sentence it ends.
            close = self.end_tag("sup", end)
            if close is not None:
                self.drop(start, end)
                self.superscript(end, close[0])
                self.drop(*close)
                return close[1]
        if name == "q":
            self.drop(start, end, "”" if closing else "“")
        elif name == "br":
            self.drop(start, end, "\n")
        else:
            self.drop(start, end, "\n\n" if name in _BLOCK_TAGS else "")
        return end

    def markup_end(self, start: int) -> int | None:
        """Where :meth:`markup` would stop reading at ``start`` (the end of the tag, comment or
        autolink, or of the element it skips), reading nothing; None if there is no markup."""
        raw = self.raw
        match = _AUTOLINK.match(raw, start) or _COMMENT.match(raw, start)
        if match is not None:
            return match.end()
        tag = _TAG.match(raw, start)
        if tag is None:
            return None
        closing, name, attributes = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if not closing and name in _SKIPPED_TAGS and not attributes.rstrip().endswith("/"):
            close = self.end_tag(name, tag.end())
            if close is not None:
                return close[1]
            return len(raw) if name in _TO_END_OF_FILE else tag.end()
        if name == "sup" and not closing:
            close = self.end_tag("sup", tag.end())
            if close is not None:
                return close[1]
        return tag.end()

    def superscript(self, start: int, end: int) -> None:
        """Drop the content of a superscript, keeping the links in it."""
        position = start
        while position < end:
            if self.raw[position] == "<":
                stop = self.markup(position)
                if stop is not None:
                    position = stop
                    continue
            following = self.raw.find("<", position + 1, end)
            stop = end if following < 0 else following
            self.drop(position, stop)
            position = stop

    def close_anchor(self, end: int, text_end: int) -> None:
        if self.open_anchors:
            start, text_start, url = self.open_anchors.pop()
            self.links.append(_RawLink(start, end, url, text_start, text_end))

    def finish(self) -> None:
        """Close the ``<a>`` elements left open (at their start tag's end: their extent is
        unknown)."""
        while self.open_anchors:
            start, text_start, url = self.open_anchors.pop()
            self.links.append(_RawLink(start, text_start, url, text_start, text_start))


def _read_html(scanner: _Scanner, begin: int) -> None:
    """Read an HTML statement from ``begin``: text content only, whitespace runs with line
    breaks read as one space (HTML breaks paragraphs by its tags, not its lines)."""
    raw = scanner.raw
    position = text_start = begin
    while True:
        following = raw.find("<", position)
        if following < 0:
            break
        stop = _html_markup(scanner, following, text_start)
        if stop is None:
            position = following + 1
        else:
            position = text_start = stop
    _html_text(scanner, text_start, len(raw))


_LINE_SPACE: Final = re.compile(r"[ \t\f\v]*[\r\n]\s*")


def _html_text(scanner: _Scanner, start: int, end: int) -> None:
    """Text between two tags: its line breaks, character references and bare URLs."""
    for match in _LINE_SPACE.finditer(scanner.raw, start, end):
        scanner.drop(match.start(), match.end(), " ")
    position = scanner.raw.find("&", start, end)
    while position >= 0:
        stop = scanner.entity(position)
        position = scanner.raw.find("&", stop or position + 1, end)
    if not scanner.open_anchors:
        scanner.bare_urls(start, end)


def _html_markup(scanner: _Scanner, position: int, text_start: int) -> int | None:
    """Read the markup at ``position`` (a ``<``), after the text since ``text_start``."""
    raw = scanner.raw
    if not (_TAG.match(raw, position) or _COMMENT.match(raw, position)):
        return None
    _html_text(scanner, text_start, position)
    return scanner.markup(position)


# --- Markdown -------------------------------------------------------------------------------

_FOOTNOTE_DEFINITION: Final = re.compile(r"[ ]{0,3}\[\^[^\]\s]{1,100}\]:[ \t]*")
_FOOTNOTE_REFERENCE: Final = re.compile(r"\[\^[^\]\s]{1,100}\]")
_HEADING: Final = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|$)")
_HEADING_CLOSE: Final = re.compile(r"[ \t]+#+[ \t]*$")
_THEMATIC_BREAK: Final = re.compile(
    r"[ ]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$"
)
_BLOCK_QUOTE: Final = re.compile(r"[ ]{0,3}>[ \t]?(?:[ ]{0,3}>[ \t]?)*")
_LIST_MARKER: Final = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_TABLE_DELIMITER: Final = re.compile(
    r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
)
_FRONT_MATTER: Final = re.compile(
    r"(---|\+\+\+)[ \t]*\r?\n(?:.*?\r?\n)??(?:\1|\.\.\.)[ \t]*(?:\r?\n|$)", re.S
)
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_BACKTICKS: Final = re.compile(r"`+")
_ANGLE_DESTINATION: Final = re.compile(r"<((?:[^<>\n\\]|\\.)*)>")
_ASCII_PUNCTUATION: Final = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ESCAPE: Final = re.compile(r"\\([!-/:-@\[-`{-~])")
_MAX_LABEL: Final = 999  # CommonMark: a link label has at most 999 characters
_MAX_PARENTHESES: Final = 32  # in a link destination, as markdown-it-py reads one


def _decode_destination(value: str) -> str:
    return html.unescape(_ESCAPE.sub(r"\1", value))


class _BlockParser(MarkdownIt):
    """markdown-it-py's CommonMark parser, for the block structure: link destinations as
    written (unescaped, not percent-encoded), and a ``javascript:`` one is still one (a
    definition of a placeholder link is a finding)."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it-py's name)
        return True

    def normalizeLink(self, url: str) -> str:  # noqa: N802
        return url


@functools.cache
def _block_parser() -> MarkdownIt:
    # Blocks only: the inline content is read by _Markdown, which keeps offsets.
    return _BlockParser("commonmark").enable("table").disable("inline")


@attrs.frozen
class _Blocks:
    """What CommonMark (markdown-it-py) makes of a Markdown statement's blocks, as the line
    reader needs it: the lines that are no prose (indented and fenced code, link reference
    definitions), each with whether it is the first of its block, and the definitions by
    normalised label."""

    skipped: dict[int, bool]
    definitions: dict[str, str]


def _markdown_blocks(raw: str, begin: int, front_end: int) -> _Blocks:
    """The code blocks and link reference definitions of ``raw[begin:]`` (front matter, up to
    ``front_end``, blanked out with its lines kept, so that line numbers match)."""
    body = raw[begin:]
    if front_end > begin:
        body = "\n" * len(_LINE_BREAK.findall(raw, begin, front_end)) + raw[front_end:]
    env: dict[str, Any] = {}
    skipped: dict[int, bool] = {}
    for token in _block_parser().parse(body, env):
        if token.type in ("code_block", "fence") and token.map is not None:
            first, last = token.map
            skipped.update((number, number == first) for number in range(first, last))
    definitions: dict[str, str] = {}
    # A label defined again is still a definition (the first one counts): no prose either.
    duplicates = [(found["label"], found) for found in env.get("duplicate_refs", ())]
    for label, reference in [*env.get("references", {}).items(), *duplicates]:
        if label.startswith("^"):
            continue  # a footnote ("[^1]: …"), read as such
        definitions.setdefault(label, reference["href"])
        first, last = reference["map"]
        skipped.update((number, number == first) for number in range(first, last))
    return _Blocks(skipped, definitions)


@attrs.define
class _CodeSpans:
    """The backtick runs of an inline range, by length: the run that closes a code span (the
    next run of as many backticks) is found by bisection, not by a search of the rest of the
    range from each backtick."""

    runs: dict[int, list[int]]

    @classmethod
    def of(cls, raw: str, start: int, end: int) -> _CodeSpans:
        runs: dict[int, list[int]] = {}
        for match in _BACKTICKS.finditer(raw, start, end):
            runs.setdefault(match.end() - match.start(), []).append(match.start())
        return cls(runs)

    def closing(self, start: int, run: int, end: int) -> int | None:
        """The end of the code span opened by the backticks from ``start`` to ``run``, or None
        when no run of as many closes it before ``end``."""
        starts = self.runs.get(run - start, [])
        index = bisect.bisect_left(starts, run)
        if index == len(starts) or starts[index] + run - start > end:
            return None
        return starts[index] + run - start


def _run_end(raw: str, position: int, end: int) -> int:
    while position < end and raw[position] == "`":
        position += 1
    return position


# The links and images of an inline range, by the position of their "[": (link, image).
_Links = dict[int, tuple[_RawLink, bool]]


@attrs.define
class _Markdown:
    """Reads a Markdown statement: blocks line by line, then each paragraph's inline content.

    The block structure follows CommonMark where it decides what is prose: markdown-it-py finds
    the code blocks (indented or fenced, in any container) and the link reference definitions
    (which cannot interrupt a paragraph); the line reader skips their lines and reads the rest
    (headings, lists, block quotes, tables, footnotes), keeping every offset.
    """

    raw: str
    scanner: _Scanner
    begin: int = 0  # after a byte order mark
    definitions: dict[str, str] = attrs.Factory(dict)
    # The last search for each title's closing character before an end: (from, found or -1).
    searches: dict[tuple[str, int], tuple[int, int]] = attrs.Factory(dict)

    def read(self) -> None:
        raw = self.raw
        lines = _lines(raw, self.begin)
        front = _FRONT_MATTER.match(raw, self.begin)
        skip_to = front.end() if front is not None else self.begin
        if front is not None:
            self.scanner.drop(self.begin, front.end(), "\n")
        blocks = _markdown_blocks(raw, self.begin, skip_to)
        self.definitions = blocks.definitions
        paragraph: tuple[int, int] | None = None
        in_table = False

        def close() -> None:
            nonlocal paragraph
            if paragraph is not None:
                self.inline(*paragraph)
                paragraph = None

        for number, (start, end) in enumerate(lines):
            if start < skip_to:
                continue
            first_of_block = blocks.skipped.get(number)
            if first_of_block is not None:  # code, or a link reference definition: no prose
                close()
                in_table = False
                self.scanner.drop(start, end, "\n" if first_of_block else "")
                continue
            quote = _BLOCK_QUOTE.match(raw, start, end)
            position = quote.end() if quote is not None else start
            if position > start:
                self.scanner.drop(start, position)
            rest = raw[position:end]
            if not rest.strip():
                close()
                in_table = False
                continue
            if _THEMATIC_BREAK.match(raw, position, end):
                close()
                self.scanner.drop(position, end, "\n")
                continue
            heading = _HEADING.match(raw, position, end)
            if heading is not None:
                close()
                stop = end
                trailing = _HEADING_CLOSE.search(raw, heading.end(), end)
                if trailing is not None:
                    stop = trailing.start()
                    self.scanner.drop(trailing.start(), end)
                self.scanner.drop(position, heading.end(), "\n")
                self.inline(heading.end(), stop)
                self.scanner.drop(end, end, "\n")
                continue
            following = lines[number + 1] if number + 1 < len(lines) else None
            if "|" in rest and (
                in_table or (following is not None and _TABLE_DELIMITER.match(raw, *following))
            ):
                close()
                if _TABLE_DELIMITER.match(raw, position, end):
                    self.scanner.drop(position, end, "\n")
                    continue
                in_table = True
                self.table_row(position, end)
                continue
            footnote = _FOOTNOTE_DEFINITION.match(raw, position, end)
            item = _LIST_MARKER.match(raw, position, end)
            marker = footnote or item
            if marker is not None and marker.end() > position:
                close()
                self.scanner.drop(position, marker.end(), "\n")
                paragraph = (marker.end(), end)
                continue
            paragraph = (paragraph[0], end) if paragraph is not None else (position, end)
        close()

    def table_row(self, start: int, end: int) -> None:
        """A table row: each cell is a block of its own."""
        cell = start
        for position in range(start, end + 1):
            if position == end or (self.raw[position] == "|" and self.raw[position - 1] != "\\"):
                if position > cell:
                    self.inline(cell, position)
                if position < end:
                    self.scanner.drop(position, position + 1, "\n\n")
                cell = position + 1

    def inline(self, start: int, end: int) -> None:
        """Read the inline content between ``start`` and ``end`` (a paragraph, a heading, a
        table cell): first its code spans and links, then its content."""
        codes = _CodeSpans.of(self.raw, start, end)
        self.read_inline(start, end, codes, self.links(start, end, codes), in_link=False)

    def read_inline(
        self, start: int, end: int, codes: _CodeSpans, links: _Links, *, in_link: bool
    ) -> None:
        """Read the inline content between ``start`` and ``end``: code spans, links and images
        (found by :meth:`links`), inline HTML, footnote references, escapes, emphasis markers
        and bare URLs."""
        raw = self.raw
        scanner = self.scanner
        position = start
        text_start = start
        while position < end:
            char = raw[position]
            if char == "\\" and position + 1 < end and raw[position + 1] in _ASCII_PUNCTUATION:
                scanner.drop(position, position + 2, raw[position + 1])
                position += 2
            elif char == "`":
                run = _run_end(raw, position, end)
                stop = codes.closing(position, run, end)
                if stop is None:
                    position = run
                else:
                    self.flush_text(text_start, position, in_link)
                    scanner.drop(position, stop)
                    position = text_start = stop
            elif char == "!" and raw.startswith("[", position + 1):
                found = links.get(position + 1)
                if found is None or not found[1]:
                    position += 1
                else:
                    self.flush_text(text_start, position, in_link)
                    scanner.drop(position, found[0].end)  # an image: its alt text is no prose
                    position = text_start = found[0].end
            elif char == "[":
                footnote = _FOOTNOTE_REFERENCE.match(raw, position, end)
                found = None if in_link or footnote else links.get(position)
                if footnote is not None:
                    scanner.drop(position, footnote.end())
                    position = footnote.end()
                elif found is not None and not found[1]:
                    link = found[0]
                    self.flush_text(text_start, position, in_link)
                    assert link.text_start is not None
                    assert link.text_end is not None
                    scanner.drop(position, link.text_start)
                    self.read_inline(link.text_start, link.text_end, codes, links, in_link=True)
                    scanner.drop(link.text_end, link.end)
                    scanner.links.append(link)
                    position = text_start = link.end
                else:
                    position += 1
            elif char == "<":
                if _AUTOLINK.match(raw, position) or _TAG.match(raw, position):
                    self.flush_text(text_start, position, in_link)
                    stop = scanner.markup(position)
                    assert stop is not None
                    position = text_start = stop
                else:
                    stop = scanner.markup(position)
                    position = stop if stop is not None else position + 1
            elif char == "&":
                stop = scanner.entity(position)
                position = stop if stop is not None else position + 1
            elif char in "*_~":
                position = self.emphasis(position, end)
            else:
                position += 1
        self.flush_text(text_start, end, in_link)

    def flush_text(self, start: int, end: int, in_link: bool) -> None:
        if not in_link and not self.scanner.open_anchors:
            self.scanner.bare_urls(start, end)

    def links(self, start: int, end: int, codes: _CodeSpans) -> _Links:
        """The links and images between ``start`` and ``end``, found as CommonMark finds them,
        in one pass: each ``]`` closes the last ``[`` (or ``![``) still open, and makes a link
        if a destination, a reference or a defined label follows. Links do not nest: once a
        link is found, every ``[`` before it stops opening one ("[a [b](u) c](v)" links "b"
        only; "(v)" is then prose, a bare URL). Code spans, autolinks and HTML bind more
        tightly than the brackets, and escaped brackets are none."""
        raw = self.raw
        found: _Links = {}
        openers: list[tuple[int, bool]] = []  # the position of each "[", and whether an image's
        inactive = 0  # the "[" of openers[:inactive] open no link any more (images still do)
        escaped = -1  # the end of the last escape
        position = start
        while position < end:
            char = raw[position]
            if char == "\\" and position + 1 < end and raw[position + 1] in _ASCII_PUNCTUATION:
                position = escaped = position + 2
                continue
            if char == "`":
                run = _run_end(raw, position, end)
                stop = codes.closing(position, run, end)
                position = run if stop is None else stop
                continue
            if char == "<":
                stop = self.scanner.markup_end(position)
                if stop is not None:
                    position = stop
                    continue
            elif char == "[":
                footnote = _FOOTNOTE_REFERENCE.match(raw, position, end)
                if footnote is not None:
                    position = footnote.end()
                    continue
                image = position > start and raw[position - 1] == "!" and escaped != position
                openers.append((position, image))
            elif char == "]" and openers:
                opener, image = openers.pop()
                active = image or len(openers) >= inactive
                inactive = min(inactive, len(openers))
                link = self.link(opener, position, end) if active else None
                if link is not None:
                    found[opener] = (link, image)
                    if not image:
                        inactive = len(openers)
                    position = link.end
                    continue
            position += 1
        return found

    def emphasis(self, start: int, end: int) -> int:
        """Drop a run of emphasis markers that opens or closes emphasis (flanks a word);
        keep "5 * 3", "snake_case" and the like."""
        raw = self.raw
        char = raw[start]
        stop = start
        while stop < end and raw[stop] == char:
            stop += 1
        before = raw[start - 1] if start > 0 else " "
        after = raw[stop] if stop < len(raw) else " "
        opens = not after.isspace() and (before.isspace() or not before.isalnum() or char == "*")
        closes = not before.isspace() and (after.isspace() or not after.isalnum() or char == "*")
        # "_" never emphasises inside a word (snake_case); "~" only doubled (strikethrough).
        inside_word = char == "_" and before.isalnum() and after.isalnum()
        marker = stop - start <= 3 and (char != "~" or stop - start == 2)
        if (opens or closes) and marker and not inside_word:
            self.scanner.drop(start, stop)
        return stop

    def link(self, start: int, close: int, end: int) -> _RawLink | None:
        """The link whose text runs from the ``[`` at ``start`` to the ``]`` at ``close``, if
        a destination, a reference label or a defined label (a shortcut) makes it one."""
        raw = self.raw
        after = close + 1
        if raw.startswith("(", after):
            tail = self.inline_destination(after + 1, end)
            if tail is not None:
                return _RawLink(start, tail[1], tail[0], start + 1, close)
        text_label = raw[start + 1 : close] if close - start - 1 <= _MAX_LABEL else None
        if raw.startswith("[", after):
            label_end = raw.find("]", after + 1, min(end, after + 1000))
            if label_end >= 0 and "[" not in raw[after + 1 : label_end]:
                label = raw[after + 1 : label_end] or text_label
                defined = None if label is None else self.definition(label)
                if defined is not None:
                    return _RawLink(start, label_end + 1, defined, start + 1, close)
        shortcut = None if text_label is None else self.definition(text_label)
        if shortcut is not None:
            return _RawLink(start, close + 1, shortcut, start + 1, close)
        return None

    def definition(self, label: str) -> str | None:
        return self.definitions.get(normalizeReference(label)) if label.strip() else None

    def inline_destination(self, position: int, end: int) -> tuple[str, int] | None:
        """The destination of an inline link, ``(url "title")``, starting after its ``(``: the
        decoded URL and the position after the ``)``."""
        raw = self.raw
        while position < end and raw[position] in " \t\n":
            position += 1
        if position < end and raw[position] == "<":
            angle = _ANGLE_DESTINATION.match(raw, position, end)
            if angle is None:
                return None
            url = angle.group(1)
            position = angle.end()
        else:
            begin = position
            depth = 0
            while position < end:
                char = raw[position]
                if char == "\\" and position + 1 < end:
                    position += 2
                    continue
                if char.isspace() or ord(char) < 32:
                    break
                if char == "(":
                    depth += 1
                    if depth > _MAX_PARENTHESES:
                        return None
                elif char == ")":
                    if depth == 0:
                        break
                    depth -= 1
                position += 1
            if depth:
                return None
            url = raw[begin:position]
        while position < end and raw[position] in " \t\n":
            position += 1
        if position < end and raw[position] in "\"'(":
            stop = self.find(")" if raw[position] == "(" else raw[position], position + 1, end)
            if stop < 0:
                return None
            position = stop + 1
            while position < end and raw[position] in " \t\n":
                position += 1
        if position >= end or raw[position] != ")":
            return None
        return _decode_destination(url), position + 1

    def find(self, char: str, start: int, end: int) -> int:
        """``raw.find(char, start, end)``, remembering the last answer for each character and
        end: a paragraph of a thousand unclosed titles is not searched a thousand times."""
        known = self.searches.get((char, end))
        if known is not None and known[0] <= start and (known[1] < 0 or start <= known[1]):
            return known[1]
        found = self.raw.find(char, start, end)
        self.searches[char, end] = (start, found)
        return found


def _lines(raw: str, begin: int = 0) -> list[tuple[int, int]]:
    """The lines of ``raw`` from ``begin`` as (start, end) without their line break."""
    lines = []
    start = begin
    for match in _LINE_BREAK.finditer(raw, begin):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(raw)))
    return lines


_BYTE_ORDER_MARK: Final = "\ufeff"


def _read(text: str, syntax: str) -> tuple[_View, list[_RawLink]]:
    """The prose view and links of a statement. A byte order mark at its start is nothing (it
    is left out of the prose, and offsets still count it)."""
    scanner = _Scanner(text)
    begin = 1 if text.startswith(_BYTE_ORDER_MARK) else 0
    if begin:
        scanner.drop(0, begin)
    if syntax == "markdown":
        _Markdown(text, scanner, begin).read()
    elif syntax == "html":
        _read_html(scanner, begin)
    else:
        scanner.bare_urls(begin, len(text))
    scanner.finish()
    return _build_view(text, scanner.ops), scanner.links


# --------------------------------------------------------------------------------------------
# Quotations

# Each opening mark, and the marks that close it.
_CLOSERS: Final[dict[str, str]] = {
    '"': '"',
    "“": "”",
    "„": "“”",
    "”": "”",
    "«": "»",
    "»": "«»",
    "‹": "›",
    "›": "‹›",
    "‘": "’",
    "‚": "‘’",
    "'": "'",
    "’": "’",
    "「": "」",
    "『": "』",
}
_MARKS: Final = frozenset("".join(_CLOSERS) + "".join(_CLOSERS.values()))
_SINGLE_MARKS: Final = frozenset("'‘’‚‹›")
_SPACED_MARKS: Final = frozenset("«»‹›")  # French typography puts a space inside them
_REPORTED_UNCLOSED: Final = frozenset('"“„«')
_OPEN_AFTER: Final = frozenset("([{—–-/")
_CLOSE_BEFORE: Final = frozenset(".,;:!?)]}…—–-/")
_MARK_OR_BREAK: Final = re.compile("\n[^\\S\n]*\n|[" + re.escape("".join(sorted(_MARKS))) + "]")
_TRAILING_PUNCTUATION: Final = ",;:"


_OPENERS_OF: Final[dict[str, tuple[str, ...]]] = {
    mark: tuple(opening for opening, closers in _CLOSERS.items() if mark in closers)
    for mark in _MARKS
}
# Single marks that begin an elided word are apostrophes: a decade or a year ("'90s", "’21"),
# "'tis", "'twas", "'em", "'til", and "'n'" (both marks: "rock 'n' roll").
_ELISION: Final = re.compile(
    r"(?<!\w)['’‘](?:\d\d(?:s)?|tis|twas|em|til|n(?P<closing>['’])?)(?!\w)", re.IGNORECASE
)
_POSSESSIVE_MARKS: Final = "'’"


def _possessive(plain: str, position: int) -> bool:
    """Whether the mark at ``position`` reads as a plural possessive: a letter, an "s", the
    mark, a space and a word ("the refugees' rights")."""
    return (
        position >= 2
        and plain[position - 1] in "sS"
        and plain[position - 2].isalpha()
        and position + 2 < len(plain)
        and plain[position + 1] != "\n"
        and plain[position + 1].isspace()
        and plain[position + 2].isalnum()
    )


# A mark of the prose: its position, the mark ("" for a paragraph break), and whether it can
# open and close a quotation where it is.
_MarkEvent = tuple[int, str, bool, bool]


def _quotations(plain: str, stops: Sequence[int] = ()) -> tuple[list[tuple[int, int]], list[int]]:
    """The quotation marks of the prose that pair up, as (opening, closing) positions, and the
    opening double marks that nothing closes in their paragraph. ``stops`` are where sentences
    may end (see :func:`_sentence_ends`): a possessive-looking mark defers to a later closing
    mark of its sentence only."""
    elided: set[int] = set()
    for match in _ELISION.finditer(plain):
        elided.add(match.start())
        if match.group("closing"):
            elided.add(match.start("closing"))
    events: list[_MarkEvent] = []
    for match in _MARK_OR_BREAK.finditer(plain):
        position = match.start()
        mark = match.group()
        if len(mark) > 1:
            events.append((position, "", False, False))
            continue
        before = plain[position - 1] if position > 0 else " "
        after = plain[position + 1] if position + 1 < len(plain) else " "
        if mark in _SINGLE_MARKS and ((before.isalnum() and after.isalnum()) or position in elided):
            continue  # an apostrophe: "don't", "Syria's", "the '90s"
        bounded_before = before.isspace() or before in _OPEN_AFTER or before in _MARKS
        bounded_after = after.isspace() or after in _CLOSE_BEFORE or after in _MARKS
        if mark in _SPACED_MARKS:
            can_open, can_close = bounded_before, bounded_after
        else:
            can_open = bounded_before and not after.isspace()
            can_close = not before.isspace() and bounded_after
        events.append((position, mark, can_open, can_close))
    deferred = _deferred_closers(plain, events, stops)

    pairs: list[tuple[int, int]] = []
    unclosed: list[int] = []
    stack: list[tuple[int, str]] = []
    # For each opening mark, the indexes in ``stack`` where it is: the opener a closing mark
    # pairs with is found without scanning the stack.
    at: dict[str, list[int]] = {}

    def end_paragraph() -> None:
        unclosed.extend(position for position, mark in stack if mark in _REPORTED_UNCLOSED)
        stack.clear()
        at.clear()

    for position, mark, can_open, can_close in events:
        if not mark:
            end_paragraph()
            continue
        if can_close:
            opener = max(
                (at[opening][-1] for opening in _OPENERS_OF[mark] if at.get(opening)),
                default=None,
            )
            if opener is not None:
                if position in deferred:
                    continue  # "the refugees' rights matter'": the later mark closes it
                pairs.append((stack[opener][0], position))
                del stack[opener:]
                for indexes in at.values():
                    while indexes and indexes[-1] >= opener:
                        indexes.pop()
                continue
        if can_open and mark in _CLOSERS:
            at.setdefault(mark, []).append(len(stack))
            stack.append((position, mark))
    end_paragraph()
    pairs.sort()
    outermost: list[tuple[int, int]] = []
    for pair in pairs:
        if not outermost or pair[0] > outermost[-1][1]:
            outermost.append(pair)
    return outermost, unclosed


def _deferred_closers(plain: str, events: Sequence[_MarkEvent], stops: Sequence[int]) -> set[int]:
    """The possessive-looking closing marks ("refugees' rights") followed, in their sentence
    and before any mark that could open a quotation they close, by a closing mark of the same
    kind that does not look possessive ("matter' yesterday"): that one closes the quotation.

    Read backwards, once: for each kind of mark, whether such a closing mark lies ahead.
    """
    deferred: set[int] = set()
    ahead = dict.fromkeys(_POSSESSIVE_MARKS, False)
    stop = len(stops) - 1
    for position, mark, can_open, can_close in reversed(events):
        while stop >= 0 and stops[stop] > position:
            ahead = dict.fromkeys(_POSSESSIVE_MARKS, False)  # another sentence
            stop -= 1
        if not mark:
            ahead = dict.fromkeys(_POSSESSIVE_MARKS, False)  # another paragraph
            continue
        if can_close and mark in _POSSESSIVE_MARKS and _possessive(plain, position):
            if ahead[mark]:
                deferred.add(position)
            continue  # it decides nothing for the marks before it
        for closing in _POSSESSIVE_MARKS:
            if can_close and mark == closing:
                ahead[closing] = True
            elif can_open and closing in _CLOSERS.get(mark, ""):
                ahead[closing] = False
    return deferred


# --------------------------------------------------------------------------------------------
# Sentences

_SENTENCE_END: Final = re.compile(
    r"[.!?…]+(?P<closers>[\"'”’»›)\]」』¹²³⁰⁴⁵⁶⁷⁸⁹*†‡]*)(?P<space>\s+)"
)
_PARAGRAPH_BREAK: Final = re.compile(r"\n[^\S\n]*\n\s*")


def _sentence_ends(plain: str) -> list[tuple[int, int]]:
    """Where sentences may end, as (end, start of what follows), before quotations are known:
    a sentence never ends inside one (:func:`_sentences`)."""
    return [
        (match.start("space"), match.end())
        for match in _SENTENCE_END.finditer(plain)
        if ends_sentence(plain, match.start("closers"), match.end())
    ]


def _sentences(
    plain: str, quotations: Sequence[tuple[int, int]], ends: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The sentences of the prose (see the module documentation), trimmed of whitespace;
    ``ends`` are where they may end (:func:`_sentence_ends`)."""
    cuts = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(plain)]
    opens = [start for start, _ in quotations]
    for end, following in ends:
        index = bisect.bisect_left(opens, end) - 1
        if index >= 0 and end <= quotations[index][1]:
            continue  # inside a quotation: "forget. I advise you"
        cuts.append((end, following))
    cuts.sort()
    sentences = []
    start = 0
    for end, following in [*cuts, (len(plain), len(plain))]:
        if end >= start:
            first, last = _strip(plain, start, end)
            if last > first:
                sentences.append((first, last))
        start = max(start, following)
    return sentences


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------------------------
# Figures

_REFERENCE_WORDS: Final = frozenset(
    # English
    "section sections article articles paragraph paragraphs chapter chapters clause clauses "
    "rule rules resolution resolutions protocol protocols annex annexes appendix appendices "
    "volume volumes page pages number numbers item items footnote footnotes note notes table "
    "tables figure figures"
    # German
    " abschnitt abschnitte artikel absatz absätze kapitel ziffer ziffern seite seiten "
    "paragraf paragrafen anhang anlage resolutionen"
    # French
    " alinéa alinéas chapitre chapitres paragraphe paragraphes annexe annexes résolution".split()
)
# Abbreviations that name a reference only with their full stop ("No. 5", "S. 12").
_REFERENCE_ABBREVIATIONS: Final = frozenset(
    "art arts para paras sec secs ch chap cl no nos nr p pp vol vols fig figs abs s ziff "
    "kap art".split()
)
_WORD_BEFORE: Final = re.compile(r"([^\W\d_]+)(\.?)[^\S\n]*$")
_REFERENCE_SIGN: Final = re.compile(r"(?:§§?|¶|#|n°|nº|No\.?)[^\S\n]*$", re.IGNORECASE)
_REFERENCE_LIST: Final = re.compile(
    r"[^\S\n]*(?:,|,?[^\S\n]*(?:and|or|to|through|und|oder|bis|et|ou|à)|[-–—])[^\S\n]*",
    re.IGNORECASE,
)
_TIME_AFTER: Final = re.compile(
    r"[^\S\n]?(?:[ap]\.?[^\S\n]?m\.?(?![^\W\d_])|uhr(?![^\W\d_]))|:\d", re.IGNORECASE
)
_PHONE: Final = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,5}(?!\w)"
)
_PHONE_CUE: Final = re.compile(
    r"(?:tel|phone|telephone|fax|call|mobile|telefon|téléphone|tél)\.?:?[^\S\n]*$", re.IGNORECASE
)
_LIST_NUMBER: Final = re.compile(r"^[^\S\n]*\d{1,3}[.)](?=[^\S\n])", re.MULTILINE)
_PERCENT: Final = re.compile(
    r"[^\S\n]?(?:[%٪％]|(?:per[^\S\n]?cent|percent|procent|prozent|pour[^\S\n]?cent|pct\.?)"
    r"(?![^\W\d_]))",
    re.IGNORECASE,
)
_COMPOUND: Final = re.compile(r"-[^\W\d_]+(?:-[^\W\d_]+)*")
_NEXT_WORD: Final = re.compile(r"[^\S\n]+(?:\n[^\S\n]*)?([^\W\d_][\w'’]*(?:-[\w'’]+)*)")
_CURRENCY: Final = frozenset("$€£¥₹₽")
_NOUN_PHRASE_WORDS: Final = frozenset({"other", "more", "such", "own", "same", "further"})
_STOPS: Final = (STOPWORDS | HEDGE_WORDS) - _NOUN_PHRASE_WORDS
_PLURAL_HEADS: Final = frozenset(
    "people children men women staff police personnel persons cattle".split()
)
_NOT_PLURAL: Final = frozenset(
    "this was has his its is as us thus plus less across always perhaps news series species "
    "whereas".split()
)
_MAX_NOUN_WORDS: Final = 4


def _is_head(word: str) -> bool:
    """Whether a word after a number ends what is counted: a capitalised word (a people, a
    German noun) or a plural."""
    lower = word.casefold()
    if word[0].isupper() or lower in _PLURAL_HEADS:
        return True
    return (
        len(lower) > 3
        and lower.endswith("s")
        and not lower.endswith(("ss", "ous", "is", "us"))
        and lower not in _NOT_PLURAL
    )


def _is_verb(word: str, following: re.Match[str] | None) -> bool:
    """Whether a word after a number is the verb it is the subject of ("500 more waited.",
    "189 died, …"): a past form that no noun follows ("500 displaced people" goes on)."""
    ends_phrase = following is None or following.group(1).casefold() in _STOPS
    return ends_phrase and word.islower() and len(word) > 3 and word.endswith("ed")


def _figure_extent(view: _View, figure: Figure, limit: int) -> tuple[int, int]:
    """The figure with its hedge (or currency sign) and the words after it that say what it
    counts, up to ``limit`` (the end of its sentence); only across text written as such."""
    plain = view.plain
    start = figure.hedge_start if figure.hedge_start is not None else figure.start
    if start == figure.start and start > 0 and plain[start - 1] in _CURRENCY:
        start -= 1
    end = figure.end
    percent = _PERCENT.match(plain, end, limit)
    if percent is not None:
        end = percent.end()
    compound = _COMPOUND.match(plain, end, limit)
    if compound is not None and view.verbatim(start, compound.end()):
        end = compound.end()
    words = 0
    while words < _MAX_NOUN_WORDS:
        match = _NEXT_WORD.match(plain, end, limit)
        if match is None or not view.verbatim(start, match.end()):
            break
        word = match.group(1)
        if word.casefold() in _STOPS:
            break
        following = _NEXT_WORD.match(plain, match.end(), limit)
        if _is_verb(word, following):
            break
        end = match.end()
        words += 1
        if _is_head(word):
            more_names = (
                word[0].isupper()
                and following is not None
                and following.group(1)[0].isupper()
                and following.group(1).casefold() not in _STOPS
            )
            if not more_names:
                break
    return start, end


def _reference_number(plain: str, start: int, previous_reference: int | None) -> bool:
    """Whether the number at ``start`` is a reference ("section 7.3", "Article 33", "§ 7",
    "No. 5"), or listed after one ("sections 7.2 and 7.3")."""
    before = plain[max(0, start - 40) : start]
    if _REFERENCE_SIGN.search(before):
        return True
    word = _WORD_BEFORE.search(before)
    if word is not None:
        lower = word.group(1).casefold()
        if lower in _REFERENCE_WORDS or (word.group(2) and lower in _REFERENCE_ABBREVIATIONS):
            return True
    return previous_reference is not None and (
        _REFERENCE_LIST.fullmatch(plain, previous_reference, start) is not None
    )


def _not_a_figure(
    plain: str,
    figure: Figure,
    phones: Sequence[tuple[int, int]],
    line_starts: Sequence[int],
) -> bool:
    """Numbers that count nothing: times, telephone numbers (``phones``, sorted and disjoint),
    footnote markers, list numbers, numbers glued to a word ("COVID-19"). ``line_starts`` are
    the offsets of the lines of ``plain``."""
    start, end = figure.start, figure.end
    before = plain[start - 1] if start > 0 else ""
    after = plain[end] if end < len(plain) else ""
    if _TIME_AFTER.match(plain, end) or (before == ":" and plain[start - 2 : start - 1].isdigit()):
        return True
    phone = bisect.bisect_right(phones, start, key=lambda span: span[0]) - 1
    if phone >= 0 and end <= phones[phone][1]:
        return True
    if (before, after) == ("[", "]") or (
        (before, after) == ("(", ")") and len(figure.surface) <= 2
    ):
        return True
    if figure.surface[:1].isdigit() and (
        re.search(r"[^\W\d_][-/]$", plain[max(0, start - 2) : start])
        or re.match(r"/[^\W\d_]", plain[end : end + 2])
    ):
        return True
    line_start = line_starts[bisect.bisect_right(line_starts, start) - 1]
    listed = _LIST_NUMBER.match(plain, line_start)
    return listed is not None and listed.end() - 1 == end


def _phones(plain: str) -> list[tuple[int, int]]:
    """Telephone numbers: a run of digit groups written with a country code, an area code in
    parentheses, as 555-1234, or after "tel", "phone", "fax"."""
    found = []
    for match in _PHONE.finditer(plain):
        digits = sum(char.isdigit() for char in match.group())
        text = match.group()
        if digits < 7:
            continue
        if (
            text.startswith("+")
            or "(" in text
            or re.fullmatch(r"\d{3}-\d{3}-\d{4}|\d{3}-\d{4}", text)
            or _PHONE_CUE.search(plain, max(0, match.start() - 20), match.start())
        ):
            found.append(match.span())
    return found


# --------------------------------------------------------------------------------------------
# Dates

# Only to find the spans of relative dates when no reference date is given; their values are
# then not reported.
_ANY_REFERENCE: Final = dt.date(2000, 1, 1)


@functools.cache
def _date_shape() -> re.Pattern[str]:
    """Text shaped like a date: a month name with a day and a year, or three numbers."""
    months = "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted(MONTH_WORDS, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w.])(?:\d{{1,2}}\.?\s+(?:{months})\s+\d{{4}}"
        rf"|(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{1,2}-\d{1,2})(?!\w)",
        re.IGNORECASE,
    )


# --------------------------------------------------------------------------------------------
# Quote-like claims without marks

_SO_CALLED: Final = re.compile(
    r"(?<!\w)(?:so-called|so called|sogenannte[nmrs]?|so genannte[nmrs]?|soi-disante?s?)"
    r"[^\S\n]+$",
    re.IGNORECASE,
)
_NORM_CONTENT: Final = re.compile(
    r"(?<!\w)(?:guarantees?|guaranteed|guaranteeing|stipulates?|stipulated|stipulating|provides"
    r"|enshrines?|prescribes?|garantiert|garantieren|besagt|besagen|bestimmt|bestimmen"
    r"|stipuliert|sieht\s+vor|sehen\s+vor|legt\s+fest|legen\s+fest|garantit|garantissent"
    r"|stipule|stipulent|dispose|disposent|prévoit|prévoient|énonce|énoncent)"
    r",?\s+(?:that|dass|daß|que|qu['’])\s*",
    re.IGNORECASE,
)
_MIN_NORM_WORDS: Final = 3


# --------------------------------------------------------------------------------------------
# Problems

_UNCLOSED: Final = "no closing quotation mark in its paragraph: where does the quotation end?"
_RELATIVE: Final = (
    "a relative date, or one without its year: give the statement's publication date to read it"
)
_BARE_YEAR: Final = (
    "a four-digit number without a date cue: a year (the value is the year) or a count (make it"
    " a figure)?"
)
_NO_SUCH_DATE: Final = "shaped like a date, but there is no such date"
_EARLIER: Final = (
    "the same words occur earlier in the statement: a claims file would locate the claim there"
)
# Problems that leave a proposal unfit to be a claim as it stands.
_BLOCKING: Final = frozenset({_UNCLOSED, _BARE_YEAR, _NO_SUCH_DATE})


def _markup_problem(raw: str) -> str:
    return (
        f"its text in the statement holds markup or character references ({shorten(raw)!r}):"
        " the claim's text is the file's, as written"
    )


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for messages)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link_problem(url: str) -> str | None:
    """Why a link is not a usable source, or None."""
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
        return None if parts.netloc else "not a valid http(s) URL: no host"
    if not scheme:
        return f"relative link ({shorten(written)!r}): not an absolute http(s) URL"
    return f"not http(s) ({scheme}:)"


# --------------------------------------------------------------------------------------------
# Extraction


@attrs.frozen
class _Candidate:
    """A claim found in the prose view, before it is placed in the input."""

    kind: ClaimKind
    start: int
    end: int
    value: str | None = None
    problem: str | None = None
    marked: tuple[int, int] | None = None  # a quotation with its marks
    widen: bool = False  # a figure or date: may take in words to anchor it


@attrs.define
class _Spans:
    """A set of spans, asked whether a span overlaps any of them (shares a character with it),
    in logarithmic time.

    The spans are kept merged: sorted, pairwise disjoint intervals, overlapping ones joined
    (touching ones are not: "a" then "b" do not overlap). Then both ``starts`` and ``ends`` are
    sorted, and of the intervals starting before ``end`` the last one ends last: ``[start,
    end)`` overlaps one of them if and only if it overlaps that one. An empty span overlaps
    nothing and is not kept.
    """

    starts: list[int] = attrs.Factory(list)
    ends: list[int] = attrs.Factory(list)

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        first = bisect.bisect_right(self.ends, start)  # the first interval ending after start
        last = bisect.bisect_left(self.starts, end)  # past the last one starting before end
        if first < last:
            start = min(start, self.starts[first])
            end = max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end) - 1
        return index >= 0 and self.ends[index] > start


def extract(
    text: str,
    *,
    syntax: str = "text",
    language: str | None = None,
    reference_date: dt.date | None = None,
) -> Extraction:
    """Propose the claims of a statement: every quotation, figure and date, with the links of
    its sentence as sources (see the module documentation for the rules).

    ``syntax`` is ``"markdown"``, ``"html"`` or ``"text"`` (see :func:`syntax_for`);
    ``language`` (such as ``"en"``, ``"de"``) selects the number and date words, all supported
    languages when None; ``reference_date``, usually the statement's publication date, resolves
    relative dates ("this month").
    """
    if syntax not in SYNTAXES:
        raise ValueError(f"syntax must be one of {', '.join(SYNTAXES)}, not {syntax!r}")
    view, raw_links = _read(text, syntax)
    plain = view.plain
    ends = _sentence_ends(plain)
    quotations, unclosed = _quotations(plain, [end for end, _ in ends])
    sentences = _sentences(plain, quotations, ends)
    sentence_starts = [start for start, _ in sentences]
    candidates: list[_Candidate] = []
    taken = _Spans()  # quotations: what is in them is not proposed again

    for opening, closing in quotations:
        first, last = _strip(plain, opening + 1, closing)
        while last > first and plain[last - 1] in _TRAILING_PUNCTUATION:
            last -= 1
        taken.add(opening, closing + 1)
        if any(char.isalnum() for char in plain[first:last]):
            candidates.append(
                _Candidate(ClaimKind.QUOTE, first, last, marked=(opening, closing + 1))
            )
    for candidate in _unmarked_quotes(view, raw_links, sentences, taken):
        taken.add(candidate.start, candidate.end)
        candidates.append(candidate)
    listed_to = 0  # the end of the last unclosed quotation listed
    for opening in unclosed:
        if opening < listed_to or taken.overlaps(opening, opening + 1):
            continue  # part of an unclosed quotation (or a quote-like claim) already listed
        index = _sentence_index(sentence_starts, opening)
        stop = sentences[index][1] if index is not None else opening + 1
        end = max(stop, opening + 1)
        first, last = _strip(plain, opening + 1, end)
        if last > first:
            candidates.append(_Candidate(ClaimKind.QUOTE, first, last, problem=_UNCLOSED))
            listed_to = last

    dated = _Spans()
    for found in find_dates(plain, reference=reference_date or _ANY_REFERENCE, language=language):
        if taken.overlaps(found.start, found.end):
            continue
        dated.add(found.start, found.end)
        if found.relative and reference_date is None:
            candidates.append(
                _Candidate(ClaimKind.DATE, found.start, found.end, problem=_RELATIVE, widen=True)
            )
        else:
            candidates.append(
                _Candidate(ClaimKind.DATE, found.start, found.end, str(found.value), widen=True)
            )
    for shape in _date_shape().finditer(plain):
        if not dated.overlaps(*shape.span()) and not taken.overlaps(*shape.span()):
            dated.add(*shape.span())
            candidates.append(
                _Candidate(ClaimKind.DATE, *shape.span(), problem=_NO_SUCH_DATE, widen=True)
            )

    phones = _phones(plain)
    plain_lines = [0, *(match.end() for match in re.finditer("\n", plain))]
    previous_reference: int | None = None
    previous: tuple[Figure, int] | None = None  # the last figure proposed, and its candidate
    for figure in find_figures(plain, language=language):
        if taken.overlaps(figure.start, figure.end) or dated.overlaps(figure.start, figure.end):
            continue
        if _reference_number(plain, figure.start, previous_reference):
            previous_reference = figure.end
            continue
        if _not_a_figure(plain, figure, phones, plain_lines):
            continue
        index = _sentence_index(sentence_starts, figure.start)
        limit = sentences[index][1] if index is not None else len(plain)
        if figure.looks_like_year:
            candidates.append(
                _Candidate(ClaimKind.DATE, figure.start, figure.end, problem=_BARE_YEAR)
            )
            continue
        start, end = _figure_extent(view, figure, max(limit, figure.end))
        if previous is not None and NUMBER_PAIR.fullmatch(plain, previous[0].end, figure.start):
            # A ratio or a range ("3 in 4 returnees", "10-12 people") is one figure claim; its
            # value is its first number, as the claims loader reads such a text.
            joined = candidates[previous[1]]
            if joined.end <= figure.start:
                candidates[previous[1]] = attrs.evolve(joined, end=end)
                continue
        value = format(figure.value.normalize(), "f")
        previous = figure, len(candidates)
        candidates.append(_Candidate(ClaimKind.FIGURE, start, end, value, widen=True))

    line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
    links = [_link(view, link, line_starts) for link in sorted(raw_links, key=lambda k: k.start)]
    by_sentence: dict[int, list[Link]] = {}
    for raw_link, link in zip(sorted(raw_links, key=lambda k: k.start), links, strict=True):
        index = _sentence_index(sentence_starts, view.at(raw_link.start))
        if index is not None:
            by_sentence.setdefault(index, []).append(link)

    # One tuple per sentence, shared by its claims: a sentence of a thousand links and a
    # thousand claims does not make a million-link extraction.
    sentence_sources = {index: tuple(found) for index, found in by_sentence.items()}
    proposals = []
    seen: set[tuple[ClaimKind, int, int]] = set()
    anchors = _Anchors(text)
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        index = _sentence_index(sentence_starts, candidate.start)
        sentence = sentences[index] if index is not None else (candidate.start, candidate.end)
        proposal = _place(view, candidate, sentence, line_starts, anchors)
        key = (proposal.kind, proposal.start, proposal.end)
        if key in seen:
            continue
        seen.add(key)
        sources = sentence_sources.get(index, ()) if index is not None else ()
        proposals.append(attrs.evolve(proposal, sources=sources, sentence=view.span(*sentence)))
    # In text order: widening may take a proposal's start before an earlier one's.
    proposals.sort(key=lambda proposal: (proposal.start, proposal.end))
    return Extraction(text, syntax, tuple(proposals), tuple(links))


def _sentence_index(starts: Sequence[int], position: int) -> int | None:
    """The sentence holding ``position``, or the one before it when it is between two."""
    if not starts:
        return None
    return max(0, bisect.bisect_right(starts, position) - 1)


def _unmarked_quotes(
    view: _View,
    raw_links: Sequence[_RawLink],
    sentences: Sequence[tuple[int, int]],
    taken: _Spans,
) -> list[_Candidate]:
    """Quote-like claims without quotation marks: a so-called term that is a link's anchor
    text, and the content of a norm ("which guarantees that …")."""
    plain = view.plain
    found: list[_Candidate] = []
    for link in raw_links:
        if link.text_start is None or link.text_end is None:
            continue
        first, last = _strip(plain, view.at(link.text_start), view.at(link.text_end))
        if (
            last > first
            and _SO_CALLED.search(plain, max(0, first - 30), first)
            and not taken.overlaps(first, last)
        ):
            found.append(_Candidate(ClaimKind.QUOTE, first, last))
    for start, end in sentences:
        for match in _NORM_CONTENT.finditer(plain, start, end):
            first, last = _strip(plain, match.end(), end)
            while last > first and plain[last - 1] in ".!?…" + _TRAILING_PUNCTUATION:
                last -= 1
            if len(plain[first:last].split()) >= _MIN_NORM_WORDS and not taken.overlaps(
                first, last
            ):
                found.append(_Candidate(ClaimKind.QUOTE, first, last))
                break
    return found


def _link(view: _View, link: _RawLink, line_starts: Sequence[int]) -> Link:
    raw = view.raw
    if link.text_start is None or link.text_end is None:
        text = link.url
    else:
        text = " ".join(view.plain[view.at(link.text_start) : view.at(link.text_end)].split())
        if not text:  # left out of the prose, as a superscript is: its text as written
            written = _COMMENT.sub("", raw[link.text_start : link.text_end])
            text = " ".join(html.unescape(_TAG.sub("", written)).split())
    line, column = _line_column(link.start, line_starts)
    return Link(link.url, text, link.start, link.end, line, column, _link_problem(link.url))


def _line_column(offset: int, line_starts: Sequence[int]) -> tuple[int, int]:
    """The 1-based line and column of ``offset``, in characters (as the claims loader counts)."""
    index = bisect.bisect_right(line_starts, offset) - 1
    return index + 1, offset - line_starts[index] + 1


_WORD: Final = re.compile(r"\w+")
_WORD_CHAR: Final = re.compile(r"\w")


@attrs.define
class _Anchors:
    """Where a claims file would locate a text in the statement: its first occurrence as whole
    words, ``(?<!\\w)text(?!\\w)``, as :func:`claimcheck.load` finds it.

    Searching the statement from its start for each proposal would take time quadratic in the
    statement's length. Instead the statement's words (runs of ``\\w``) are indexed once: where
    a text occurs, each of its words is a whole word of the statement (the text is bounded by
    non-word characters, and so is each word in it), so the text can only start where its
    rarest word occurs, at that word's offset in the text. Answers are kept per text.
    """

    raw: str
    words: dict[str, list[int]] | None = None
    found: dict[str, int | None] = attrs.Factory(dict)

    def first(self, text: str) -> int | None:
        """The offset of the first whole-word occurrence of ``text``, or None."""
        if text not in self.found:
            self.found[text] = self.search(text)
        return self.found[text]

    def search(self, text: str) -> int | None:
        raw = self.raw
        tokens = [(match.group(), match.start()) for match in _WORD.finditer(text)]
        if not tokens:  # no word to look it up by (never a proposal's text)
            match = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", raw)
            return None if match is None else match.start()
        if self.words is None:
            self.words = {}
            for match in _WORD.finditer(raw):
                self.words.setdefault(match.group(), []).append(match.start())
        words = self.words
        word, offset = min(tokens, key=lambda token: len(words.get(token[0], ())))
        stop = len(text)
        for position in words.get(word, ()):
            start = position - offset
            if (
                start >= 0
                and raw.startswith(text, start)
                and not (start > 0 and _WORD_CHAR.match(raw, start - 1))
                and not _WORD_CHAR.match(raw, start + stop)
            ):
                return start
        return None


# A word to take in: across a space, or a comma, colon or semicolon ("Geneva, 7 May 2021"),
# within its sentence and a window of characters (a longer "word" is not taken in).
_WORD_AHEAD: Final = re.compile(r"[,;:]?[^\S\n]+[\w'’-]+")
_WORD_MARKS: Final = frozenset("_'’-")
_MAX_WIDENING: Final = 8
_WIDENING_WINDOW: Final = 200


def _is_word(char: str) -> bool:
    """Whether ``char`` is one of ``[\\w'’-]``, the characters of a word to take in."""
    return char.isalnum() or char in _WORD_MARKS


def _word_behind(plain: str, floor: int, position: int) -> int | None:
    """Where the word before ``position`` starts, taking in the space (and the comma, colon or
    semicolon) between, ``[\\w'’-]+[,;:]?[^\\S\\n]+``, not before ``floor`` (its sentence's
    start); None if there is none. Read backwards from ``position``, never more than
    ``_WIDENING_WINDOW`` characters."""
    bound = max(floor, position - _WIDENING_WINDOW)
    cursor = position
    while cursor > bound and plain[cursor - 1] != "\n" and plain[cursor - 1].isspace():
        cursor -= 1
    if cursor == position:
        return None
    if cursor > bound and plain[cursor - 1] in ",;:":
        cursor -= 1
    word_end = cursor
    while cursor > bound and _is_word(plain[cursor - 1]):
        cursor -= 1
    if cursor == word_end or (cursor == bound > floor and _is_word(plain[cursor - 1])):
        return None
    return cursor


def _word_ahead(plain: str, position: int, ceiling: int) -> int | None:
    """Where the word after ``position`` ends, with the space (and punctuation) before it, not
    after ``ceiling`` (its sentence's end); None if there is none within the window."""
    bound = min(ceiling, position + _WIDENING_WINDOW)
    match = _WORD_AHEAD.match(plain, position, bound)
    if match is None or (match.end() == bound < ceiling and _is_word(plain[bound])):
        return None
    return match.end()


def _place(
    view: _View,
    candidate: _Candidate,
    sentence: tuple[int, int],
    line_starts: Sequence[int],
    anchors: _Anchors,
) -> Proposal:
    """The proposal for a candidate: its span in the input, widened or marked until a claims
    file would locate it there, and its problems."""
    raw = view.raw
    start, end = candidate.start, candidate.end
    problem = candidate.problem
    first, last = view.span(start, end)
    if candidate.marked is not None:
        opening, closing = candidate.marked
        marks_written = view.verbatim(opening, opening + 1) and view.verbatim(closing - 1, closing)
        single_word = len(view.plain[start:end].split()) == 1
        if marks_written and (single_word or anchors.first(raw[first:last]) != first):
            start, end = opening, closing
            first, last = view.span(start, end)
    elif candidate.widen and anchors.first(raw[first:last]) not in (None, first):
        wider = start, end
        for _ in range(_MAX_WIDENING):
            behind = _word_behind(view.plain, sentence[0], wider[0])
            ahead = _word_ahead(view.plain, wider[1], sentence[1])
            if behind is not None and view.verbatim(behind, wider[1]):
                wider = behind, wider[1]
            elif ahead is not None and view.verbatim(wider[0], ahead):
                wider = wider[0], ahead
            else:
                break  # no unique wording in its sentence: the shortest text it is
            wider_first, wider_last = view.span(*wider)
            if anchors.first(raw[wider_first:wider_last]) in (None, wider_first):
                start, end = wider
                first, last = wider_first, wider_last
                break
    written = raw[first:last]
    if problem is None and " ".join(written.split()) != " ".join(view.plain[start:end].split()):
        problem = _markup_problem(written)
    if problem is None and anchors.first(written) not in (None, first):
        problem = _EARLIER
    line, column = _line_column(first, line_starts)
    return Proposal(
        kind=candidate.kind,
        text=written,
        start=first,
        end=last,
        line=line,
        column=column,
        value=candidate.value,
        problem=problem,
    )

"""HTML pages into a :class:`Text`: the full text (navigation, captions and "related" boxes
included: a quote that a main-text extractor drops is still on the page), the article body as a
labelled region, the title, language and publication date, and whether the page is readable at
all (a JavaScript shell, an empty or undecodable page).

Separators are inserted only at block boundaries, so ``<a>word</a>,`` stays ``word,``: spaces at
inline-tag boundaries are the largest single cause of exact-match misses on real news pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Final, Literal, TypeAlias, cast

import attrs
from lxml import etree

from ._text import (
    GARBAGE_SHARE,
    HTML,
    Region,
    Text,
    clean_language,
    garbage_share,
    name_set,
    word_chars,
)

__all__ = ["parse_html"]


# Subtrees that are never visible text. (The document <title> is written first, on its own.)
# <rt>/<rp> are ruby annotations (pronunciation), which a quote of the base text does not contain.
_DROP: Final = frozenset(
    {"script", "style", "template", "noscript", "svg", "head", "rt", "rp", "iframe"}
)
_PARAGRAPH: Final = name_set(
    "p h1 h2 h3 h4 h5 h6 blockquote pre listing xmp plaintext table ul ol dl menu hr figure",
    "address article section header footer nav aside main form fieldset details hgroup search",
    "dialog center",
)
_LINE: Final = name_set(
    "html body div li dt dd figcaption caption thead tbody tfoot tr summary legend option",
    "optgroup select button textarea video audio object canvas frameset frame noframes map",
    "output meter progress",
)
_CELL: Final = frozenset({"td", "th"})
_BLOCK: Final = _PARAGRAPH | _LINE | _CELL
_Separator = Literal["", " ", "\t", "\n", "\n\n"]
_BLOCK_SEPARATORS: Final[dict[str, _Separator]] = {
    **dict.fromkeys(_PARAGRAPH, "\n\n"),
    **dict.fromkeys(_LINE, "\n"),
    **dict.fromkeys(_CELL, "\t"),
}
_PREFORMATTED: Final = frozenset({"pre", "listing", "xmp", "plaintext", "textarea"})
# The elements whose start and end the text itself depends on.
_MARKED_UP: Final = _BLOCK | _PREFORMATTED | {"a"}
# For the article heuristic, as in readability: text inside elements marked like this does not
# count (unless also marked like an article: "comment_content" is not furniture).
_BOILERPLATE_TAGS: Final = frozenset({"nav", "aside", "footer"})
_BOILERPLATE_WORDS: Final = (
    "comment disqus footer sidebar related sponsor promo advert banner breadcrumb masthead"
    " cookie gdpr newsletter subscribe outbrain taboola popup modal copyright recommend"
    " trending social share menu"
).split()
_BOILERPLATE_NAV: Final = r"(?:^|[\s_-])nav"
_BOILERPLATE_MARKS: Final = re.compile(
    f"{'|'.join(_BOILERPLATE_WORDS)}|{_BOILERPLATE_NAV}", re.IGNORECASE
)
_ARTICLE_WORDS: Final = "article body content entry main post story text".split()
_ARTICLE_MARKS: Final = re.compile("|".join(_ARTICLE_WORDS), re.IGNORECASE)


def _by_first_letter(words: list[str]) -> re.Pattern[str]:
    """Any of ``words`` (lower-case ASCII letters), as an alternation grouped by first letter:
    the regex engine then tries one branch at a position, not each word (about twice as fast
    on real pages' classes and ids; the same matches)."""
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(word[1:])
    return re.compile("|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in tails.items()))


# The same for lower-cased ASCII: without IGNORECASE and the nav pattern's leading group, the
# regex engine skips ahead to the letters the words start with (four times faster on real pages).
_BOILERPLATE_ASCII: Final = (_by_first_letter(_BOILERPLATE_WORDS), re.compile(_BOILERPLATE_NAV))
_ARTICLE_ASCII: Final = _by_first_letter(_ARTICLE_WORDS)
_HTML_SPACE: Final = re.compile(r"[ \t\n\r\f]+")
# Element ids single-page-application frameworks mount into; empty on a page served as a shell.
_MOUNT_IDS: Final = frozenset(
    {"root", "app", "__next", "__nuxt", "___gatsby", "svelte", "react-root", "main-app", "q-app"}
)
_ENABLE_JS: Final = re.compile(r"javascript|\bjs\b", re.IGNORECASE)

_RANK: Final[dict[str, int]] = {"": 0, " ": 1, "\t": 2, "\n": 3, "\n\n": 4}


class _Builder:
    """Accumulates text with HTML whitespace semantics and records where elements land.

    Separators are *requested* and written lazily, just before the next visible character, so
    the strongest separator between two runs of text wins and none is written at the start or
    end. An element's start is the position of its first character (after that separator), its
    end the position after its last, which makes the offsets exact.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.pending: str = ""
        self.spans: dict[int, tuple[int, int]] = {}
        self._opened: list[int] = []
        self._starts: dict[int, int] = {}

    def request(self, separator: _Separator) -> None:
        if _RANK[separator] > _RANK[self.pending]:
            self.pending = separator

    def open(self, key: int) -> None:
        self._opened.append(key)

    def close(self, key: int) -> None:
        start = self._starts.pop(key, None)
        if start is None:  # nothing was written inside: still awaiting, and the latest to open
            self._opened.pop()
            start = self.pos
        self.spans[key] = (start, self.pos)

    def _emit(self, chunk: str) -> int:
        if self.pending and self.pos:
            last = self.parts[-1][-1]
            if self.pending != " " or last not in "\n\t":
                self.parts.append(self.pending)
                self.pos += len(self.pending)
        self.pending = ""
        for key in self._opened:
            self._starts[key] = self.pos
        self._opened.clear()
        self.parts.append(chunk)
        self.pos += len(chunk)
        return len(chunk)

    def write(self, text: str) -> int:
        """Write text in normal flow (whitespace runs collapse to one space); return its length."""
        # Nine in ten texts of news pages have nothing to collapse but one space at either end:
        # written as they are, without splitting them into words (substring tests are faster
        # than a regular expression here).
        if (
            text
            and "\n" not in text
            and "  " not in text
            and "\t" not in text
            and "\r" not in text
            and "\f" not in text
        ):
            lead = text[0] == " "
            trail = text[-1] == " "
            content = text[lead : len(text) - trail]
        else:
            words = _HTML_SPACE.split(text)  # empty strings only first and last, at whitespace
            lead = words[0] == ""
            trail = words[-1] == ""
            content = " ".join(words[lead : len(words) - trail])
        if lead:
            self.request(" ")
        if not content:
            return 0
        written = self._emit(content)
        if trail:
            self.request(" ")
        return written

    def write_preformatted(self, text: str) -> int:
        """Write text from ``<pre>``: kept as is, except CRLF; return its length."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return self._emit(text) if text else 0

    def result(self) -> str:
        return "".join(self.parts)


@attrs.frozen
class _Page:
    """What one walk over an HTML document found. Elements are keyed by their opening event."""

    text: str
    title: str | None
    body_start: int
    spans: dict[int, tuple[int, int]]  # of the blocks, candidates and mounts
    # How much text outside links each block element holds itself or in its child blocks.
    density: dict[int, int]
    # How much text outside page furniture each block element holds in all; its parent block.
    clean: dict[int, int]
    parents: dict[int, int]
    candidates: tuple[tuple[int, int], ...]  # (priority, key) of semantic article elements
    script_chars: int
    noscript_asks_js: bool
    empty_mount: bool


_Attrs: TypeAlias = Mapping[str, str]
# One step of a parse: a string is text, a (name, attributes) pair opens an element, and an int
# closes the element whose opening event is at that index.
_Event: TypeAlias = str | int | tuple[str, _Attrs]

# Text is read as Beautiful Soup (which built the tree before) read it, so that extraction
# results stay as they were: whitespace-only text outside these collapses to one space (one
# newline if it has any), which matters inside <listing>, <xmp> and <plaintext> ...
_KEEP_SPACE: Final = frozenset({"pre", "textarea"})
# ... and text inside these, at any depth, is theirs alone: a <title> or <noscript> around it
# does not count it as its own text.
_OWN_TEXT: Final = frozenset({"rt", "rp", "style", "script", "template"})
_ASCII_SPACE: Final = " \t\n\r\f"
# The elements the parse keeps track of (besides all being open or not).
_NOTED: Final = _KEEP_SPACE | _OWN_TEXT | {"svg", "title", "html", "meta"}
_XML_NAMESPACE: Final = "http://www.w3.org/XML/1998/namespace"
# What lxml raises for markup it cannot read as a str; such markup is retried as UTF-8 bytes.
_REJECTED: Final[tuple[type[Exception], ...]] = (
    UnicodeDecodeError,
    LookupError,
    etree.ParserError,
)


class _Events:
    """An lxml parser target that records a parse as a flat list of :data:`_Event` s.

    The parser's events are used rather than the tree lxml would build from them: libxml2 stops
    building a tree at 256 levels (2,048 with ``huge_tree``) and lxml returns what it has, the
    rest of the page lost, without raising; pages nest deeper. An end tag closes the innermost
    open element of its name and any still open inside it; text is merged up to the next tag or
    comment. Besides the events, the parse notes the document title and the attributes of the
    ``<html>`` and ``<meta>`` elements.
    """

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.ends: dict[int, int] = {}  # index of an element's opening event -> of its closing
        self.owned: dict[int, str] = {}  # index of a text inside an _OWN_TEXT element -> its name
        self.title = -1  # opening index of the document title (the first <title> not in <svg>)
        self.title_parts: list[str] = []
        self.root: _Attrs | None = None  # attributes of the first <html>
        self.metas: list[_Attrs] = []
        self._chunks: list[str] = []
        # lxml calls this for every piece of text (entities split them): no Python frame for it.
        self.data: Callable[[str], None] = self._chunks.append
        self._open: list[int] = []
        self._names: list[str] = []
        self._keep_space = 0
        self._owners: list[str] = []
        self._svg = 0
        self._in_title = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self._chunks:
            self._flush()
        attributes: _Attrs = attrib if "{" not in "".join(attrib) else _plain_attributes(attrib)
        index = len(self.events)
        self.events.append((tag, attributes))
        self._open.append(index)
        self._names.append(tag)
        if tag not in _NOTED:
            return
        if tag in _KEEP_SPACE:
            self._keep_space += 1
        elif tag in _OWN_TEXT:
            self._owners.append(tag)
        elif tag == "svg":
            self._svg += 1
        elif tag == "title":
            if self.title < 0 and not self._svg:
                self.title = index
                self._in_title = True
        elif tag == "html":
            if self.root is None:
                self.root = attributes
        else:
            self.metas.append(attributes)

    def end(self, tag: str) -> None:
        if self._chunks:
            self._flush()
        names = self._names
        if names and names[-1] == tag and tag not in _NOTED:
            # Nearly every end: the innermost element, nothing noted about it (as _close).
            names.pop()
            index = self._open.pop()
            self.ends[index] = len(self.events)
            self.events.append(index)
        elif tag in reversed(names):  # the innermost such element: libxml2 reports them balanced
            while self._close() != tag:
                pass

    def comment(self, text: str) -> None:
        if self._chunks:
            self._flush()

    def pi(self, target: str, data: str) -> None:
        if self._chunks:
            self._flush()

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if self._chunks:
            self._flush()

    def close(self) -> _Events:
        if self._chunks:
            self._flush()
        while self._open:
            self._close()
        return self

    def _close(self) -> str:
        index = self._open.pop()
        name = self._names.pop()
        self.ends[index] = len(self.events)
        self.events.append(index)
        if name not in _NOTED:
            return name
        if name in _KEEP_SPACE:
            self._keep_space -= 1
        elif name in _OWN_TEXT:
            self._owners.pop()
        elif name == "svg":
            self._svg -= 1
        elif index == self.title:
            self._in_title = False
        return name

    def _flush(self) -> None:
        text = "".join(self._chunks)
        self._chunks.clear()
        if not self._keep_space and not text.strip(_ASCII_SPACE):
            text = "\n" if "\n" in text else " "
        if self._owners:
            self.owned[len(self.events)] = self._owners[-1]
        elif self._in_title:
            self.title_parts.append(text)
        self.events.append(text)


def _plain_attributes(attrib: Mapping[str, str]) -> dict[str, str]:
    """Attributes with Clark-notation names (``{ns}id``) under their local name (``xml:`` kept)."""
    plain: dict[str, str] = {}
    for name, value in attrib.items():
        if name.startswith("{") and "}" in name:
            namespace, local = name[1:].split("}", 1)
            if not local:
                continue
            name = f"xml:{local}" if namespace == _XML_NAMESPACE else local
        plain[name] = value
    return plain


# libxml2 caps each comment, processing instruction, attribute value and text at 10,000,000
# bytes (XML_MAX_TEXT_LENGTH), or 1,000,000,000 with lxml's huge_tree (XML_MAX_HUGE_LENGTH).
# Past the cap its HTML parser gives the node up and, recovering, reads what the node held as
# markup: a comment's content becomes page text and its tags tags, an attribute value's content
# more attributes. So content hidden in a large comment would count as shown, and verify a
# quote. Hence the larger cap, and markup that could hold a node past it is not parsed: to
# libxml2 a character is at most 4 bytes (UTF-8; a NUL becomes the 3 of U+FFFD).
_MAX_MARKUP_CHARS: Final = 1_000_000_000 // 4


def _parse_events(markup: str) -> _Events:
    """Parse *markup* with libxml2's HTML parser, as a str or, if lxml rejects that, as UTF-8."""
    if markup.startswith("\ufeff"):
        markup = markup[1:]
    try:
        return _feed(markup, None)
    except _REJECTED:
        return _feed(markup.encode("utf-8"), "utf8")


def _feed(markup: str | bytes, encoding: str | None) -> _Events:
    events = _Events()
    parser = etree.HTMLParser(
        target=cast("etree.ParserTarget", events),
        recover=True,
        encoding=encoding,
        huge_tree=True,  # see _MAX_MARKUP_CHARS
    )
    parser.feed(markup)
    parser.close()
    return events


def _attr(attrs: _Attrs, name: str) -> str:
    value = attrs.get(name, "")
    return " ".join(value.split()) if name == "class" else value


def _walk(doc: _Events) -> _Page:
    """Walk the parse once, building the text (the events are flat: no recursion at any depth).

    Besides the text and every element's span, the walk scores text density for the article
    heuristic: each block element is credited with the text outside links that it holds
    directly (text and inline elements, as ``<br>``-separated pages have it) and that its child
    blocks hold directly (``<p>`` paragraphs, and ``<div>`` s used as paragraphs).

    One loop rather than a function per kind of event: it is the hot path of HTML extraction,
    run once per event of a page (tens of thousands on a long one), where calls per event would
    cost time on every page checked.
    """
    out = _Builder()
    title = " ".join("".join(doc.title_parts).split()) or None if doc.title >= 0 else None
    if title:
        out.write(title)
        out.request("\n\n")
    body_start = out.pos
    candidates: list[tuple[int, int]] = []
    mounts: list[int] = []
    blocks: list[int] = []  # the open block elements, innermost last
    own: dict[int, int] = {}
    density: dict[int, int] = {}
    clean: dict[int, int] = {}
    parents: dict[int, int] = {}
    clean_total = 0  # characters written outside furniture so far
    script_chars = 0
    noscript_asks_js = False
    pre_depth = link_depth = boilerplate_depth = 0
    boilerplate: set[int] = set()
    pre_fresh = False
    events = doc.events
    ends = doc.ends
    names: list[str] = []  # the elements entered and not yet left, innermost last
    # Of those, the ones whose span counts (blocks, candidates, mounts), innermost last.
    spanned: list[int] = []
    furniture_marks: dict[tuple[str, str], bool] = {}  # (class, id) -> _marked_as_furniture
    title_key = doc.title
    index = 0
    count = len(events)
    while index < count:
        event = events[index]
        if isinstance(event, str):
            if pre_depth:
                text = event
                if pre_fresh and text.startswith("\n"):  # as browsers do after <pre>
                    text = text[1:]
                pre_fresh = False
                written = out.write_preformatted(text)
            elif event == " " or event == "\n":  # what whitespace between tags is parsed as
                if not out.pending:
                    out.pending = " "
                index += 1
                continue
            else:
                written = out.write(event)
            if not boilerplate_depth:
                clean_total += written
                if blocks and not link_depth:
                    own[blocks[-1]] = own.get(blocks[-1], 0) + written
            index += 1
            continue
        if isinstance(event, int):
            key = event
            index += 1
            name = names.pop()
            if spanned and spanned[-1] == key:
                spanned.pop()
                out.close(key)
            if key in boilerplate:
                boilerplate_depth -= 1
            if name not in _MARKED_UP:
                continue
            if name in _PREFORMATTED:
                pre_depth -= 1
            elif name == "a":
                link_depth -= 1
            if name in _BLOCK:
                blocks.pop()
                clean[key] += clean_total
                held = own.get(key, 0)
                density[key] = density.get(key, 0) + held
                if blocks:
                    density[blocks[-1]] = density.get(blocks[-1], 0) + held
                out.request(_BLOCK_SEPARATORS[name])
            continue
        name, attrs = event
        key = index
        if name in _DROP:
            if name in ("script", "noscript", "head"):
                chars, asks_js = _script_signals(doc, key)
                script_chars += chars
                noscript_asks_js = noscript_asks_js or asks_js
            index = ends[key] + 1
            continue
        if key == title_key or (name == "input" and attrs.get("type", "").lower() == "hidden"):
            index = ends[key] + 1
            continue
        if name == "br":
            out.request("\n")
            index = ends[key] + 1
            continue
        index += 1
        names.append(name)
        span = False
        if name in _MARKED_UP:
            if name in _BLOCK:
                if blocks:
                    parents[key] = blocks[-1]
                blocks.append(key)
                clean[key] = -clean_total
                out.request(_BLOCK_SEPARATORS[name])
                span = True
            if name in _PREFORMATTED:
                pre_depth += 1
                pre_fresh = True
            elif name == "a":
                link_depth += 1
        # (Most elements have none of the attributes these look at; two in three have one.)
        if name in _BOILERPLATE_TAGS:
            furniture: bool | None = True
        elif ("class" in attrs or "id" in attrs) and name != "html" and name != "body":
            pair = (attrs.get("class", ""), attrs.get("id", ""))  # pages repeat them a lot
            furniture = furniture_marks.get(pair)
            if furniture is None:
                furniture = furniture_marks[pair] = _marked_as_furniture(pair)
        else:
            furniture = False
        if furniture:
            boilerplate.add(key)
            boilerplate_depth += 1
        if "itemprop" in attrs or "role" in attrs or name in ("article", "main"):
            priority = _candidate_priority(name, attrs)
            if priority is not None:
                candidates.append((priority, key))
                span = True
        if "id" in attrs and attrs["id"] in _MOUNT_IDS:
            mounts.append(key)
            span = True
        if span:
            spanned.append(key)
            out.open(key)
    spans = out.spans
    return _Page(
        text=out.result(),
        title=title,
        body_start=body_start,
        spans=spans,
        density=density,
        clean=clean,
        parents=parents,
        candidates=tuple(candidates),
        script_chars=script_chars,
        noscript_asks_js=noscript_asks_js,
        empty_mount=any(spans[key][0] == spans[key][1] for key in mounts),
    )


def _script_signals(doc: _Events, index: int) -> tuple[int, bool]:
    """How much script an element is or holds, and whether a ``<noscript>`` in it asks for JS.

    The element is the one opened at *index*: a ``<script>`` or ``<noscript>`` counts itself
    (not what it holds), a ``<head>`` the ones it holds.
    """
    events = doc.events
    name, attrs = cast("tuple[str, _Attrs]", events[index])
    nested = name == "head"
    chars = 0
    scripts = 0  # how many counted <script> s are open: their text counts for each
    noscripts: list[list[str]] = []  # the text of each counted <noscript> that is open
    if name == "script":
        # An external script counts as much as a big inline one.
        chars += _SCRIPT_HEAVY_CHARS if _attr(attrs, "src") else 0
        scripts = 1
    elif name == "noscript":
        noscripts.append([])
    asks_js = False
    inside: list[str] = []
    for position in range(index + 1, doc.ends[index]):
        event = events[position]
        if isinstance(event, str):
            owner = doc.owned.get(position)
            if owner is None:
                for parts in noscripts:
                    parts.append(event)
            elif owner == "script":
                chars += len(event) * scripts
        elif isinstance(event, int):
            closed = inside.pop()
            if nested and closed == "script":
                scripts -= 1
            elif nested and closed == "noscript":
                found = _ENABLE_JS.search("".join(noscripts.pop())) is not None
                asks_js = asks_js or found
        else:
            inside.append(event[0])
            if nested and event[0] == "script":
                chars += _SCRIPT_HEAVY_CHARS if _attr(event[1], "src") else 0
                scripts += 1
            elif nested and event[0] == "noscript":
                noscripts.append([])
    if name == "noscript":
        asks_js = _ENABLE_JS.search("".join(noscripts.pop())) is not None
    return chars, asks_js


def _marked_as_furniture(pair: tuple[str, str]) -> bool:
    """Whether an element of this (class, id) looks like page furniture (comments, footers,
    related links, sidebars); ``<nav>``, ``<aside>`` and ``<footer>`` are, whatever they say."""
    marks = f"{' '.join(pair[0].split())} {pair[1]}"
    if marks.isascii():
        lowered = marks.lower()
        words, nav = _BOILERPLATE_ASCII
        # (The "nav" pattern starts with a group: the engine tries it at every position.)
        furniture = words.search(lowered) is not None or (
            "nav" in lowered and nav.search(lowered) is not None
        )
        return furniture and not _ARTICLE_ASCII.search(lowered)
    furniture = _BOILERPLATE_MARKS.search(marks) is not None
    return furniture and not _ARTICLE_MARKS.search(marks)


def _candidate_priority(name: str, attrs: _Attrs) -> int | None:
    """How surely an element marks the main article: 0 (schema.org articleBody) to 2 (<main>)."""
    if "articlebody" in attrs.get("itemprop", "").lower():
        return 0
    if name == "article":
        return 1
    if name == "main" or attrs.get("role", "").lower() == "main":
        return 2
    return None


def _article_span(page: _Page) -> tuple[int, int] | None:
    """The span of the main article text, or ``None`` when no element stands out.

    The densest block (readability-style: most text outside links in itself and its child
    blocks) finds the article; the semantic element enclosing it, if any, gives its extent
    (``itemprop=articleBody`` before ``<article>`` before ``<main>``, then the innermost). The
    semantic markup alone is not trusted to *find* the article: on real pages ``<article>`` as
    often marks comments, teasers or a related-posts box.
    """
    spans = page.spans
    densest = max(page.density, key=page.density.__getitem__, default=None)
    if densest is None or page.density[densest] < _MIN_ARTICLE_CHARS:
        # No dense text: the largest semantic element, if it holds enough text.
        largest = max(
            (spans[key] for _, key in page.candidates),
            key=lambda span: span[1] - span[0],
            default=None,
        )
        if largest is not None and largest[1] - largest[0] >= _MIN_ARTICLE_CHARS:
            return largest
        return None
    start, end = spans[densest]
    enclosing = [
        (priority, spans[key][1] - spans[key][0], key)
        for priority, key in page.candidates
        if spans[key][0] <= start and end <= spans[key][1]
    ]
    if not enclosing:
        return start, end
    outer = min(enclosing)[2]
    # Trim comments and related links that themes put inside <article>: the smallest block
    # between the densest one and the semantic element that holds nearly all its clean text.
    wanted = _ARTICLE_SHARE * page.clean.get(outer, 0)
    key: int | None = densest
    while key is not None and key != outer and spans[outer][0] <= spans[key][0]:
        if spans[key][1] > spans[outer][1]:
            break
        if page.clean.get(key, 0) >= wanted:
            return spans[key]
        key = page.parents.get(key)
    return spans[outer]


_MIN_ARTICLE_CHARS: Final = 200
_ARTICLE_SHARE: Final = 0.9
# Below this many letters and digits of body text, a page with JavaScript signals is a shell.
_SCRIPT_ONLY_CHARS: Final = 200
_SCRIPT_HEAVY_CHARS: Final = 2_000


def parse_html(markup: str, charset: str | None) -> Text:
    """Parse decoded HTML into a :class:`Text` (the expensive step the cache saves).

    Markup of more than :data:`_MAX_MARKUP_CHARS` characters (250 million, some ten times the size
    cap of a fetch by default) is not parsed: it is ``"too-large"`` to read safely."""
    if len(markup) > _MAX_MARKUP_CHARS:
        return Text(text="", media_type=HTML, unreadable="too-large", charset=charset)
    doc = _parse_events(markup)
    page = _walk(doc)
    text = page.text
    regions: list[Region] = []
    if page.title:
        regions.append(Region("title", 0, len(page.title), "title"))
    article = _article_span(page)
    if article is not None:
        regions.append(Region("article", article[0], article[1], "article body"))
    body = text[page.body_start :]
    words = word_chars(body, limit=_SCRIPT_ONLY_CHARS)
    unreadable = None
    js_signals = (
        page.script_chars >= _SCRIPT_HEAVY_CHARS or page.noscript_asks_js or page.empty_mount
    )
    if words < _SCRIPT_ONLY_CHARS and js_signals:
        unreadable = "script-only"
    elif not body.strip():
        unreadable = "empty"
    elif garbage_share(body) >= GARBAGE_SHARE:
        unreadable = "undecodable"
    return Text(
        text=text,
        media_type=HTML,
        regions=tuple(regions),
        unreadable=unreadable,
        title=page.title,
        language=_html_language(doc),
        published=_meta_published(doc) or _html_published(markup),
        charset=charset,
    )


def _html_language(doc: _Events) -> str | None:
    if doc.root is not None:
        for name in ("lang", "xml:lang"):
            language = clean_language(_attr(doc.root, name))
            if language:
                return language
    for meta in doc.metas:
        key = (_attr(meta, "http-equiv") or _attr(meta, "name")).lower()
        if key in ("content-language", "language", "dc.language"):
            language = clean_language(_attr(meta, "content"))
            if language:
                return language
    return None


_PUBLISHED_META: Final = frozenset(
    {
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dcterms.issued",
        "article.published",
        "og:published_time",
    }
)


def _meta_published(doc: _Events) -> dt.date | None:
    """The publication date a page states in its ``<meta>`` tags (Open Graph, schema.org,
    Dublin Core, Parse.ly…), read without a second parse; htmldate is asked only without one."""
    for meta in doc.metas:
        key = (_attr(meta, "property") or _attr(meta, "name") or _attr(meta, "itemprop")).lower()
        if key in _PUBLISHED_META:
            try:
                return dt.date.fromisoformat(_attr(meta, "content").strip()[:10])
            except ValueError:
                continue
    return None


def _html_published(markup: str) -> dt.date | None:
    """The publication date htmldate finds in ``markup``, or None. htmldate is imported here,
    when first needed: most pages state their date in a ``<meta>`` tag, most checks read cached
    text, and its import (with its own HTTP stack) costs more than starting Python (issue 17)."""
    import htmldate

    try:
        found = htmldate.find_date(
            markup, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
        return dt.date.fromisoformat(str(found)) if found else None
    except Exception:  # htmldate is a heuristic on arbitrary markup: it must never fail extraction
        return None

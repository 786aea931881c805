"""Robust Links: decorate a statement's links with the archived copy of what they cite.

A published statement cites pages that will change or vanish. A Robust Link keeps the way back:
the ``<a>`` element carries, besides its ``href``, the URL of an archived copy of the page
(``data-versionurl``), when that copy was made (``data-versiondate``) and the page's own URL
(``data-originalurl``). Readers, and the Robust Links JavaScript, can then reach the page as it
was cited after the live link has rotted or drifted. The attributes are those of the Robust
Links specification (https://robustlinks.mementoweb.org/spec/, 2015 and 2020 revisions, and the
2025 draft at https://hvdsomp.info/robustlinks), applied as follows:

- **Link to the original, decorate with the version** (the default, ``link_to="original"``):
  ``href`` stays the URL the author wrote; ``data-originalurl`` repeats it (REQUIRED in the 2025
  draft), ``data-versionurl`` names the archived copy and ``data-versiondate`` its date.
- **Link to the version** (``link_to="version"``): ``href`` becomes the archived copy,
  ``data-originalurl`` keeps the page's URL and ``data-versiondate`` the copy's date; no
  ``data-versionurl``, since ``href`` is the version (the specification's "linking to a
  snapshot" case; the reference JavaScript reads ``href`` as the version when
  ``data-originalurl`` is present and ``data-versionurl`` is not).
- A link whose ``href`` already is an archived copy (``…/web/20210420120000/https://…``) is a
  link to a snapshot by its author's choice: it keeps its ``href`` and gains
  ``data-originalurl`` and ``data-versiondate`` read from the archive URL, with no look-up.
- ``data-versiondate`` is the archived copy's own capture time (its ``Memento-Datetime``), as
  an ISO 8601 date, ``YYYY-MM-DD``, in UTC, as the specification's examples write it;
  ``date_format="datetime"`` writes ``YYYY-MM-DDThh:mm:ssZ`` instead.
- A link that already carries any Robust Links attribute is left as it is (``update=True``
  re-decorates it when a version is found).

Only ``<a href>`` links to absolute ``http(s)`` URLs are considered; relative, ``mailto:`` and
fragment links are left alone and not reported, and so are tags in the elements whose content
HTML reads as text (``<textarea>``, ``<title>``, ``<script>``, ``<style>``, ``<xmp>``,
``<iframe>``, ``<noembed>``, ``<noframes>``, and everything after ``<plaintext>``; not in SVG
or MathML, where these are ordinary elements): they are no links, and in a textarea their
attributes are visible text. A link with no known version is left
unchanged and reported (:class:`RobustLink` with status ``no-version``).

**HTML** is not re-serialised: the ``<a>`` start tags are located with the standard library's
tokenizer (which gives each tag's source position) and the attributes are spliced into them, so
every other byte of the document is kept.

**Markdown** links (inline ``[text](url "title")``, reference ``[text][ref]``, ``[text][]``
and ``[ref]``, and autolinks ``<https://…>``) become inline HTML, ``<a href="…" title="…"
data-originalurl="…" data-versionurl="…" data-versiondate="…">text</a>``: only the brackets
and the destination are replaced, the link text is kept byte for byte. CommonMark passes such
inline tags through and still renders the Markdown between them (emphasis, code spans), so the
rendered link text is unchanged. Markdown's attribute syntaxes were considered and not used:
they are extensions with incompatible dialects (Pandoc's ``{key=value}``, kramdown's
``{: key="value"}``, Python-Markdown's ``attr_list``), while inline HTML is core CommonMark.
Renderers that strip raw HTML (Hugo's goldmark without ``unsafe``) or ``data-*`` attributes
(GitHub's sanitiser) show a plain link; the file keeps the attributes.

Inline HTML is not link syntax in every respect, so:

- each paragraph is rendered (with ``markdown-it-py``) before and after; a link whose
  conversion changes the rendering stays Markdown and is reported (an emphasis mark in the link
  text would pair with one after ``</a>``: a link's text is a boundary, raw HTML is not). When
  it does change, the culprits are looked for near the links whose text holds Markdown syntax,
  then by bisection, so a long paragraph takes near-linear time, not quadratic;
- brackets that only the link's syntax kept from being a link (``[see [x](url) too](other)``:
  links may not contain links) get a backslash, ``\\[``, so that they stay text;
- a link that starts a paragraph with its text on the next line stays Markdown: its ``<a …>``
  alone on the line would open an HTML block.

Code spans, fenced and indented code blocks, YAML/TOML front matter and reference definitions
are never touched; HTML blocks and inline ``<a>`` tags are handled as HTML. Block structure
comes from ``markdown-it-py`` (a CommonMark parser, installed with ``rich``); links are then
found in each paragraph, heading and table cell by a scanner that follows CommonMark's link
syntax (where markdown-it-py departs from the specification, as with ``[ref][[x]]``, links
whose reading depends on it are left as they are).

Where versions come from is the caller's choice (``versions=``): a mapping, a function, or
:func:`version_finder`, which asks the snapshot store first and the web archives only when
given their clients (so nothing goes online unless asked).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal, TypeAlias, cast
from urllib.parse import unquote, urlsplit

import attrs
import lxml.html
from markdown_it import MarkdownIt

from ..documents import MARKUP_SUFFIXES, syntax_for
from ..errors import ArchiveError
from ..model import ClaimSet, as_utc, surt
from ..sources import Capture, MementoClient, SavePageNow, Wayback
from ..store import SnapshotStore, write_atomically

__all__ = [
    "DateFormat",
    "LinkStatus",
    "LinkTo",
    "NoVersion",
    "RobustLink",
    "Syntax",
    "Version",
    "VersionLookup",
    "VersionSource",
    "cited",
    "format_version_date",
    "robustify",
    "robustify_file",
    "version_finder",
]

Syntax: TypeAlias = Literal["html", "markdown"]
LinkTo: TypeAlias = Literal["original", "version"]
DateFormat: TypeAlias = Literal["date", "datetime"]

_ROBUST_ATTRIBUTES = ("data-originalurl", "data-versionurl", "data-versiondate")
# An absolute http(s) URL with a host and no whitespace or control characters.
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
# A replay URL of a Wayback-style archive (Internet Archive, pywb, OpenWayback, archive.today):
# the capture's 8-14 digit timestamp, an optional replay modifier, then the original URL.
_REPLAY = re.compile(
    r"https?://[^/?#\s]+(?:/[^/?#\s]*)*?/(\d{8,14})(?:[a-z]{2}_)?/(https?://\S+)", re.IGNORECASE
)


def _check_version_url(_instance: object, _attribute: object, value: str) -> None:
    if _http_url(value) != value:
        raise ValueError(f"a version URL must be an absolute http(s) URL, not {value!r}")


class LinkStatus(enum.StrEnum):
    """What :func:`robustify` did with a link."""

    ADDED = "added"
    """The link now carries the Robust Links attributes."""
    UPDATED = "updated"
    """The link carried Robust Links attributes; they were replaced (``update=True``)."""
    ALREADY = "already-robust"
    """The link already carried Robust Links attributes and was left as it is."""
    MISSING = "no-version"
    """No archived copy is known: the link was left unchanged."""


@attrs.frozen
class Version:
    """An archived copy of a page: its URL (a memento, URI-M) and when it was captured.

    ``date`` is the capture time the archive gives (``Memento-Datetime``), as an aware UTC
    date-time (a naive one is taken as UTC, a date as its midnight). ``source`` says where it was
    found (``"store"``, ``"wayback"``, a TimeGate base, ``"save-page-now"``, ``"href"``);
    ``note`` anything a reader of the report should know (a copy made after the citation date).
    """

    url: str = attrs.field(validator=_check_version_url)
    date: dt.datetime = attrs.field(converter=as_utc)
    source: str = ""
    note: str = ""


@attrs.frozen
class NoVersion:
    """A look-up that found no archived copy, and why (for the report)."""

    reason: str


VersionLookup: TypeAlias = Callable[[str], Version | NoVersion | None]
VersionSource: TypeAlias = VersionLookup | Mapping[str, Version]


@attrs.frozen
class RobustLink:
    """One absolute http(s) link of a statement and what became of it.

    - ``url``: the page the link cites (its ``href``, or ``data-originalurl`` when the link
      already named one).
    - ``line``/``column``: where the link starts in the input (1-based; the ``<`` of the tag,
      the ``[`` of a Markdown link).
    - ``status``: see :class:`LinkStatus`.
    - ``version_url``/``version_date``: the archived copy the link now carries (or already
      carried), when there is one.
    - ``source``: where that copy was found; ``message``: why there is none, or a note on it.
    """

    url: str
    line: int
    column: int
    status: LinkStatus
    version_url: str | None = None
    version_date: dt.datetime | None = None
    source: str | None = None
    message: str = ""


# -------------------------------------------------------------------------------------------
# Dates and URLs


def format_version_date(moment: dt.datetime | dt.date, form: DateFormat = "date") -> str:
    """``moment`` as a ``data-versiondate`` value: ``YYYY-MM-DD`` (UTC), or with
    ``form="datetime"`` ``YYYY-MM-DDThh:mm:ssZ``; both ISO 8601, as the specification asks."""
    utc = as_utc(moment)
    if form == "datetime":
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return utc.strftime("%Y-%m-%d")


def _parse_version_date(value: str) -> dt.datetime | None:
    """A ``data-versiondate`` as others write it: an ISO 8601 date or date-time, or a Wayback
    timestamp (``YYYYMMDD[hhmmss]``); ``None`` when it is none of these."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{8}(?:\d{6})?", text):
            form = "%Y%m%d%H%M%S" if len(text) == 14 else "%Y%m%d"
            return dt.datetime.strptime(text, form).replace(tzinfo=dt.UTC)
        return as_utc(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def _http_url(value: str) -> str | None:
    """``value`` without surrounding ASCII whitespace when it is an absolute http(s) URL with a
    host and no whitespace, control characters or lone surrogates; else ``None``."""
    candidate = value.strip(" \t\n\f\r")
    if not _HTTP_URL.fullmatch(candidate):
        return None
    try:
        candidate.encode("utf-8")
        host = urlsplit(candidate).hostname
    except (UnicodeEncodeError, ValueError):
        return None
    return candidate if host else None


def _snapshot_in(url: str) -> tuple[str, Version] | None:
    """The original URL and the archived copy that a replay URL names
    (``…/web/20210420120000/https://…``), when it is one."""
    match = _REPLAY.fullmatch(url)
    if match is None or _http_url(match.group(2)) is None:
        return None
    stamp = match.group(1).ljust(14, "0")
    try:
        moment = dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return match.group(2), Version(url=url, date=moment, source="href")


# -------------------------------------------------------------------------------------------
# Where versions come from


def _citation_dates(claim_sets: Iterable[ClaimSet]) -> dict[str, dt.date]:
    """The date each cited URL was cited at, by SURT key: the latest ``accessed`` date a claims
    file gives for it, else the publication date of the statement citing it."""
    accessed: dict[str, dt.date] = {}
    published: dict[str, dt.date] = {}
    for claim_set in claim_sets:
        for claim in claim_set.claims:
            for source in claim.sources:
                if _http_url(source.url) is None:
                    continue
                key = surt(source.url)
                if source.accessed is not None:
                    accessed[key] = max(accessed.get(key, source.accessed), source.accessed)
                elif claim_set.statement.published is not None:
                    date = claim_set.statement.published
                    published[key] = max(published.get(key, date), date)
    return {**published, **accessed}


def cited(claim_sets: Iterable[ClaimSet]) -> Callable[[str], bool]:
    """A ``select`` for :func:`robustify`: true for the URLs the claims files cite (compared by
    SURT key: scheme, ``www.``, query order and fragment do not matter)."""
    keys = frozenset(
        surt(source.url)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
        if _http_url(source.url) is not None
    )
    return lambda url: surt(url) in keys


def _end_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return as_utc(day) + dt.timedelta(days=1) - dt.timedelta(seconds=1)


def _choose(
    versions: Sequence[Version], day: dt.date | None
) -> tuple[Version | None, Version | None]:
    """The latest version at or before the end of ``day`` (of all, without a day), and the
    earliest after it."""
    limit = _end_of(day)
    before = [v for v in versions if limit is None or v.date <= limit]
    after = [v for v in versions if limit is not None and v.date > limit]
    return (
        max(before, key=lambda v: v.date) if before else None,
        min(after, key=lambda v: v.date) if after else None,
    )


def _from_capture(capture: Capture, source: str) -> Version | None:
    if _http_url(capture.archive_url) != capture.archive_url:
        return None
    return Version(url=capture.archive_url, date=capture.timestamp, source=source)


def version_finder(
    store: SnapshotStore | None = None,
    *,
    claim_sets: Iterable[ClaimSet] = (),
    wayback: Wayback | None = None,
    mementos: Iterable[MementoClient] = (),
    save_page_now: SavePageNow | None = None,
) -> VersionLookup:
    """A look-up of the archived copy to cite for a URL, for :func:`robustify`.

    The copy "as cited" is the latest one captured at or before the day the URL was cited: the
    latest ``accessed`` date the claims files give for it, else the publication date of the
    statement citing it; a URL with neither gets the latest copy. In order:

    1. the snapshot store: captures with an ``archive_url`` (copies fetched from a web archive;
       local and live captures have no public URL to link to);
    2. only when ``wayback`` is given: the Wayback Machine's CDX index (:meth:`Wayback.nearest`);
       then, when given, each Memento archive's TimeMap;
    3. when no copy precedes the citation day, the earliest copy after it (store or archives),
       with a note saying so;
    4. only when ``save_page_now`` is given and nothing was found: Save Page Now captures the
       page now (it needs archive.org keys: without them ``MissingCredentialsError`` is raised
       at the first such link rather than reported once per link).

    Archive failures (unreachable, rate-limited) do not stop the run: the link is reported
    with the reason (:class:`NoVersion`).
    """
    dates = _citation_dates(claim_sets)
    timegates = tuple(mementos)
    online = wayback is not None or bool(timegates)

    def stored(url: str) -> list[Version]:
        if store is None:
            return []
        versions = []
        for snapshot in store.snapshots(url):
            archive_url = snapshot.archive_url
            if archive_url is None or _http_url(archive_url) != archive_url:
                continue
            versions.append(Version(url=archive_url, date=snapshot.captured, source="store"))
        return versions

    def find(url: str) -> Version | NoVersion | None:
        day = dates.get(surt(url))
        best, later = _choose(stored(url), day)
        if best is not None:
            return best
        problems: list[str] = []
        afterwards = [later] if later is not None else []
        if wayback is not None:
            try:
                capture = wayback.nearest(url, day)
            except ArchiveError as error:
                problems.append(f"Wayback: {error}")
            else:
                found = _from_capture(capture, "wayback") if capture is not None else None
                best, later = _choose([found] if found else [], day)
                if best is not None:
                    return best
                afterwards += [later] if later is not None else []
        for memento in timegates:
            try:
                captures = memento.timemap(url)
            except ArchiveError as error:
                problems.append(f"{memento.timegate_base}: {error}")
                continue
            found_all = [v for c in captures if (v := _from_capture(c, memento.timegate_base))]
            best, later = _choose(found_all, day)
            if best is not None:
                return best
            afterwards += [later] if later is not None else []
        if afterwards:
            earliest = min(afterwards, key=lambda v: v.date)
            note = f"no copy captured on or before {day}; this one is the earliest after"
            return attrs.evolve(earliest, note=note)
        if save_page_now is not None:
            try:
                result = save_page_now.save(url)
            except ArchiveError as error:
                problems.append(f"Save Page Now: {error}")
            else:
                saved = result.archive_url
                if result.ok and saved and result.timestamp and _http_url(saved) == saved:
                    return Version(url=saved, date=result.timestamp, source="save-page-now")
                problems.append(f"Save Page Now: {result.message}")
        where = "the snapshot store or the web archives" if online else "the snapshot store"
        return NoVersion("; ".join(problems) or f"no archived copy in {where}")

    return find


def _lookup_from(versions: VersionSource) -> VersionLookup:
    if not isinstance(versions, Mapping):
        return versions
    by_key: dict[str, Version] = {}
    for url, version in versions.items():
        by_key.setdefault(surt(url), version)

    def lookup(url: str) -> Version | None:
        return versions.get(url) or by_key.get(surt(url))

    return lookup


# -------------------------------------------------------------------------------------------
# Start tags and their attributes


@attrs.frozen
class _Attribute:
    """One attribute of a start tag: its lower-cased name, its span in the tag's text (from
    the name to the end of the value) and its value with character references decoded."""

    name: str
    start: int
    end: int
    value: str | None


_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_SPACE = " \t\n\f\r"


def _attributes(tag: str) -> tuple[list[_Attribute], int]:
    """The attributes of a start tag's source text, and where a new attribute may go (after the
    last one), following the HTML tokenizer's attribute states."""
    name_match = _TAG_NAME.match(tag)
    position = name_match.end() if name_match else 1
    insert_at = position
    found: list[_Attribute] = []
    length = len(tag)
    while position < length:
        char = tag[position]
        if char in _SPACE or char == "/":
            position += 1
            continue
        if char == ">":
            break
        start = position
        position += 1  # the first character may be "=" (it is then part of the name)
        while position < length and tag[position] not in _SPACE and tag[position] not in "/>=":
            position += 1
        name = tag[start:position].lower()
        end = position
        look = position
        while look < length and tag[look] in _SPACE:
            look += 1
        value: str | None = None
        if look < length and tag[look] == "=":
            look += 1
            while look < length and tag[look] in _SPACE:
                look += 1
            if look < length and tag[look] in "\"'":
                close = tag.find(tag[look], look + 1)
                close = length - 1 if close < 0 else close
                value, end = tag[look + 1 : close], close + 1
            else:
                stop = look
                while stop < length and tag[stop] not in _SPACE and tag[stop] != ">":
                    stop += 1
                value, end = tag[look:stop], stop
            position = end
        found.append(
            _Attribute(name, start, end, html.unescape(value) if value is not None else None)
        )
        insert_at = end
    return found, insert_at


def _first(attributes: Sequence[_Attribute], name: str) -> _Attribute | None:
    return next((attribute for attribute in attributes if attribute.name == name), None)


# The elements whose content the HTML tokenizer reads as text, not markup, up to their end tag
# (the tree builder switches it to the RAWTEXT state for the first six, to RCDATA for <title>
# and <textarea>, to script data for <script>) or, for <plaintext>, to the end of the document.
# <noscript> is left out: its content is markup when scripting is off (as lxml and html.parser
# read it), and is not displayed when scripting is on, so a link in it may be decorated.
_TEXT_ELEMENTS = frozenset(
    {"style", "xmp", "iframe", "noembed", "noframes", "script", "title", "textarea", "plaintext"}
)
# Start tags (and the end tags </p> and </br>) that end SVG or MathML content.
_BREAKOUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img"
    " li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul"
    " var".split()
)
_MATHML_TEXT_POINTS = frozenset({"mi", "mo", "mn", "ms", "mtext"})
_SVG_HTML_POINTS = frozenset({"foreignobject", "desc", "title"})
_HTML_ENCODINGS = ("text/html", "application/xhtml+xml")


@attrs.define
class _HtmlContext:
    """What the HTML tokenizer makes of what follows a tag: markup, or the text content of an
    element (``text``: ``<textarea>``, ``<title>``, ``<script>``… up to their end tag,
    ``<plaintext>`` to the end), whose ``<a …>`` is no link and must be left as it is.

    Only in HTML content: in SVG and MathML (``foreign``: the open foreign elements, as
    (namespace, name, whether it is an HTML integration point)) ``<title>``, ``<style>`` and
    ``<script>`` are ordinary elements, and ``<x/>`` is an empty one. A self-closing ``<title/>``
    does not open text in HTML content either (browsers would read a start tag; XHTML an empty
    element), as ``html.parser`` reads it. An approximation of the tree builder, as the
    standard library's own (Python 3.14) is: HTML elements are not tracked."""

    text: str | None = None
    foreign: list[tuple[str, str, bool]] = attrs.Factory(list)

    def _html_rules(self, tag: str | None = None) -> bool:
        """Whether the start tag ``tag`` (without one: any start tag) is read by the rules for
        HTML content."""
        if not self.foreign:
            return True
        namespace, name, point = self.foreign[-1]
        if namespace == "math" and name in _MATHML_TEXT_POINTS:
            return tag not in ("mglyph", "malignmark")
        return point or (namespace == "math" and name == "annotation-xml" and tag == "svg")

    def _leave_foreign(self) -> None:
        while not self._html_rules():
            self.foreign.pop()

    def block(self) -> None:
        """Follow the tags a Markdown renderer writes around a paragraph, heading, list item or
        table (``<p>``, ``</p>``, ``<h1>``…): outside text, they end SVG and MathML content."""
        if self.text is None:
            self._leave_foreign()

    def start(self, tag: str, attributes: Mapping[str, str | None], closed: bool) -> None:
        """Follow the start tag ``tag`` (lower case; ``closed``: written ``<tag … />``)."""
        if not self._html_rules(tag):
            font = tag == "font" and not {"color", "face", "size"}.isdisjoint(attributes)
            if tag not in _BREAKOUT and not font:
                if not closed:
                    namespace = self.foreign[-1][0]
                    encoding = (attributes.get("encoding") or "").lower()
                    point = (
                        tag in _SVG_HTML_POINTS
                        if namespace == "svg"
                        else tag == "annotation-xml" and encoding in _HTML_ENCODINGS
                    )
                    self.foreign.append((namespace, tag, point))
                return
            self._leave_foreign()
        if tag in ("svg", "math"):
            if not closed:
                self.foreign.append((tag, tag, False))
        elif tag in _TEXT_ELEMENTS and not closed:
            self.text = tag

    def end(self, tag: str) -> None:
        """Follow the end tag ``tag`` (lower case)."""
        if self.text is not None:
            if tag == self.text and tag != "plaintext":
                self.text = None
            return
        if not self.foreign:
            return
        if tag in ("p", "br") and not self._html_rules():
            self._leave_foreign()
            return
        for index in range(len(self.foreign) - 1, -1, -1):
            if self.foreign[index][1] == tag:
                del self.foreign[index:]
                return


def _attribute_map(tag: str) -> dict[str, str | None]:
    """The attributes of a start tag's source text by name (the first of each name counts)."""
    return {a.name: a.value for a in reversed(_attributes(tag)[0])}


def _attribute_text(name: str, value: str, *, markdown: bool) -> str:
    escaped = html.escape(value, quote=True)
    if markdown:  # a newline would split the tag; "|" would split a GFM table row
        escaped = escaped.replace("\n", "&#10;").replace("|", "&#124;")
    return f' {name}="{escaped}"'


# -------------------------------------------------------------------------------------------
# The rewriting


@attrs.frozen
class _Edit:
    start: int
    end: int
    text: str


@attrs.define
class _Run:
    """One robustify run: the options, the memoised look-up, and what was found."""

    source: str
    lookup: VersionLookup
    link_to: LinkTo
    date_format: DateFormat
    update: bool
    select: Callable[[str], bool] | None
    markdown: bool
    edits: list[_Edit] = attrs.Factory(list)
    links: list[RobustLink] = attrs.Factory(list)
    cache: dict[str, Version | NoVersion] = attrs.Factory(dict)
    line_starts: list[int] = attrs.Factory(list)
    context: _HtmlContext = attrs.Factory(_HtmlContext)

    def __attrs_post_init__(self) -> None:
        self.line_starts = _line_starts(self.source)

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def wanted(self, url: str) -> bool:
        return self.select is None or self.select(url)

    def version(self, url: str) -> Version | NoVersion:
        """The archived copy of ``url``, looked up once per run."""
        if url not in self.cache:
            try:
                found = self.lookup(url)
            except ArchiveError as error:
                found = NoVersion(str(error))
            self.cache[url] = found if found is not None else NoVersion("no archived copy known")
        return self.cache[url]

    def robust_link(
        self,
        offset: int,
        url: str,
        status: LinkStatus,
        version: Version | None = None,
        message: str = "",
    ) -> RobustLink:
        line, column = self.where(offset)
        note = version.note if version is not None else ""
        return RobustLink(
            url=url,
            line=line,
            column=column,
            status=status,
            version_url=version.url if version else None,
            version_date=version.date if version else None,
            source=version.source if version else None,
            message=message or note,
        )

    def report(
        self,
        offset: int,
        url: str,
        status: LinkStatus,
        version: Version | None = None,
        message: str = "",
    ) -> None:
        self.links.append(self.robust_link(offset, url, status, version, message))

    def decoration(
        self, href: str, original: str, version: Version
    ) -> tuple[str, list[tuple[str, str]]]:
        """The ``href`` and the Robust Links attributes of a link written ``href``, to the page
        ``original``, whose archived copy is ``version`` (the specification's two cases)."""
        date = format_version_date(version.date, self.date_format)
        if version.url == href:  # the author linked to a snapshot
            return href, [("data-originalurl", original), ("data-versiondate", date)]
        if self.link_to == "version":
            return version.url, [("data-originalurl", original), ("data-versiondate", date)]
        return href, [
            ("data-originalurl", original),
            ("data-versionurl", version.url),
            ("data-versiondate", date),
        ]

    # --- HTML start tags ---------------------------------------------------------------

    def anchor(self, offset: int, tag: str) -> None:
        """Decorate the ``<a …>`` start tag ``tag`` found at ``offset`` of the source."""
        attributes, insert_at = _attributes(tag)
        href_attribute = _first(attributes, "href")
        href = _http_url(href_attribute.value or "") if href_attribute is not None else None
        if href is None or href_attribute is None:
            return
        robust = [a for a in attributes if a.name in _ROBUST_ATTRIBUTES]
        named = _first(attributes, "data-originalurl")
        snapshot = _snapshot_in(href)
        original = (
            (_http_url(named.value or "") if named is not None else None)
            or (snapshot[0] if snapshot is not None else None)
            or href
        )
        if not self.wanted(original):
            return
        existing = self._existing(attributes, href)
        if robust and not self.update:
            self.report(offset, original, LinkStatus.ALREADY, existing)
            return
        version = snapshot[1] if snapshot is not None else self.version(original)
        if isinstance(version, NoVersion):
            if robust:
                self.report(offset, original, LinkStatus.ALREADY, existing, version.reason)
            else:
                self.report(offset, original, LinkStatus.MISSING, message=version.reason)
            return
        new_href, added = self.decoration(href, original, version)
        if new_href == href and {a.name: a.value for a in robust} == dict(added):
            self.report(offset, original, LinkStatus.ALREADY, version)
            return
        pieces = [(_space_before(tag, a.start), a.end, "") for a in robust]
        if new_href != href:
            quoted = _attribute_text("href", new_href, markdown=self.markdown)[1:]
            pieces.append((href_attribute.start, href_attribute.end, quoted))
        text = "".join(_attribute_text(n, v, markdown=self.markdown) for n, v in added)
        pieces.append((insert_at, insert_at, text))
        self.edits.append(_Edit(offset, offset + len(tag), _splice(tag, pieces)))
        self.report(offset, original, LinkStatus.UPDATED if robust else LinkStatus.ADDED, version)

    def _existing(self, attributes: Sequence[_Attribute], href: str) -> Version | None:
        """The version a link already names (``data-versionurl``, or ``href`` when the link
        names its original apart), for the report."""
        named = _first(attributes, "data-versionurl")
        words = (named.value or "").split() if named is not None else []
        url = words[0] if words else None
        if url is None and _first(attributes, "data-originalurl") is not None:
            url = href
        url = _http_url(url) if url is not None else None
        dated = _first(attributes, "data-versiondate")
        date = _parse_version_date(dated.value or "") if dated is not None else None
        if url is None or date is None:
            return None
        return Version(url=url, date=date, source="document")

    # --- Markdown links ----------------------------------------------------------------

    def markdown_link(self, link: _MarkdownLink) -> _Conversion | None:
        """The edits turning a Markdown link into an inline HTML Robust Link, or ``None``
        (reported when the link is one to robustify)."""
        url = _http_url(link.url)
        if url is None or url != link.url:
            return None
        snapshot = _snapshot_in(url)
        original = snapshot[0] if snapshot is not None else url
        if not self.wanted(original):
            return None
        version = snapshot[1] if snapshot is not None else self.version(original)
        if isinstance(version, NoVersion):
            self.report(link.start, original, LinkStatus.MISSING, message=version.reason)
            return None
        if link.unsafe:
            self.report(link.start, original, LinkStatus.MISSING, message=link.unsafe)
            return None
        href, added = self.decoration(url, original, version)
        attributes = [("href", href)]
        if link.title:
            attributes.append(("title", link.title))
        opening = "<a" + "".join(
            _attribute_text(n, v, markdown=True) for n, v in [*attributes, *added]
        )
        text_span: tuple[int, int] | None = None
        if link.text_start is None or link.text_end is None:  # an autolink: its text is the URL
            shown = html.escape(link.shown or link.url, quote=False)
            text = re.sub(r"([\\`*_\[\]~])", r"\\\1", shown)
            edits: tuple[_Edit, ...] = (_Edit(link.start, link.end, f"{opening}>{text}</a>"),)
        else:
            text_span = (link.text_start, link.text_end)
            edits = (
                _Edit(link.start, link.text_start, opening + ">"),
                _Edit(link.text_end, link.end, "</a>"),
            )
        robust = self.robust_link(link.start, original, LinkStatus.ADDED, version)
        return _Conversion(edits, robust, link.start, link.end, text_span)


@attrs.frozen
class _Conversion:
    """A Markdown link made inline HTML: the edits, the link to report once they stand, and
    the spans of the link and of its text in the source."""

    edits: tuple[_Edit, ...]
    link: RobustLink
    start: int
    end: int
    text: tuple[int, int] | None  # the span of the link's text (None for an autolink)


_NEWLINE = re.compile("\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str, breaks: re.Pattern[str] = _NEWLINE) -> list[int]:
    """Where each line of ``text`` starts. Lines end at ``\\n`` as reports count them (and
    ``html.parser``); Markdown's block parser also ends them at ``\\r`` (``_LINE_BREAK``)."""
    return [0, *(match.end() for match in breaks.finditer(text))]


def _line_offset(text: str, starts: Sequence[int], line: int) -> int:
    """Where the 0-based ``line`` starts (the end of ``text`` past its last line)."""
    return starts[line] if line < len(starts) else len(text)


def _space_before(tag: str, start: int) -> int:
    """``start`` moved back over the whitespace before it, so an attribute goes with its
    separating space."""
    while start > 0 and tag[start - 1] in _SPACE:
        start -= 1
    return start


def _splice(tag: str, pieces: list[tuple[int, int, str]]) -> str:
    """``tag`` with the spans of ``pieces`` replaced (an empty span inserts)."""
    out: list[str] = []
    position = 0
    for start, end, text in sorted(pieces, key=lambda piece: (piece[0], piece[1])):
        out.append(tag[position:start] if start > position else "")
        out.append(text)
        position = max(position, end)
    out.append(tag[position:])
    return "".join(out)


def _apply(source: str, edits: list[_Edit]) -> str:
    out: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:  # overlapping edits never happen; refuse rather than mangle
            continue
        out.append(source[position : edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(source[position:])
    return "".join(out)


# --- HTML documents ------------------------------------------------------------------------


_SCRIPT_END = re.compile(r"</script(?=[\t\n\r\f />])", re.IGNORECASE)
# What changes the state of the HTML tokenizer in script data, in its escaped state ("<!--"),
# and in its double escaped state ("<!--" then "<script"), where "</script>" does not end it.
_SCRIPT_STATES = {
    "data": re.compile(r"(<!--)|</script(?=[\t\n\r\f />])", re.IGNORECASE),
    "escaped": re.compile(r"(-->)|</script(?=[\t\n\r\f />])|(<script[\t\n\r\f />])", re.I),
    "double": re.compile(r"(-->)|(</script[\t\n\r\f />])", re.IGNORECASE),
}


def _script_end(text: str, position: int) -> int | None:
    """Where the script whose content starts at ``position`` ends (the ``<`` of its end tag),
    following the tokenizer's script data states: ``document.write('<script …></script>')``
    between ``<!--`` and ``-->`` does not end it."""
    state = "data"
    while (found := _SCRIPT_STATES[state].search(text, position)) is not None:
        if state == "data" and found.group(1):
            state, position = "escaped", found.end() - 2  # "<!-->" opens and closes
        elif state == "escaped" and found.group(2):
            state, position = "double", found.end() - 1
        elif found.group(1):  # "-->"
            state, position = "data", found.end()
        elif state == "double":  # "</script" ends the double escape only
            state, position = "escaped", found.end() - 1
        else:
            return found.start()
    return None


class _ScriptEnd:
    """The ``interesting`` pattern of :class:`_AnchorFinder` in a script: finds the end tag
    that ends it (:func:`_script_end`)."""

    def search(self, text: str, position: int = 0) -> re.Match[str] | None:
        end = _script_end(text, position)
        return None if end is None else _SCRIPT_END.match(text, end)

    def match(self, text: str, position: int = 0) -> re.Match[str] | None:
        return _SCRIPT_END.match(text, position)


# The rest of an end tag after its name, up to its ">" (which a quoted value may hold).
_END_TAG_REST = re.compile(
    r"""(?:=[\t\n\r\f ]*(?:"[^"]*"|'[^']*')|=(?![\t\n\r\f ]*["'])|[^>=])*>"""
)


class _PlaintextError(Exception):
    """Stops the tokenizer at ``<plaintext>``: the rest of the document is text."""


class _AnchorFinder(HTMLParser):
    """Finds the ``<a>`` start tags of an HTML text with their source offsets, but not in the
    elements whose content is text (``<textarea>``, ``<title>``, ``<script>``…: see
    :class:`_HtmlContext`, which decides that, not ``html.parser``: its rules differ between
    Python releases)."""

    def __init__(self, text: str, context: _HtmlContext) -> None:
        super().__init__(convert_charrefs=True)
        self._text = text
        self._line_starts = _line_starts(text)
        self.context = context
        self.anchors: list[tuple[int, str]] = []
        if context.text is not None:  # opened before (a Markdown HTML block after a paragraph)
            self._read_text(context.text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        self.context.end(tag)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if tag == "a":
            raw = self.get_starttag_text()
            line, column = self.getpos()
            offset = self._line_starts[line - 1] + column
            if raw is not None and self._text.startswith(raw, offset):
                self.anchors.append((offset, raw))
        self.context.start(tag, dict(reversed(attrs)), closed)
        if self.context.text is not None:
            self._read_text(self.context.text)

    def _read_text(self, element: str) -> None:
        """Read what follows as the text content of ``element``, up to its end tag: ``</name``
        then a space, ``/`` or ``>``, as the HTML tokenizer ends it."""
        if element == "plaintext":
            raise _PlaintextError
        super().set_cdata_mode(element)
        if element == "script":
            self.interesting = cast("re.Pattern[str]", _ScriptEnd())
        else:
            self.interesting = re.compile(rf"</{element}(?=[\t\n\r\f />])", re.IGNORECASE)

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        """Ignored: :meth:`_read_text` is called where :class:`_HtmlContext` says."""

    def parse_endtag(self, i: int) -> int:
        """The end tag of an element whose content is text ends it even with attributes
        (``</textarea class=x>``), as the HTML tokenizer reads it; Python 3.11's parser reads
        such a tag as more text."""
        if self.cdata_elem is not None and self.interesting.match(self.rawdata, i):
            rest = _END_TAG_REST.match(self.rawdata, i + 2 + len(self.cdata_elem))
            if rest is None:
                return -1  # not complete: text (at the end of the input)
            self.handle_endtag(self.cdata_elem)
            self.clear_cdata_mode()
            return rest.end()
        return super().parse_endtag(i)

    def parse_html_declaration(self, i: int) -> int:
        """``<![`` other than ``<![CDATA[`` is a bogus comment up to the next ``>`` (HTML's
        tokenizer); Python 3.11's parser raises an ``AssertionError`` on it."""
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
        return super().parse_html_declaration(i)


def _html_anchors(text: str, context: _HtmlContext | None = None) -> list[tuple[int, str]]:
    """The ``<a>`` start tags of ``text`` (offset, source), with ``context`` as it stands
    before ``text``; ``context`` is left as it stands after it."""
    context = context if context is not None else _HtmlContext()
    if context.text == "plaintext":
        return []
    finder = _AnchorFinder(text, context)
    try:
        finder.feed(text)
        finder.close()
    except AssertionError:  # the standard parser's last resort on malformed markup
        pass
    except _PlaintextError:
        pass
    return finder.anchors


# --- Markdown documents --------------------------------------------------------------------


@attrs.frozen
class _MarkdownLink:
    """A Markdown link found in the source: its span, its text's span (``None`` for an
    autolink, whose text ``shown`` is its URL as renderers display it), its destination and
    title (escapes and entities decoded)."""

    start: int
    end: int
    url: str
    title: str | None
    text_start: int | None
    text_end: int | None
    unsafe: str = ""
    shown: str | None = None


_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_DECODE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\x00-\x1f\x7f]*)>")
_EMAIL_AUTOLINK = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>")
_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_OPEN_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9-]*){_ATTRIBUTE}*\s*/?>")
_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_OTHER_HTML = re.compile(
    r"<!-->|<!--->|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>", re.DOTALL
)
_FRONT_MATTER = re.compile(
    r"(---|\+\+\+)[ \t]*\r?\n(?:.*?\r?\n)??(?:\1|\.\.\.)[ \t]*(?:\r?\n|$)", re.DOTALL
)
_CONTAINER_PREFIX = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*")
# Characters lxml refuses (it parses only what XML could hold); replaced alike on both sides.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINK_LABEL = re.compile(r"\[((?:[^\\\[\]]|\\.){0,999})\]", re.DOTALL)

# Checking that conversions leave a paragraph's rendering as it was (_MarkdownScanner._settle).
_RENDERS_DIFFERENTLY = "left as Markdown: as inline HTML it would render differently"
_NOT_CHECKED = (
    "left as Markdown: its paragraph has too many links that would render differently as"
    " inline HTML to check this one"
)
_WINDOW = 2048  # characters of risky links checked together near where they are
_MARGIN = 64  # characters of context around them
_SMALL = 1 << 15  # characters any paragraph may render for its checks, however few its links
# Markdown syntax in a link's text that could pair with syntax outside it (emphasis, code,
# brackets, raw HTML, escapes), once the link is inline HTML.
_RISKY = re.compile(r"[\\`*_\[\]<]")


def _windows(pending: Sequence[_Conversion], indices: Sequence[int]) -> list[list[int]]:
    """The conversions ``indices`` name, in runs spanning at most :data:`_WINDOW` characters
    (or one longer link)."""
    windows: list[list[int]] = []
    for index in indices:
        if windows and pending[index].end - pending[windows[-1][0]].start <= _WINDOW:
            windows[-1].append(index)
        else:
            windows.append([index])
    return windows


def _render_budget(count: int, length: int) -> int:
    """How many renderings checking ``count`` links in ``length`` characters may take: enough
    to bisect to a few culprits (about 2 log2(count) each), and at least :data:`_SMALL`
    characters' worth (short paragraphs are checked link by link)."""
    return max(4 + 2 * count.bit_length(), _SMALL // max(length, 1))


@attrs.define
class _Trials:
    """Adaptive group testing: which items can be kept together, ``fits`` saying whether a set
    of items can (one rendering), within a budget of ``fits`` calls. With k culprits among n
    items, bisecting finds them in about 2k log2(n/k) calls, instead of n."""

    fits: Callable[[Sequence[int]], bool]
    budget: int
    kept: list[int] = attrs.Factory(list)
    failed: list[int] = attrs.Factory(list)
    unchecked: list[int] = attrs.Factory(list)

    def together(self, items: Sequence[int]) -> bool:
        """Keep ``items`` if they fit, all together, with those kept (one call)."""
        if not items:
            return True
        if self.budget <= 0:
            return False
        self.budget -= 1
        if not self.fits([*self.kept, *items]):
            return False
        self.kept += items
        return True

    def search(self, items: Sequence[int]) -> None:
        """Keep what fits of ``items``: a part that does not fit is halved, down to single
        items, which fail. What the budget leaves untried is unchecked."""
        stack = [list(items)]
        while stack:
            part = stack.pop()
            if not part:
                continue
            if self.budget <= 0:
                self.unchecked += part
            elif not self.together(part):
                if len(part) == 1:
                    self.failed += part
                else:
                    half = len(part) // 2
                    stack += [part[half:], part[:half]]


def _decode(value: str) -> str:
    """Backslash escapes and character references decoded, as CommonMark does in link
    destinations and titles."""
    return _DECODE.sub(lambda m: m.group(1) or html.unescape(m.group(0)), value)


def _normalise_label(label: str) -> str:
    return " ".join(label.split()).lower().upper()


def _html_or_autolink_end(text: str, start: int, end: int) -> int | None:
    """Past the autolink or raw HTML at ``start`` (a ``<``), if there is one."""
    for pattern in (_AUTOLINK, _EMAIL_AUTOLINK, _OPEN_TAG, _CLOSE_TAG, _OTHER_HTML):
        match = pattern.match(text, start, end)
        if match is not None:
            return match.end()
    return None


def _skip_space(text: str, position: int, end: int) -> tuple[int, bool]:
    """Past spaces and tabs and at most one line ending; and whether any were skipped."""
    start = position
    newline = False
    while position < end:
        char = text[position]
        if char in " \t":
            position += 1
        elif char in "\r\n" and not newline:
            newline = True
            position += 2 if text.startswith("\r\n", position) else 1
        else:
            break
    return position, position > start


def _destination(text: str, position: int, end: int) -> tuple[str, int] | None:
    """A link destination at ``position``: ``<…>`` or a run without spaces or control
    characters whose parentheses balance."""
    if position < end and text[position] == "<":
        scan = position + 1
        while scan < end:
            char = text[scan]
            if char == "\\" and scan + 1 < end:
                scan += 2
                continue
            if char in "\n\r<":
                return None
            if char == ">":
                return text[position + 1 : scan], scan + 1
            scan += 1
        return None
    scan = position
    depth = 0
    while scan < end:
        char = text[scan]
        if char == "\\" and scan + 1 < end and text[scan + 1] in _ESCAPABLE:
            scan += 2
            continue
        if char <= " " or char == "\x7f":
            break
        if char == "(":
            depth += 1
            if depth > 32:
                return None
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        scan += 1
    if scan == position or depth != 0:
        return None
    return text[position:scan], scan


def _title(text: str, position: int, end: int) -> tuple[str, int] | None:
    """A link title at ``position``: ``"…"``, ``'…'`` or ``(…)``, without a blank line."""
    if position >= end or text[position] not in "\"'(":
        return None
    closer = ")" if text[position] == "(" else text[position]
    scan = position + 1
    while scan < end:
        char = text[scan]
        if char == "\\" and scan + 1 < end:
            scan += 2
            continue
        if char == closer:
            return text[position + 1 : scan], scan + 1
        if closer == ")" and char == "(":
            return None
        if char in "\r\n":
            rest = text[scan + 1 : end].lstrip(" \t")
            if rest.startswith(("\n", "\r")):
                return None
        scan += 1
    return None


def _inline_tail(text: str, position: int, end: int) -> tuple[str, str | None, int] | None:
    """The ``(destination "title")`` of an inline link at ``position`` (a ``(``): the decoded
    destination and title, and the position after the ``)``."""
    if position >= end or text[position] != "(":
        return None
    scan, _ = _skip_space(text, position + 1, end)
    if scan < end and text[scan] == ")":
        return "", None, scan + 1
    found = _destination(text, scan, end)
    if found is None:
        return None
    destination, scan = found
    title: str | None = None
    after, spaced = _skip_space(text, scan, end)
    if spaced and after < end and text[after] in "\"'(":
        found_title = _title(text, after, end)
        if found_title is None:
            return None
        title, scan = found_title
        scan, _ = _skip_space(text, scan, end)
    else:
        scan = after
    if scan >= end or text[scan] != ")":
        return None
    return _decode(destination), _decode(title) if title is not None else None, scan + 1


@attrs.frozen
class _Definition:
    url: str
    title: str | None


def _definitions(
    text: str, line_starts: Sequence[int], env: Mapping[str, object]
) -> dict[str, _Definition]:
    """The link reference definitions markdown-it-py found, read again from their source lines
    so that destinations keep the author's spelling (markdown-it-py percent-encodes them)."""
    references = env.get("references")
    if not isinstance(references, dict):
        return {}

    found: dict[str, _Definition] = {}
    for key, reference in references.items():
        if not isinstance(reference, dict):
            continue
        title = reference.get("title")
        found[key] = _Definition(str(reference.get("href", "")), str(title) if title else None)
        span = reference.get("map")
        if not (isinstance(span, list) and len(span) == 2):
            continue
        block = text[
            _line_offset(text, line_starts, span[0]) : _line_offset(text, line_starts, span[1])
        ]
        prefix = re.match(r"[ \t>]*", block)
        label = _LINK_LABEL.match(block, prefix.end() if prefix else 0)
        if label is None or _normalise_label(label.group(1)) != key:
            continue
        if not block.startswith(":", label.end()):
            continue
        position, _ = _skip_space(block, label.end() + 1, len(block))
        destination = _destination(block, position, len(block))
        if destination is None:
            continue
        url, position = destination
        parsed_title: str | None = None
        after, spaced = _skip_space(block, position, len(block))
        written = _title(block, after, len(block)) if spaced else None
        if written is not None:
            parsed_title = _decode(written[0])
        found[key] = _Definition(_decode(url), parsed_title)
    return found


@attrs.define
class _MarkdownScanner:
    """Finds the links of the inline content between ``start`` and ``end`` (a paragraph, a
    heading, a table row), following CommonMark's precedence: code spans, autolinks and raw
    HTML bind first, then brackets; a link may not contain another link (the inner one wins),
    an image may.

    One left-to-right pass per region finds the code spans and pairs the brackets; links are
    then resolved innermost first, so nesting costs linear time, not exponential.

    Raw HTML is followed as a browser would read the rendered page (:class:`_HtmlContext`, kept
    from region to region): in ``<textarea>``, ``<title>``, ``<script>``… what Markdown renders
    is text, so its links are left as they are."""

    text: str
    definitions: Mapping[str, _Definition]
    run: _Run
    parser: MarkdownIt
    env: dict[str, object]
    code: dict[int, int] = attrs.Factory(dict)
    closers: dict[int, int] = attrs.Factory(dict)
    opened: dict[int, int] = attrs.Factory(dict)
    images: set[int] = attrs.Factory(set)
    links: dict[int, _MarkdownLink] = attrs.Factory(dict)
    blocked: list[int] = attrs.Factory(list)
    labels: set[int] = attrs.Factory(set)
    pending: list[_Conversion] = attrs.Factory(list)
    normalised: dict[str, str] = attrs.Factory(dict)

    def scan(self, start: int, end: int) -> None:
        self._prepare(start, end)
        text = self.text
        context = self.run.context
        context.block()
        position = start
        in_anchor = False
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
            elif char == "`":
                position = self.code.get(position, position + 1)
            elif char == "<":
                position, in_anchor = self._angle(position, end, in_anchor)
            elif context.text is not None:
                position += 1  # in a <textarea>, <title>, <script>…: text, no links
            elif char == "[" and position in self.links:
                link = self.links[position]
                if link.text_end is not None and link.end > link.text_end + 1:
                    self.labels.add(link.text_end + 1)  # "[text][label]": "[label]" is no link
                linked = position not in self.images and not in_anchor
                if linked and self._reference_before(position) is not None:
                    label_end = (link.text_end or position) + 1
                    if not _LINK_LABEL.fullmatch(text, position, label_end):
                        # "[ref][[x]](url)": renderers disagree on whether "[ref]" is a link
                        unsafe = "left as Markdown: the brackets before it could become a link"
                        link = attrs.evolve(link, unsafe=unsafe)
                conversion = self.run.markdown_link(link) if linked else None
                if conversion is not None:
                    self._convert(position, conversion)
                if position not in self.images and link.text_end is not None:
                    # (an image's text renders as its alt, without tags)
                    self._follow_tags(link.text_start or position, link.text_end)
                position = link.end
            else:
                position += 1
        context.block()
        self._commit(start, end)

    def _follow_tags(self, start: int, end: int) -> None:
        """Follow the raw HTML of a link's text, which :meth:`scan` steps over, in the
        :class:`_HtmlContext` (``[<textarea>](url)`` opens a textarea all the same)."""
        text = self.text
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
            elif char == "`":
                position = self.code.get(position, position + 1)
            elif char == "<":
                position = self._tag(position, end)
            else:
                position += 1

    def _prepare(self, start: int, end: int) -> None:
        text = self.text
        self.code.clear()
        self.closers.clear()
        self.images.clear()
        self.links.clear()
        self.blocked.clear()
        self.labels.clear()
        self.pending.clear()
        runs: dict[int, list[int]] = {}
        for match in re.finditer("`+", text[start:end]):
            runs.setdefault(len(match.group()), []).append(start + match.start())
        openers: list[int] = []
        escaped = -1
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                escaped = position + 1
                position += 2
            elif char == "`":
                stop = position
                while stop < end and text[stop] == "`":
                    stop += 1
                size = stop - position
                same = runs.get(size, [])
                following = bisect.bisect_right(same, position)
                closing = same[following] if following < len(same) else None
                self.code[position] = closing + size if closing is not None else stop
                position = self.code[position]
            elif char == "<":
                skip = _html_or_autolink_end(text, position, end)
                position = skip if skip is not None else position + 1
            else:
                if char == "[":
                    openers.append(position)
                    if position > start and text[position - 1] == "!" and escaped != position - 1:
                        self.images.add(position)
                elif char == "]" and openers:
                    self.closers[openers.pop()] = position
                position += 1
        self.opened = {close: opener for opener, close in self.closers.items()}
        inside = sorted(self.closers)
        for opener in sorted(self.closers, key=lambda o: self.closers[o]):
            close = self.closers[opener]
            first = bisect.bisect_right(inside, opener)
            last = bisect.bisect_left(inside, close)
            nested = any(
                o in self.links and o not in self.images and self.links[o].end <= close
                for o in inside[first:last]
            )
            link = self._link_at(opener, close, end)
            if link is not None and nested and opener not in self.images:
                self.blocked.append(opener)
            elif link is not None:
                self.links[opener] = link
        self.blocked.sort()

    def _convert(self, position: int, conversion: _Conversion) -> None:
        """Keep the conversion of the link at ``position`` for :meth:`_commit`, with escapes
        for the brackets that its Markdown syntax kept from being a link and its inline HTML
        would not: brackets around it (links may not contain links), and brackets just before
        it naming a reference (``[ref][text](url)`` holds no shortcut reference,
        ``[ref]<a …>`` does)."""
        enclosing = self.blocked[: bisect.bisect_left(self.blocked, position)]
        openers = [opener for opener in enclosing if self.closers[opener] > position]
        before = self._reference_before(position)
        if before is not None:
            openers.append(before)
        escapes = tuple(_Edit(opener, opener, "\\") for opener in openers)
        self.pending.append(attrs.evolve(conversion, edits=conversion.edits + escapes))

    def _commit(self, start: int, end: int) -> None:
        """Keep the conversions of the region that leave its rendering as it was.

        Inline HTML is not Markdown link syntax in every respect: an emphasis mark inside the
        link text may pair with one outside the ``</a>`` (a link's text is a boundary, raw HTML
        is not). So the region is rendered (with markdown-it-py) with and without the
        conversions; those that change the rendering are undone and reported (:meth:`_settle`
        finds them)."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        before = self._rendering(start, end, [])
        undone: dict[int, str] = {}
        if self._rendering(start, end, pending) != before:
            undone = self._settle(start, end, pending, before)
        for index, conversion in enumerate(pending):
            if index in undone:
                self.run.links.append(
                    attrs.evolve(
                        conversion.link,
                        status=LinkStatus.MISSING,
                        version_url=None,
                        version_date=None,
                        source=None,
                        message=undone[index],
                    )
                )
        accepted = [c for index, c in enumerate(pending) if index not in undone]
        self.run.links.extend(conversion.link for conversion in accepted)
        self.run.edits.extend(dict.fromkeys(e for c in accepted for e in c.edits))

    def _settle(
        self, start: int, end: int, pending: Sequence[_Conversion], before: list[tuple[str, ...]]
    ) -> dict[int, str]:
        """The conversions to undo (by index in ``pending``) and why, when together they change
        the region's rendering ``before``.

        Rendering the region once per link would take quadratic time on a long paragraph. But a
        link whose text holds no Markdown syntax (no ``*``, ``_``, backtick, bracket, ``<`` or
        backslash) and needs no escaped brackets renders the same as inline HTML: the
        characters on each side of it stay punctuation (``[``/``<``, ``)``/``>``), so emphasis
        around it pairs as before. The others, the risky ones, are checked so:

        1. near where they are: in windows of consecutive risky links (at most
           :data:`_WINDOW` characters, with :data:`_MARGIN` characters of context), rendered
           with and without their conversions; in a window that renders differently, each
           link alone. Those that change the rendering near them are the suspects;
        2. in the whole region: all the conversions but the suspects (one rendering, usually
           the last), or else the plain and the risky ones apart, each bisected to what does
           not fit (:class:`_Trials`); then each suspect (the first few only: one that changes
           the rendering near it is very likely to change the whole region's).

        What is kept is always checked by rendering the whole region: it renders as before.
        The renderings of the region are limited (:func:`_render_budget`), so a region costs
        O(length log links) however its links behave; links left unchecked are undone."""
        count = len(pending)
        if count == 1:
            return {0: _RENDERS_DIFFERENTLY}
        risky = [index for index, conversion in enumerate(pending) if self._risky(conversion)]
        suspects: list[int] = []
        for window in _windows(pending, risky):
            if not self._changes_near(pending, window, start, end):
                continue
            if len(window) == 1:
                suspects += window
            else:
                suspects += [i for i in window if self._changes_near(pending, [i], start, end)]
        suspected = set(suspects)
        trials = _Trials(
            lambda indices: self._rendering(start, end, [pending[i] for i in indices]) == before,
            _render_budget(count, end - start),
        )
        if not trials.together([i for i in range(count) if i not in suspected]):
            chosen = set(risky)
            trials.search([i for i in range(count) if i not in chosen])
            trials.search([i for i in risky if i not in suspected])
        retried = max(4, _SMALL // (end - start))
        for index in suspects[:retried]:
            trials.search([index])
        undone = dict.fromkeys(trials.failed + suspects[retried:], _RENDERS_DIFFERENTLY)
        for index in trials.unchecked:
            undone[index] = _RENDERS_DIFFERENTLY if index in suspected else _NOT_CHECKED
        return undone

    def _risky(self, conversion: _Conversion) -> bool:
        """Whether the conversion could change the rendering on its own: its link's text holds
        Markdown syntax, or brackets around it are escaped."""
        if conversion.text is None:  # an autolink: its text is escaped
            return len(conversion.edits) > 1
        return len(conversion.edits) > 2 or bool(_RISKY.search(self.text, *conversion.text))

    def _changes_near(
        self, pending: Sequence[_Conversion], indices: Sequence[int], start: int, end: int
    ) -> bool:
        """Whether the conversions change the rendering of the text around them (by
        :data:`_MARGIN` characters, within the region)."""
        low = max(start, pending[indices[0]].start - _MARGIN)
        high = min(end, pending[indices[-1]].end + _MARGIN)
        made = self._rendering(low, high, [pending[i] for i in indices])
        return made != self._rendering(low, high, [])

    def _rendering(
        self, start: int, end: int, conversions: Sequence[_Conversion]
    ) -> list[tuple[str, ...]]:
        """What the text between ``start`` and ``end`` renders to with ``conversions`` made
        (their edits outside it left out): each element's tag, text and tail, and for links and
        images their (normalised) URL and title, not the Robust Links attributes."""
        edits = dict.fromkeys(e for c in conversions for e in c.edits)
        moved = [_Edit(e.start - start, e.end - start, e.text) for e in edits if start <= e.start]
        fragment = _apply(self.text[start:end], [e for e in moved if e.end <= end - start])
        rendered = _NOT_XML.sub("\ufffd", self.parser.renderInline(fragment, self.env))
        tree = lxml.html.fragment_fromstring(rendered, create_parent="div")
        shape: list[tuple[str, ...]] = []
        for element in tree.iter():
            details: tuple[str, ...] = ()
            if element.tag in ("a", "img"):
                url = element.get("href" if element.tag == "a" else "src") or ""
                details = (
                    self._normalise(url),
                    element.get("title") or "",
                    element.get("alt") or "",
                )
            shape.append((str(element.tag), *details, element.text or "", element.tail or ""))
        return shape

    def _normalise(self, url: str) -> str:
        """``url`` as markdown-it-py normalises it, percent-decoded (memoised: a long paragraph
        is rendered several times)."""
        found = self.normalised.get(url)
        if found is None:
            found = self.normalised[url] = unquote(self.parser.normalizeLink(url))
        return found

    def _reference_before(self, position: int) -> int | None:
        """The opener of the brackets just before ``position`` when they name a reference but
        are no link (they are followed by brackets)."""
        before = self.opened.get(position - 1)
        if before is None or before in self.links or before in self.labels:
            return None
        label = self.text[before + 1 : position - 1]
        if label.strip() and _normalise_label(label) in self.definitions:
            return before
        return None

    def _angle(self, position: int, end: int, in_anchor: bool) -> tuple[int, bool]:
        """Past the autolink, raw HTML or ``<`` at ``position``, converting an autolink,
        decorating an ``<a …>`` tag and following the :class:`_HtmlContext`; and whether an
        ``<a>`` element is open."""
        text = self.text
        if self.run.context.text is None:
            autolink = _AUTOLINK.match(text, position, end)
            if autolink is not None:
                if not in_anchor:
                    url = autolink.group(1)
                    shown = self.parser.normalizeLinkText(url)
                    link = _MarkdownLink(
                        position, autolink.end(), url, None, None, None, shown=shown
                    )
                    conversion = self.run.markdown_link(link)
                    if conversion is not None:
                        self._convert(position, conversion)
                return autolink.end(), in_anchor
            opening = _OPEN_TAG.match(text, position, end)
            if opening is not None and opening.group(1).lower() == "a":
                self.run.anchor(position, opening.group(0))
                in_anchor = True
            closing = _CLOSE_TAG.match(text, position, end)
            if closing is not None and closing.group(1).lower() == "a":
                in_anchor = False
        return self._tag(position, end), in_anchor

    def _tag(self, position: int, end: int) -> int:
        """Past the raw HTML or autolink at ``position`` (a ``<``), or the ``<``, following
        its start or end tag in the :class:`_HtmlContext`: in an element whose content is
        text, only its end tag counts."""
        text = self.text
        context = self.run.context
        closing = _CLOSE_TAG.match(text, position, end)
        if closing is not None and context.text is not None:
            if closing.group(1).lower() == context.text:
                context.end(context.text)
            return closing.end()
        if closing is not None:
            context.end(closing.group(1).lower())
            return closing.end()
        opening = _OPEN_TAG.match(text, position, end)
        if opening is not None and context.text is None:
            tag, name = opening.group(0), opening.group(1).lower()
            attributes = _attribute_map(tag) if name in ("font", "annotation-xml") else {}
            context.start(name, attributes, tag.endswith("/>"))
            return opening.end()
        skip = _html_or_autolink_end(text, position, end)
        return skip if skip is not None else position + 1

    def _link_at(self, start: int, close: int, end: int) -> _MarkdownLink | None:
        """The link (inline or reference) whose text is between ``start`` (a ``[``) and
        ``close`` (its ``]``)."""
        text = self.text
        hazard = ""
        if self._opens_html_block(start):
            hazard = "left as Markdown: as inline HTML it would start an HTML block"
        tail = _inline_tail(text, close + 1, end)
        if tail is not None:
            url, title, stop = tail
            return _MarkdownLink(start, stop, url, title, start + 1, close, hazard)
        if text.startswith("(", close + 1) and not text[close + 2 : end].strip():
            return None  # "[ref](" ending the paragraph: markdown-it makes no link of it
        label = _LINK_LABEL.match(text, close + 1, end)
        if label is not None:
            name = label.group(1) if label.group(1).strip() else text[start + 1 : close]
            definition = self.definitions.get(_normalise_label(name))
            stop = label.end()
        elif close + 1 in self.closers:  # "[ref][[x]]": not a shortcut reference either
            return None
        else:
            definition = self.definitions.get(_normalise_label(text[start + 1 : close]))
            stop = close + 1
        if definition is None:
            return None
        return _MarkdownLink(
            start, stop, definition.url, definition.title, start + 1, close, hazard
        )

    def _opens_html_block(self, start: int) -> bool:
        """Whether an ``<a …>`` tag put at ``start`` would stand alone at the start of its line
        (after container markers), where CommonMark reads it as the start of an HTML block."""
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        prefix = _CONTAINER_PREFIX.match(text, line_start, start)
        if prefix is None or prefix.end() != start:
            return False
        line_end = text.find("\n", start)
        return not text[start + 1 : line_end if line_end >= 0 else len(text)].strip()


def _markdown_regions(
    text: str, parser: MarkdownIt
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], dict[str, _Definition], dict[str, object]]:
    """The spans of inline content (paragraphs, headings, table rows) and of HTML blocks, and
    the reference definitions, as markdown-it-py's CommonMark parser sees the blocks. Front
    matter is blanked out first (its lines kept, so line numbers still match)."""
    starts = _line_starts(text, _LINE_BREAK)
    body = text
    front = _FRONT_MATTER.match(text)
    if front is not None:
        body = "\n" * len(_LINE_BREAK.findall(front.group(0))) + text[front.end() :]
    env: dict[str, object] = {}
    inline: list[tuple[int, int]] = []
    blocks: list[tuple[int, int]] = []
    cells: dict[tuple[int, int], int] = {}
    in_cell = False
    for token in parser.parse(body, env):
        in_cell = token.type in ("th_open", "td_open") or (in_cell and token.type == "inline")
        if token.map is None:
            continue
        span = (_line_offset(text, starts, token.map[0]), _line_offset(text, starts, token.map[1]))
        if token.type == "inline" and in_cell:
            if span not in cells:
                inline.append(span)
            cells[span] = cells.get(span, 0) + 1
        elif token.type == "inline":
            inline.append(span)
        elif token.type == "html_block":
            blocks.append(span)
    regions: list[tuple[int, int]] = []
    for span in inline:
        if span in cells:
            regions.extend(_table_cells(text, *span)[: cells[span]])
        else:
            regions.append(span)
    return regions, blocks, _definitions(text, starts, env), env


def _table_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a table row, split on its unescaped pipes as GFM tables are (before any
    inline parsing: a pipe in a link or a code span splits it too)."""
    prefix = re.compile(r"[ \t>]*").match(text, start, end)
    position = prefix.end() if prefix else start
    stop = end
    while stop > position and text[stop - 1] in " \t\r\n":
        stop -= 1
    bounds = [position]
    scan = position
    while scan < stop:
        if text[scan] == "\\":
            scan += 2
            continue
        if text[scan] == "|":
            bounds.append(scan)
            bounds.append(scan + 1)
        scan += 1
    bounds.append(stop)
    spans = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if spans and spans[0][0] == spans[0][1]:
        spans.pop(0)
    if spans and spans[-1][0] == spans[-1][1]:
        spans.pop()
    return spans


# -------------------------------------------------------------------------------------------
# Entry points


def robustify(
    text: str,
    *,
    syntax: Syntax,
    versions: VersionSource,
    link_to: LinkTo = "original",
    date_format: DateFormat = "date",
    update: bool = False,
    select: Callable[[str], bool] | None = None,
) -> tuple[str, list[RobustLink]]:
    """Decorate the absolute http(s) links of ``text`` as Robust Links; return the new text and
    one :class:`RobustLink` per link considered, in document order.

    - ``syntax``: ``"html"`` (only ``<a>`` start tags change) or ``"markdown"`` (links become
      inline HTML ``<a>`` elements; code is never touched).
    - ``versions``: the archived copy of each URL: a mapping (by URL, also matched by SURT
      key), or a function returning a :class:`Version`, a :class:`NoVersion` (with the reason)
      or ``None``, such as :func:`version_finder`. Each URL is looked up once.
    - ``link_to``: ``"original"`` keeps ``href`` and adds ``data-versionurl`` (the default:
      "link to the original, decorate with the version"); ``"version"`` points ``href`` at the
      archived copy and keeps the original in ``data-originalurl``.
    - ``date_format``: ``data-versiondate`` as ``YYYY-MM-DD`` (``"date"``) or
      ``YYYY-MM-DDThh:mm:ssZ`` (``"datetime"``).
    - ``update``: re-decorate links that already carry Robust Links attributes (default: leave
      them, so that running twice changes nothing).
    - ``select``: only links whose URL it accepts are considered (see :func:`cited`).

    Links without a known version are left unchanged and reported with status
    ``no-version``. Nothing but the links changes.
    """
    run = _Run(
        source=text,
        lookup=_lookup_from(versions),
        link_to=link_to,
        date_format=date_format,
        update=update,
        select=select,
        markdown=syntax == "markdown",
    )
    if syntax == "html":
        for offset, tag in _html_anchors(text, run.context):
            run.anchor(offset, tag)
    elif syntax == "markdown":
        parser = MarkdownIt("commonmark").enable("table")
        inline, blocks, definitions, env = _markdown_regions(text, parser)
        scanner = _MarkdownScanner(text, definitions, run, parser, env)
        # In document order: a <textarea> left open in one makes text of the next.
        regions = [(start, end, False) for start, end in inline]
        for start, end, block in sorted(regions + [(start, end, True) for start, end in blocks]):
            if not block:
                scanner.scan(start, end)
                continue
            for offset, tag in _html_anchors(text[start:end], run.context):
                run.anchor(start + offset, tag)
    else:
        raise ValueError(f"syntax must be 'html' or 'markdown', not {syntax!r}")
    run.links.sort(key=lambda link: (link.line, link.column))
    return _apply(text, run.edits), run.links


def robustify_file(
    source: str | Path,
    output: str | Path,
    *,
    versions: VersionSource,
    syntax: Syntax | None = None,
    link_to: LinkTo = "original",
    date_format: DateFormat = "date",
    update: bool = False,
    select: Callable[[str], bool] | None = None,
) -> list[RobustLink]:
    """Robustify the statement file ``source`` into ``output`` (which may be ``source``
    itself); return the links, as :func:`robustify` does.

    The syntax comes from the suffix unless given (``ValueError`` for an unknown one). The file
    is read and written as UTF-8, with any byte that is not UTF-8 and every line ending kept as
    it was; ``output`` is written atomically (complete, or not at all), its folder made if need
    be.
    """
    source, output = Path(source), Path(output)
    found = syntax_for(source)
    chosen = syntax or (None if found == "text" else found)
    if chosen is None:
        known = ", ".join(sorted(MARKUP_SUFFIXES))
        raise ValueError(f"{source}: not a statement file claimcheck can robustify ({known})")
    text = source.read_bytes().decode("utf-8", errors="surrogateescape")
    robust, links = robustify(
        text,
        syntax=chosen,
        versions=versions,
        link_to=link_to,
        date_format=date_format,
        update=update,
        select=select,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, robust.encode("utf-8", errors="surrogateescape"))
    return links

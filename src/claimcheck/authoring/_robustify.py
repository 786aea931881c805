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
are never touched; HTML blocks and inline ``<a>`` tags are handled as HTML. The links are those
the statement reader finds (:func:`claimcheck.documents.markdown_links`,
:func:`claimcheck.documents.html_links`): block structure from ``markdown-it-py`` (a CommonMark
parser), links in each paragraph, heading and table cell by the one scanner of CommonMark's
link syntax (where markdown-it-py departs from the specification, as with ``[ref][[x]]``,
links whose reading depends on it are left as they are). The render check is in
:mod:`._render_check`, where versions come from in :mod:`._versions`.

Where versions come from is the caller's choice (``versions=``): a mapping, a function, or
:func:`version_finder`, which asks the snapshot store first and the web archives only when
given their clients (so nothing goes online unless asked).
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, Literal, TypeAlias

import attrs

from ..documents import (
    HTML_SPACE,
    MARKUP_SUFFIXES,
    LineIndex,
    LinkRegion,
    MarkupSyntax,
    StatementLink,
    TagAttribute,
    first_attribute,
    html_links,
    http_url,
    markdown_links,
    tag_attributes,
)
from ..errors import ArchiveError, ConfigurationError
from ..store import write_atomically
from ._render_check import Conversion, Edit, RenderCheck, apply_edits
from ._versions import (
    DateFormat,
    NoVersion,
    Version,
    VersionLookup,
    VersionSource,
    format_version_date,
    lookup_from,
    parse_version_date,
    snapshot_in,
)

__all__ = ["LinkStatus", "LinkTo", "RobustLink", "robustify", "robustify_file"]

LinkTo: TypeAlias = Literal["original", "version"]

_ROBUST_ATTRIBUTES: Final = ("data-originalurl", "data-versionurl", "data-versiondate")


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
# The rewriting


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
    edits: list[Edit] = attrs.Factory(list)
    links: list[RobustLink] = attrs.Factory(list)
    cache: dict[str, Version | NoVersion] = attrs.Factory(dict)
    lines: LineIndex = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.lines = LineIndex(self.source)

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
        line, column = self.lines.line_column(offset)
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
        attributes, insert_at = tag_attributes(tag)
        href_attribute = first_attribute(attributes, "href")
        href = http_url(href_attribute.value or "") if href_attribute is not None else None
        if href is None or href_attribute is None:
            return
        robust = [a for a in attributes if a.name in _ROBUST_ATTRIBUTES]
        named = first_attribute(attributes, "data-originalurl")
        snapshot = snapshot_in(href)
        original = (
            (http_url(named.value or "") if named is not None else None)
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
        self.edits.append(Edit(offset, offset + len(tag), _splice(tag, pieces)))
        self.report(offset, original, LinkStatus.UPDATED if robust else LinkStatus.ADDED, version)

    def _existing(self, attributes: Sequence[TagAttribute], href: str) -> Version | None:
        """The version a link already names (``data-versionurl``, or ``href`` when the link
        names its original apart), for the report."""
        named = first_attribute(attributes, "data-versionurl")
        words = (named.value or "").split() if named is not None else []
        url = words[0] if words else None
        if url is None and first_attribute(attributes, "data-originalurl") is not None:
            url = href
        url = http_url(url) if url is not None else None
        dated = first_attribute(attributes, "data-versiondate")
        date = parse_version_date(dated.value or "") if dated is not None else None
        if url is None or date is None:
            return None
        return Version(url=url, date=date, source="document")

    # --- Markdown links ----------------------------------------------------------------

    def markdown_link(self, link: StatementLink) -> tuple[Conversion, RobustLink] | None:
        """The conversion of a Markdown link or autolink into an inline HTML Robust Link, and
        the link to report once it stands; or ``None`` (reported when the link is one to
        robustify)."""
        url = http_url(link.url)
        if url is None or url != link.url:
            return None
        snapshot = snapshot_in(url)
        original = snapshot[0] if snapshot is not None else url
        if not self.wanted(original):
            return None
        version = snapshot[1] if snapshot is not None else self.version(original)
        if isinstance(version, NoVersion):
            self.report(link.start, original, LinkStatus.MISSING, message=version.reason)
            return None
        unsafe = self._unsafe(link)
        if unsafe:
            self.report(link.start, original, LinkStatus.MISSING, message=unsafe)
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
            edits: tuple[Edit, ...] = (Edit(link.start, link.end, f"{opening}>{text}</a>"),)
        else:
            text_span = (link.text_start, link.text_end)
            edits = (
                Edit(link.start, link.text_start, opening + ">"),
                Edit(link.text_end, link.end, "</a>"),
            )
        # Brackets that only the link's syntax kept from being a link stay text: escaped.
        edits += tuple(Edit(opener, opener, "\\") for opener in link.escapes)
        robust = self.robust_link(link.start, original, LinkStatus.ADDED, version)
        return Conversion(edits, link.start, link.end, text_span), robust

    def _unsafe(self, link: StatementLink) -> str:
        """Why the link must stay Markdown whatever its rendering, or ``""``."""
        if link.ambiguous:
            return "left as Markdown: the brackets before it could become a link"
        if link.kind != "autolink" and _opens_html_block(self.source, link.start):
            return "left as Markdown: as inline HTML it would start an HTML block"
        return ""

    def region(self, region: LinkRegion, check: RenderCheck) -> None:
        """Robustify the links of a region of a Markdown statement: its ``<a>`` tags at once,
        its Markdown links as far as their conversions leave its rendering as it was."""
        pending: list[tuple[Conversion, RobustLink]] = []
        for link in region.links:
            if link.kind == "anchor":
                self.anchor(link.start, self.source[link.start : link.end])
                continue
            converted = self.markdown_link(link)
            if converted is not None:
                pending.append(converted)
        if region.html or not pending:
            return
        undone = check.undone(region.start, region.end, [c for c, _ in pending])
        for index, (_, robust) in enumerate(pending):
            if index in undone:
                self.links.append(
                    attrs.evolve(
                        robust,
                        status=LinkStatus.MISSING,
                        version_url=None,
                        version_date=None,
                        source=None,
                        message=undone[index],
                    )
                )
        accepted = [pair for index, pair in enumerate(pending) if index not in undone]
        self.links.extend(robust for _, robust in accepted)
        self.edits.extend(dict.fromkeys(e for conversion, _ in accepted for e in conversion.edits))


_CONTAINER_PREFIX: Final = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*")


def _opens_html_block(source: str, start: int) -> bool:
    """Whether an ``<a …>`` tag put at ``start`` would stand alone at the start of its line
    (after container markers), where CommonMark reads it as the start of an HTML block."""
    line_start = source.rfind("\n", 0, start) + 1
    prefix = _CONTAINER_PREFIX.match(source, line_start, start)
    if prefix is None or prefix.end() != start:
        return False
    line_end = source.find("\n", start)
    return not source[start + 1 : line_end if line_end >= 0 else len(source)].strip()


def _attribute_text(name: str, value: str, *, markdown: bool) -> str:
    escaped = html.escape(value, quote=True)
    if markdown:  # a newline would split the tag; "|" would split a GFM table row
        escaped = escaped.replace("\n", "&#10;").replace("|", "&#124;")
    return f' {name}="{escaped}"'


def _space_before(tag: str, start: int) -> int:
    """``start`` moved back over the whitespace before it, so an attribute goes with its
    separating space."""
    while start > 0 and tag[start - 1] in HTML_SPACE:
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


# -------------------------------------------------------------------------------------------
# Entry points


def robustify(
    text: str,
    *,
    syntax: MarkupSyntax,
    versions: VersionSource,
    link_to: LinkTo = "original",
    date_format: DateFormat = "date",
    update: bool = False,
    select: Callable[[str], bool] | None = None,
) -> tuple[str, list[RobustLink]]:
    """Decorate the absolute http(s) links of ``text`` as Robust Links; return the new text and
    one :class:`RobustLink` per link considered, in document order.

    - ``syntax``: ``"html"`` (only ``<a>`` start tags change) or ``"markdown"`` (links become
      inline HTML ``<a>`` elements; code is never touched); another raises
      :class:`~claimcheck.errors.ConfigurationError`.
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
    if syntax not in ("html", "markdown"):
        raise ConfigurationError(f"syntax must be 'html' or 'markdown', not {syntax!r}")
    run = _Run(
        source=text,
        lookup=lookup_from(versions),
        link_to=link_to,
        date_format=date_format,
        update=update,
        select=select,
        markdown=syntax == "markdown",
    )
    if syntax == "html":
        for link in html_links(text):
            run.anchor(link.start, text[link.start : link.end])
    else:
        found = markdown_links(text)
        check = RenderCheck(text, found.blocks.env)
        for region in found.regions:
            run.region(region, check)
    run.links.sort(key=lambda link: (link.line, link.column))
    return apply_edits(text, run.edits), run.links


def robustify_file(
    source: str | Path,
    output: str | Path,
    *,
    versions: VersionSource,
    syntax: MarkupSyntax | None = None,
    link_to: LinkTo = "original",
    date_format: DateFormat = "date",
    update: bool = False,
    select: Callable[[str], bool] | None = None,
) -> list[RobustLink]:
    """Robustify the statement file ``source`` into ``output`` (which may be ``source``
    itself); return the links, as :func:`robustify` does.

    The syntax comes from the suffix unless given (an unknown one raises
    :class:`~claimcheck.errors.ConfigurationError`). The file is read and written as UTF-8,
    with any byte that is not UTF-8 and every line ending kept as it was; ``output`` is
    written atomically (complete, or not at all), its folder made if need be.
    """
    source, output = Path(source), Path(output)
    chosen = syntax or MARKUP_SUFFIXES.get(source.suffix.lower())
    if chosen is None:
        known = ", ".join(sorted(MARKUP_SUFFIXES))
        raise ConfigurationError(
            f"{source}: not a statement file claimcheck can robustify ({known})"
        )
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

"""How the renderings show what they did not write themselves.

Claims files and sources are not trusted: a title, a passage, a claim id or a URL can hold
control characters (ANSI escapes act on a terminal), bidi embeddings and overrides (text shown in
another order than it is: "Trojan Source"), characters UTF-8 or XML cannot hold, Markdown or
terminal markup. Each rule of how such text is shown lives here once:

- :func:`display_safe`: every rendering meant to be read (terminal, Markdown, HTML, JUnit,
  GitHub annotations, SARIF messages) shows control, bidi and unencodable characters as
  ``\\xNN``/``\\uNNNN`` escapes instead of obeying them. Machine data (JSON, SARIF property bags,
  ClaimReview) keeps the text exactly, but for lone surrogates, which no UTF-8 file can hold: every
  rendering is well-formed (U+FFFD for each, :func:`~claimcheck.model.well_formed`);
- :func:`json_safe`: JSON text that writes those characters as its own ``\\uNNNN`` escapes: the
  same data, and nothing that acts on a terminal when it is printed;
- :func:`terminal_safe`: that, and rich's markup shown as written;
- :func:`markdown_text`, :func:`markdown_code`, :func:`markdown_url`: Markdown that shows as
  written, one line, never a link or markup it did not mean, never a GitHub ``@mention`` (which
  notifies), issue reference or autolinked URL;
- :func:`plain_http_url`: the one test of whether a URL may become a link;
- :func:`stamp`: times as the JSON renderings give them, always in UTC (a naive time is taken
  as UTC, not as the local time of whoever renders the report: :func:`~claimcheck.model.as_utc`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..language import HIDDEN_CHARACTERS
from ..model import Report, as_utc, well_formed

__all__ = [
    "display_safe",
    "ignore_notes",
    "json_safe",
    "markdown_code",
    "markdown_text",
    "markdown_url",
    "normal_path",
    "plain_http_url",
    "relative_to",
    "stamp",
    "store_named",
    "terminal_console",
    "terminal_safe",
    "terminal_width",
]

# C0 and C1 controls but tab and line feed, bidi formatting, what UTF-8 cannot encode: one set,
# defined in the language layer (the claims files `extract` writes escape it too).
_HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")
# A URL with any of these is never linked: its hidden characters would change where it leads.
_URL_HIDDEN = re.compile(f"[\\s{HIDDEN_CHARACTERS}]")


def ignore_notes(report: Report) -> list[str]:
    """What a summary line adds about ignore entries, after the statuses (and ``disputed``):
    ``2 ignored`` (findings dismissed on purpose, counted under no status) and ``1 unused
    ignore entry`` (entries that match no finding); nothing for a count of zero."""
    notes = []
    if report.ignored:
        notes.append(f"{len(report.ignored)} ignored")
    unused = len(report.unused_ignores)
    if unused:
        notes.append(f"{unused} unused ignore entr{'y' if unused == 1 else 'ies'}")
    return notes


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def display_safe(text: str) -> str:
    """``text`` with its control, bidi and unencodable characters shown as ``\\xNN`` and
    ``\\uNNNN`` escapes (tab and line feed kept): what comes from a source or a claims file never
    acts on a terminal, reorders what is shown, or makes a document invalid."""
    return _HIDDEN.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with the hidden
    characters it leaves as they are (C1 controls, bidi formatting, U+FFFE and U+FFFF; it
    escapes C0 controls itself) written as ``\\uNNNN`` escapes. Such characters can only stand
    inside its strings, where JSON may escape any character: the data is the same, and
    :func:`display_safe` finds nothing left to change in it. Lone surrogates, which no UTF-8 file
    can hold, become U+FFFD first (:func:`~claimcheck.model.well_formed`), as in every rendering."""
    return _HIDDEN.sub(_json_escape, well_formed(text))


def terminal_safe(text: str) -> str:
    """:func:`display_safe`, and rich's markup (``[bold]``) escaped so that it shows as
    written."""
    from rich.markup import escape

    return escape(display_safe(text))


def plain_http_url(url: str | None) -> bool:
    """Whether ``url`` may be a link: an absolute http(s) URL with a host, without whitespace or
    hidden characters. Never a ``javascript:`` or ``data:`` link, nor one that shows as another
    address than it leads to."""
    if not url or _URL_HIDDEN.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


# --------------------------------------------------------------------------------------------
# Markdown

# Backslash-escaped in Markdown text: what could make a link, an image, emphasis, HTML, an
# entity, a code span or a table cell of text (CommonMark escapes any ASCII punctuation).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~&$])")
_MARKDOWN_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
# What GitHub turns into links after rendering Markdown, where escapes no longer count
# (https://github.com/github/markup/issues/1168): @mentions, which notify the people and teams
# named; issue references (#123, GH-123, owner/repo#123), which add a cross-reference to that
# issue; and the GFM autolinks extension's bare URLs, www. addresses and e-mail addresses. A
# zero-width space after the "@", "#", "GH-", "://" or "www" breaks each and shows nothing (as
# Dependabot and Renovate do for the mentions in the changelogs they quote).
_GITHUB_REFERENCE = re.compile(
    r"(?<=@)(?=\w)|(?<=#)(?=\d)|(?<=\b[Gg][Hh]-)(?=\d)|(?<=://)|(?<=\b[Ww]{3})(?=\.)"
)
_ZERO_WIDTH_SPACE = "\u200b"
# An autolink <URL> ends at ">" and a table cell at "|": URLs with these are shown as code.
_AUTOLINK_UNSAFE = re.compile(r"[<>|`\\\[\]()]")


def markdown_text(text: str) -> str:
    """``text`` as Markdown text that shows as written, in a paragraph or a table cell alike:
    on one line, its hidden characters shown (:func:`display_safe`), every character that
    could make markup backslash-escaped, and a zero-width space where GitHub would otherwise
    make a mention, an issue reference or a link of it."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", display_safe(text).translate(_MARKDOWN_BREAKS))
    return _GITHUB_REFERENCE.sub(_ZERO_WIDTH_SPACE, escaped)


def markdown_code(text: str) -> str:
    """``text`` as a code span that may stand in a table cell: shown verbatim (line breaks as
    ``\\n``), its hidden characters shown, fenced with more backticks than it holds."""
    shown = display_safe(text).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    shown = shown.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def markdown_url(url: str | None) -> str:
    """A plain http(s) URL (:func:`plain_http_url`) as an autolink; anything else as a code
    span, shown but not linked; nothing for no URL."""
    if not url:
        return ""
    if plain_http_url(url) and not _AUTOLINK_UNSAFE.search(url):
        return f"<{url}>"
    return markdown_code(url)


# --------------------------------------------------------------------------------------------
# Paths


def normal_path(path: Path) -> Path:
    """``path`` absolute, its ``..`` and ``.`` resolved by name (not through symbolic links)."""
    return Path(os.path.normpath(path.absolute()))


def relative_to(path: Path, base: Path) -> Path | None:
    """``path`` relative to the folder ``base`` when it is inside it (by name, else through
    symbolic links); None when it is not."""
    try:
        return normal_path(path).relative_to(normal_path(base))
    except ValueError:
        pass
    try:  # through symbolic links; a name no file system holds (UnicodeEncodeError) is in none
        return path.resolve().relative_to(base.resolve())
    except (ValueError, UnicodeEncodeError):
        return None


# --------------------------------------------------------------------------------------------
# Times and terminals


def store_named(report: Report) -> str:
    """The snapshot store a check used, as its report headers name it: the store's path, or
    ``none`` (offline with no store: every cited source unchecked). Not made safe for any
    display: each rendering does that its own way."""
    return report.store if report.store is not None else "none"


def stamp(moment: dt.datetime | None) -> str | None:
    """A time as the JSON renderings give it: ISO 8601 in UTC, to the second
    (``2026-03-01T02:00:00Z``)."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


# The width of text that goes to no terminal (a pipe, a CI log, a file) unless COLUMNS says:
# such text is read in log viewers and editors wider than 80 columns, and 120 is what these
# renderings always had there.
_PIPED_WIDTH = 120


def terminal_width(*, terminal: bool | None = None) -> int:
    """The width the text renderings fill: ``COLUMNS`` when set (a positive number), else the
    terminal's own width when writing to one (``terminal``; None: when standard output is one),
    else 120 columns (a pipe, a log, a file)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if terminal is None:
        terminal = sys.stdout.isatty()
    if terminal:
        return shutil.get_terminal_size((_PIPED_WIDTH, 24)).columns
    return _PIPED_WIDTH


def terminal_console(*, color: bool | None, width: int | None) -> tuple[Any, io.StringIO]:
    """A rich console that renders into the returned buffer, for the text renderings.

    ``color``: True or False forces colours on or off; None colours when standard output is a
    terminal and ``NO_COLOR`` is not set (https://no-color.org: present and not empty means no
    colour). ``width`` defaults to :func:`terminal_width`."""
    from rich.console import Console

    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or terminal_width(),
        highlight=False,
        soft_wrap=False,
    )
    return console, buffer

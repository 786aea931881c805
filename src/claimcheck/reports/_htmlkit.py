"""What the HTML pages share: the page around the content, its Content-Security-Policy, the base
stylesheet with the status colours, and HTML text and links made safe.

Both pages (the check report, :mod:`._html`, and the audit history, :mod:`._history_html`) are
one self-contained file meant to be attached, mailed or archived and opened years later, so they
need nothing at view time: their style sheet (and the check report's one small script) are
inline, and a Content-Security-Policy lets the page apply that style and run that script, found
by their hashes, and load nothing at all. Everything that comes from a source or a claims file is
escaped, its hidden characters shown (:func:`~._display.display_safe`), and only plain http(s)
URLs become links (:func:`~._display.plain_http_url`). The same input always renders to the same
bytes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from html import escape
from typing import Final

from ..model import Status
from ._display import display_safe, plain_http_url

__all__ = [
    "BASE_STYLE",
    "STATUS_COLOURS",
    "content_security_policy",
    "each_status",
    "href",
    "html_text",
    "link",
    "page",
]

# Each status's colour (text, borders, chart bars) and its light background (highlights).
STATUS_COLOURS: Final[Mapping[str, str]] = {
    Status.VERIFIED.value: "#1a7f37",
    Status.DRIFTED.value: "#9a6700",
    Status.BROKEN.value: "#cf222e",
    Status.UNCHECKED.value: "#0969da",
    Status.UNSOURCED.value: "#8250df",
}
_STATUS_BACKGROUNDS: Final[Mapping[str, str]] = {
    Status.VERIFIED.value: "#dafbe1",
    Status.DRIFTED.value: "#fff8c5",
    Status.BROKEN.value: "#ffebe9",
    Status.UNCHECKED.value: "#ddf4ff",
    Status.UNSOURCED.value: "#fbefff",
}


def each_status(rule: str) -> str:
    """``rule`` once per status, ``@`` standing for the status's name: one CSS rule written once
    for every status (``.badge.st-@ { background: var(--st-@); }``)."""
    return "".join(rule.replace("@", status) + "\n" for status in STATUS_COLOURS)


_STATUS_VARIABLES = "".join(
    f"--st-{status}: {colour}; --st-{status}-bg: {_STATUS_BACKGROUNDS[status]};\n  "
    for status, colour in STATUS_COLOURS.items()
)

BASE_STYLE: Final = (
    """
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  """
    + _STATUS_VARIABLES
    + """}
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
code, .url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
a { color: #0550ae; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
.meta, .note { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0;
  margin: .5rem 0; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 1em; color: #fff; font-weight: 600;
  font-size: .85em; white-space: nowrap; background: var(--muted); }
.summary .badge { font-size: 1rem; padding: .1em .75em; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85em; }
"""
    + each_status(".badge.st-@ { background: var(--st-@); }")
)
"""The style every page starts from: colours (``--st-<status>`` and ``--st-<status>-bg`` for
each status), type, headings, the summary's status badges, the footer."""


def _sha256(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(style: str, script: str | None = None) -> str:
    """The policy of a page that applies its one inline ``style``, runs its one inline
    ``script`` (or none), and loads nothing at all."""
    scripts = _sha256(script) if script is not None else "'none'"
    return (
        f"default-src 'none'; style-src {_sha256(style)}; script-src {scripts}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def page(
    *, title: str, style: str, header: str, main: str, footer: str, script: str | None = None
) -> str:
    """One self-contained page (UTF-8 text, to be written as is): ``header``, ``main`` and
    ``footer`` are the HTML content of those elements; ``title`` is text. The page's policy
    (:func:`content_security_policy`) allows its ``style`` and ``script`` only."""
    policy = content_security_policy(style, script)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        f"<header>{header}</header>\n<main>{main}</main>\n<footer>{footer}</footer>\n"
        + (f"<script>{script}</script>\n" if script is not None else "")
        + "</body>\n</html>\n"
    )


def html_text(value: object) -> str:
    """``value`` as HTML text, safe in an element and in a quoted attribute alike, its hidden
    characters shown."""
    return escape(display_safe(str(value)), quote=True)


def href(url: str | None) -> str | None:
    """``url`` escaped for an ``href``, or ``None`` unless it is a plain http(s) URL
    (:func:`~._display.plain_http_url`)."""
    return escape(url, quote=True) if url and plain_http_url(url) else None


def link(url: str, label: str | None = None) -> str:
    """A link to an outside page, shown as ``label``, when ``url`` may be one; else the URL as
    text, so that the reader sees what was not linked."""
    target = href(url)
    if target is None:
        return f'<span class="url">{html_text(url)}</span>'
    shown = html_text(url if label is None else label)
    return (
        f'<a class="url" href="{target}" rel="noopener noreferrer nofollow" '
        f'referrerpolicy="no-referrer">{shown}</a>'
    )

"""Statement files: which syntax a statement is written in.

A statement (what a claims file is about) is Markdown, HTML or plain text; ``extract``,
``robustify`` and the coverage check read it alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final, Literal, TypeAlias

__all__ = ["MARKUP_SUFFIXES", "SYNTAXES", "Syntax", "syntax_for"]

Syntax: TypeAlias = Literal["markdown", "html", "text"]

SYNTAXES: Final[tuple[Syntax, ...]] = ("markdown", "html", "text")

MARKUP_SUFFIXES: Final[Mapping[str, Literal["html", "markdown"]]] = {
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

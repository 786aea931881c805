"""The characters that do not show as themselves: :data:`HIDDEN_CHARACTERS`.

Claims files, statements and sources are not trusted, and some characters in them act instead
of showing: C0 and C1 controls (ANSI escape sequences start with ESC or CSI: they retitle a
terminal window, clear the screen, recolour or hide text), bidi marks, embeddings, overrides and
isolates (text shown in another order than it is: "Trojan Source"), and what UTF-8 cannot encode
or XML and HTML forbid (lone surrogates, the noncharacters U+FFFE and U+FFFF). Every rendering
meant to be read shows them as escapes (:func:`claimcheck.reports.display_safe`), and every
format that writes data (JSON reports, the claims files ``claimcheck extract`` proposes) writes
them with its own escapes: the set is defined once, here.
"""

from __future__ import annotations

from typing import Final

__all__ = ["HIDDEN_CHARACTERS"]

HIDDEN_CHARACTERS: Final = (
    "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
    "\\ud800-\\udfff\\ufffe\\uffff"
)
"""The body of a regular expression character class (``f"[{HIDDEN_CHARACTERS}]"``): C0 and C1
controls but tab and line feed, the Arabic letter mark, the left-to-right and right-to-left
marks, the bidi embeddings, overrides and isolates, lone surrogates, U+FFFE and U+FFFF."""

"""Authoring statements: :func:`extract` proposes a claims file from a statement,
:func:`robustify` gives its links archived copies (Robust Links)."""

from ._claims_toml import claims_toml
from ._extract import Extraction, Link, Proposal, extract, shorten
from ._robustify import RobustLink, cited, robustify, robustify_file, version_finder

__all__ = [
    "Extraction",
    "Link",
    "Proposal",
    "RobustLink",
    "cited",
    "claims_toml",
    "extract",
    "robustify",
    "robustify_file",
    "shorten",
    "version_finder",
]

"""Authoring statements: :func:`extract` proposes a claims file from a statement,
:func:`robustify` gives its links archived copies (Robust Links). Both read the statement with
the statement reader of :mod:`claimcheck.documents`."""

from ._claims_toml import claims_toml
from ._extract import Extraction, Link, Proposal, extract
from ._robustify import LinkStatus, LinkTo, RobustLink, robustify, robustify_file
from ._versions import (
    DateFormat,
    NoVersion,
    Version,
    VersionLookup,
    VersionSource,
    cited,
    format_version_date,
    version_finder,
)

__all__ = [
    "DateFormat",
    "Extraction",
    "Link",
    "LinkStatus",
    "LinkTo",
    "NoVersion",
    "Proposal",
    "RobustLink",
    "Version",
    "VersionLookup",
    "VersionSource",
    "cited",
    "claims_toml",
    "extract",
    "format_version_date",
    "robustify",
    "robustify_file",
    "version_finder",
]

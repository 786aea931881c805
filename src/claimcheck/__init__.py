"""claimcheck: check the factual claims of a published statement against their sources.

The public API, all re-exported here:

- the claims model: :class:`Claim`, :class:`ClaimKind`, :class:`Source`;
- finding a statement's claims: :func:`extract` proposes them (an :class:`Extraction` of
  :class:`Proposal` and :class:`Link`), :func:`claims_toml` writes them as a claims file;
- Robust Links: :func:`robustify` gives a statement's links their archived copies (found by
  :func:`version_finder`), reported as :class:`RobustLink`;
- text extraction: :func:`extract_text` (HTML, PDF, plain text) into a :class:`Text`,
  :func:`text_from_string`, :func:`region_at`;
- normalisation: :func:`normalize` into a :class:`NormalizedText`;
- matching: :func:`match_quote`, :func:`match_figure`, :func:`match_date`, :func:`match_claim`,
  each returning :class:`Evidence` with a :class:`Status`, a :class:`Reason` and
  :class:`WordDiff` differences;
- claims files and checking: :func:`load` a claims file into a :class:`ClaimSet`, then
  :func:`check` it against a :class:`SnapshotStore` of captured sources; the :class:`Report`
  holds a :class:`ClaimResult` per claim and a :class:`Verdict` per source, rendered by
  :func:`render_text`, :func:`render_html`, :func:`to_json`, :func:`to_sarif` and
  :func:`to_claimreview`;
- scheduled audits: :func:`audit` (an :class:`AuditPolicy`, an :class:`AuditResult`) keeps
  its observations in a :class:`History`; :func:`load_audit` reads one for a report;
- errors: :class:`ClaimcheckError` and its subclasses.
"""

from __future__ import annotations

from ._version import __version__
from .auditing import AuditPolicy, AuditResult, DaskRunner, audit, load_audit
from .authoring import (
    Extraction,
    Link,
    Proposal,
    RobustLink,
    claims_toml,
    extract,
    robustify,
    version_finder,
)
from .checking import Progress, check
from .claimsfile import load
from .documents import Region, Text, extract_text, region_at, text_from_string
from .errors import (
    ArchiveError,
    ClaimcheckError,
    ClaimsFileError,
    ClusterError,
    CorruptSnapshotError,
    HistoryError,
    InvalidClaimError,
    MissingCredentialsError,
    MissingDependencyError,
    Problem,
    RateLimitedError,
    SnapshotStoreError,
    TextExtractionError,
)
from .language import NormalizedText, normalize
from .matching import match_claim, match_date, match_figure, match_quote
from .model import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
    DiffKind,
    Evidence,
    Location,
    Reason,
    Report,
    Snapshot,
    Source,
    Statement,
    Status,
    Verdict,
    WordDiff,
)
from .reports import render_html, render_text, to_claimreview, to_json, to_sarif
from .sources import (
    ArchiveConfig,
    ArchivedCopy,
    Capture,
    Fetch,
    FetchConfig,
    Fetcher,
    MementoClient,
    RateLimiter,
    SavePageNow,
    SaveResult,
    Wayback,
)
from .store import History, SnapshotStore

__all__ = [
    "ArchiveConfig",
    "ArchiveError",
    "ArchivedCopy",
    "AuditPolicy",
    "AuditResult",
    "Capture",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "ClaimcheckError",
    "ClaimsFileError",
    "ClusterError",
    "CorruptSnapshotError",
    "DaskRunner",
    "DiffKind",
    "Evidence",
    "Extraction",
    "Fetch",
    "FetchConfig",
    "Fetcher",
    "History",
    "HistoryError",
    "InvalidClaimError",
    "Link",
    "Location",
    "MementoClient",
    "MissingCredentialsError",
    "MissingDependencyError",
    "NormalizedText",
    "Problem",
    "Progress",
    "Proposal",
    "RateLimitedError",
    "RateLimiter",
    "Reason",
    "Region",
    "Report",
    "RobustLink",
    "SavePageNow",
    "SaveResult",
    "Snapshot",
    "SnapshotStore",
    "SnapshotStoreError",
    "Source",
    "Statement",
    "Status",
    "Text",
    "TextExtractionError",
    "Verdict",
    "Wayback",
    "WordDiff",
    "__version__",
    "audit",
    "check",
    "claims_toml",
    "extract",
    "extract_text",
    "load",
    "load_audit",
    "match_claim",
    "match_date",
    "match_figure",
    "match_quote",
    "normalize",
    "region_at",
    "render_html",
    "render_text",
    "robustify",
    "text_from_string",
    "to_claimreview",
    "to_json",
    "to_sarif",
    "version_finder",
]

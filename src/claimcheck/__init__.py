"""claimcheck: check the factual claims of a published statement against their sources.

The product in a few names:

- :func:`load` a claims file into a :class:`ClaimSet` (a :class:`Statement` and its
  :class:`Claim` s, each with the :class:`Source` s it cites; where a claim is in the
  statement: a :class:`Location`);
- :func:`check` it: each source's copies (live, archived "as cited", or stored in a
  :class:`SnapshotStore` as :class:`Snapshot` s; fetching configured by :class:`FetchConfig`
  and :class:`ArchiveConfig`; steps reported as :class:`Progress`) are matched and judged into
  a :class:`Report` of :class:`ClaimResult` s, one :class:`Verdict` per source with its
  :class:`Status`, :class:`Reason` and :class:`Evidence` (:class:`WordDiff` s);
- :func:`audit` them on a schedule (an :class:`AuditPolicy`, an :class:`AuditResult`);
- :func:`extract` proposes a claims file for a statement; :func:`robustify` gives its links
  their archived copies;
- errors: :class:`ClaimcheckError` (every error claimcheck raises), :class:`ClaimsFileError`,
  :class:`InvalidClaimError`; the rest in :mod:`claimcheck.errors`.

Everything else lives in the namespaces that draw the pipeline (the README's "Architecture"):
:mod:`claimcheck.model`, :mod:`claimcheck.language`, :mod:`claimcheck.documents` (source text
extraction, the statement reader), :mod:`claimcheck.matching` (``match_quote``,
``match_figure``, ``match_date``), :mod:`claimcheck.store`, :mod:`claimcheck.sources` (the
fetcher and the web-archive clients), :mod:`claimcheck.claimsfile`, :mod:`claimcheck.checking`,
:mod:`claimcheck.auditing`, :mod:`claimcheck.authoring`, :mod:`claimcheck.reports` (every
rendering: text, JSON, HTML, SARIF, ClaimReview, …) and :mod:`claimcheck.cli`.
"""

from __future__ import annotations

from ._version import __version__
from .auditing import AuditPolicy, AuditResult, audit
from .authoring import extract, robustify
from .checking import Progress, check
from .claimsfile import load
from .errors import ClaimcheckError, ClaimsFileError, InvalidClaimError
from .model import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
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
    show_in_notebooks,
)
from .reports import render_notebook
from .sources import ArchiveConfig, FetchConfig
from .store import SnapshotStore

# A report in a notebook shows itself as the reports' table (a rendering, from a layer above the
# model's: it is named here, where both are in reach).
show_in_notebooks(render_notebook)

__all__ = [
    "ArchiveConfig",
    "AuditPolicy",
    "AuditResult",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "ClaimcheckError",
    "ClaimsFileError",
    "Evidence",
    "FetchConfig",
    "InvalidClaimError",
    "Location",
    "Progress",
    "Reason",
    "Report",
    "Snapshot",
    "SnapshotStore",
    "Source",
    "Statement",
    "Status",
    "Verdict",
    "WordDiff",
    "__version__",
    "audit",
    "check",
    "extract",
    "load",
    "robustify",
]

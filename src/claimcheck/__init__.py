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

``import claimcheck`` loads none of this until a name is used (PEP 562): the command line's
``--version`` and a program that only needs one namespace start at once (issue 17). The names
resolve as they always did, each from the namespace that defines it.
"""

# No `from __future__ import annotations` in the front doors (here, _views, cli): importing
# __future__ is a module more for --version to load (issue 17).
from ._version import __version__
from ._views import NOTEBOOK as _NOTEBOOK

# Not typing.TYPE_CHECKING: importing typing would cost more than this whole module (mypy reads
# any constant of this name as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
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
    )
    from .sources import ArchiveConfig, FetchConfig
    from .store import SnapshotStore

# Where each public name is defined: the namespace __getattr__ imports when it is first used.
_HOMES = {
    "ArchiveConfig": "sources",
    "AuditPolicy": "auditing",
    "AuditResult": "auditing",
    "Claim": "model",
    "ClaimKind": "model",
    "ClaimResult": "model",
    "ClaimSet": "model",
    "ClaimcheckError": "errors",
    "ClaimsFileError": "errors",
    "Evidence": "model",
    "FetchConfig": "sources",
    "InvalidClaimError": "errors",
    "Location": "model",
    "Progress": "checking",
    "Reason": "model",
    "Report": "model",
    "Snapshot": "model",
    "SnapshotStore": "store",
    "Source": "model",
    "Statement": "model",
    "Status": "model",
    "Verdict": "model",
    "WordDiff": "model",
    "audit": "auditing",
    "check": "checking",
    "extract": "authoring",
    "load": "claimsfile",
    "robustify": "authoring",
}
# The namespaces of the library (README, "Architecture"; the command line is beside this module,
# not under it), attributes of the package once used, as a submodule is once imported.
_NAMESPACES = frozenset(
    (
        "auditing",
        "authoring",
        "checking",
        "claimsfile",
        "documents",
        "errors",
        "language",
        "matching",
        "model",
        "reports",
        "sources",
        "store",
    )
)

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


def _notebook_table(report: "Report") -> str:
    """A report in a notebook shows itself as the reports' table (a rendering, from a layer above
    the model's: it is named here, where both are in reach, and loaded when first shown)."""
    from .reports import render_notebook

    return render_notebook(report)


_NOTEBOOK[:] = [_notebook_table]


if not TYPE_CHECKING:  # mypy reads the imports above, and keeps refusing an unknown name
    from claimcheck._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES, _NAMESPACES)
    del lazy_names

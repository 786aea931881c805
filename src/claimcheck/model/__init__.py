"""The vocabulary every layer shares: claims and their sources, statuses and reasons, evidence,
verdicts and reports, captured copies (:class:`Snapshot`)."""

from ._claims import Claim, ClaimKind, ClaimSet, Location, Source, Statement
from ._evidence import DiffKind, Evidence, Reason, Status, WordDiff, reason_descriptions
from ._results import STATUS_ORDER, ClaimResult, Report, Verdict, combine
from ._snapshot import Snapshot, as_utc, surt, utc_timestamp

__all__ = [
    "STATUS_ORDER",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "DiffKind",
    "Evidence",
    "Location",
    "Reason",
    "Report",
    "Snapshot",
    "Source",
    "Statement",
    "Status",
    "Verdict",
    "WordDiff",
    "as_utc",
    "combine",
    "reason_descriptions",
    "surt",
    "utc_timestamp",
]

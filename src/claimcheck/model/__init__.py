"""The vocabulary every layer shares: claims and their sources, statuses and reasons, evidence,
verdicts and reports, captured copies (:class:`Snapshot`); :func:`well_formed`, the one
rule that makes any string valid Unicode; and :func:`in_sentence`, the one rule for a URL or a
server's words inside a sentence (its brackets pair up)."""

from ._claims import Claim, ClaimKind, ClaimSet, Location, Source, Statement
from ._evidence import DiffKind, Evidence, Reason, Status, WordDiff, reason_descriptions
from ._results import (
    STATUS_ORDER,
    ClaimResult,
    Flag,
    Report,
    Verdict,
    combine,
    dispute,
    disputing,
)
from ._sentences import in_sentence, quoted
from ._settings import (
    MAX_SECONDS,
    Rule,
    check,
    count,
    duration,
    flag,
    is_number,
    option,
    positive_count,
    positive_seconds,
    rate,
    seconds,
    seconds_at_most,
    shown,
    to_float,
    whole_number,
)
from ._snapshot import Snapshot, as_utc, surt, utc_timestamp
from ._unicode import well_formed

__all__ = [
    "MAX_SECONDS",
    "STATUS_ORDER",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "DiffKind",
    "Evidence",
    "Flag",
    "Location",
    "Reason",
    "Report",
    "Rule",
    "Snapshot",
    "Source",
    "Statement",
    "Status",
    "Verdict",
    "WordDiff",
    "as_utc",
    "check",
    "combine",
    "count",
    "dispute",
    "disputing",
    "duration",
    "flag",
    "in_sentence",
    "is_number",
    "option",
    "positive_count",
    "positive_seconds",
    "quoted",
    "rate",
    "reason_descriptions",
    "seconds",
    "seconds_at_most",
    "shown",
    "surt",
    "to_float",
    "utc_timestamp",
    "well_formed",
    "whole_number",
]

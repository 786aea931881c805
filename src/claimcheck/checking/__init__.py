"""Judging claims against their sources: :func:`check`, the one judge (live copy, then the
archived copy as cited: :class:`Judge`), coverage of the statement, and ignore entries
(:func:`ignore_matches`, the one rule for whether an entry dismisses a finding)."""

from ._cache import TextCache, source_text
from ._check import (
    FetchCallbacks,
    Mode,
    Progress,
    ProgressCallback,
    check,
    claim_sets_of,
    fetch_progress,
)
from ._copies import (
    Reading,
    SourceCopies,
    fetched_copies,
    record_failures,
    source_problem,
    stored_copies,
)
from ._ignore import dismissed, finding_matches, ignore_matches
from ._judge import Judge
from ._lookup import ArchiveLookup

__all__ = [
    "ArchiveLookup",
    "FetchCallbacks",
    "Judge",
    "Mode",
    "Progress",
    "ProgressCallback",
    "Reading",
    "SourceCopies",
    "TextCache",
    "check",
    "claim_sets_of",
    "dismissed",
    "fetch_progress",
    "fetched_copies",
    "finding_matches",
    "ignore_matches",
    "record_failures",
    "source_problem",
    "source_text",
    "stored_copies",
]

"""Judging claims against their sources: :func:`check`, the one judge (live copy, then the
archived copy as cited), and coverage of the statement."""

from ._check import (
    ArchiveLookup,
    Copies,
    FetchCallbacks,
    Progress,
    ProgressCallback,
    TextCache,
    check,
    fetch_progress,
    judge,
    source_problem,
)

__all__ = [
    "ArchiveLookup",
    "Copies",
    "FetchCallbacks",
    "Progress",
    "ProgressCallback",
    "TextCache",
    "check",
    "fetch_progress",
    "judge",
    "source_problem",
]

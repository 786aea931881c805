"""Storage: the snapshot store (one WARC file per capture, a CDXJ index) and the audit history
(SQLite)."""

from ._history import (
    SCHEMA_VERSION,
    CitationKey,
    CitationState,
    Health,
    History,
    Observation,
    Outcome,
    Run,
    RunState,
    State,
    UrlState,
)
from ._snapshots import DEFAULT_STORE, SnapshotStore, open_store, write_atomically

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "CitationKey",
    "CitationState",
    "Health",
    "History",
    "Observation",
    "Outcome",
    "Run",
    "RunState",
    "SnapshotStore",
    "State",
    "UrlState",
    "open_store",
    "write_atomically",
]

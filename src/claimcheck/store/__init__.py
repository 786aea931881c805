"""Storage: the snapshot store (one WARC file per capture or failure record, a CDXJ index) and
the audit history (SQLite)."""

from ._failures import FailureRecord
from ._history import History
from ._names import MIN_PREFIX, SHORT_ID, capture_id, digest_prefix, entries_named
from ._records import (
    ArchiveListing,
    CitationKey,
    CitationState,
    Health,
    Observation,
    Outcome,
    Run,
    RunState,
    State,
    UrlState,
)
from ._schema import MIGRATIONS, SCHEMA_VERSION, migrate
from ._snapshots import DEFAULT_STORE, SnapshotStore, open_store, write_atomically

__all__ = [
    "DEFAULT_STORE",
    "MIGRATIONS",
    "MIN_PREFIX",
    "SCHEMA_VERSION",
    "SHORT_ID",
    "ArchiveListing",
    "CitationKey",
    "CitationState",
    "FailureRecord",
    "Health",
    "History",
    "Observation",
    "Outcome",
    "Run",
    "RunState",
    "SnapshotStore",
    "State",
    "UrlState",
    "capture_id",
    "digest_prefix",
    "entries_named",
    "migrate",
    "open_store",
    "write_atomically",
]

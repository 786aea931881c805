"""Storage: the snapshot store (one WARC file per capture or failure record, a CDXJ index) and
the audit history (SQLite)."""

TYPE_CHECKING = False  # not typing's (mypy reads any constant of this name as true)
if TYPE_CHECKING:
    from ._atomic import write_atomically
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
    from ._snapshots import DEFAULT_STORE, SnapshotStore, open_store

# Where each public name is defined: the module __getattr__ imports when it is first used, so
# that naming the store's default folder or writing a file atomically loads neither warcio nor
# fsspec nor sqlite3 (start-up, issue 17).
_HOMES = {
    "ArchiveListing": "_records",
    "CitationKey": "_records",
    "CitationState": "_records",
    "DEFAULT_STORE": "_snapshots",
    "FailureRecord": "_failures",
    "Health": "_records",
    "History": "_history",
    "MIGRATIONS": "_schema",
    "MIN_PREFIX": "_names",
    "Observation": "_records",
    "Outcome": "_records",
    "Run": "_records",
    "RunState": "_records",
    "SCHEMA_VERSION": "_schema",
    "SHORT_ID": "_names",
    "SnapshotStore": "_snapshots",
    "State": "_records",
    "UrlState": "_records",
    "capture_id": "_names",
    "digest_prefix": "_names",
    "entries_named": "_names",
    "migrate": "_schema",
    "open_store": "_snapshots",
    "write_atomically": "_atomic",
}

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


if not TYPE_CHECKING:  # mypy reads the imports above, and keeps refusing an unknown name
    from claimcheck._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
    del lazy_names

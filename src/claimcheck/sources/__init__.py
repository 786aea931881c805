"""Capture: fetching sources live and from web archives (Wayback CDX and ``id_`` replay, Memento
TimeGates and TimeMaps, Save Page Now)."""

from ._archives import (
    IA_LIMITER_KEY,
    ArchiveConfig,
    ArchivedCopy,
    Capture,
    Memento,
    RateLimiter,
    SavePageNow,
    SaveResult,
    Wayback,
    limiter_key,
    store_copy,
)
from ._fetch import Fetch, FetchConfig, Fetcher, Validators, error_status_reason, host_key

__all__ = [
    "IA_LIMITER_KEY",
    "ArchiveConfig",
    "ArchivedCopy",
    "Capture",
    "Fetch",
    "FetchConfig",
    "Fetcher",
    "Memento",
    "RateLimiter",
    "SavePageNow",
    "SaveResult",
    "Validators",
    "Wayback",
    "error_status_reason",
    "host_key",
    "limiter_key",
    "store_copy",
]

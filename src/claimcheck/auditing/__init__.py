"""The scheduled link-rot audit: :func:`audit` over time, its policy (N failures over T days),
its history reports, and running it on Dask."""

from ._dask import DaskRunner
from ._engine import AUDIT_JSON_VERSION, AuditPolicy, AuditResult, Finding, audit
from ._history_report import (
    ATTENTION_STATES,
    AUDIT_REPORT_VERSION,
    FAILED_STATES,
    AuditHistory,
    RunSummary,
    Segment,
    SourceSummary,
    TimelineEntry,
    load_audit,
    timeline_segments,
)

__all__ = [
    "ATTENTION_STATES",
    "AUDIT_JSON_VERSION",
    "AUDIT_REPORT_VERSION",
    "FAILED_STATES",
    "AuditHistory",
    "AuditPolicy",
    "AuditResult",
    "DaskRunner",
    "Finding",
    "RunSummary",
    "Segment",
    "SourceSummary",
    "TimelineEntry",
    "audit",
    "load_audit",
    "timeline_segments",
]

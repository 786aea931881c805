"""A check's :class:`~claimcheck.Report` as JSON-ready data: the public, versioned schema
(``"schema": "claimcheck.report"``, ``"version": 1``, described by
``claimcheck/schemas/report.schema.json``). Fields are only ever added within a version; the data
is kept exactly as found (nothing is escaped: JSON needs no escaping beyond its own)."""

from __future__ import annotations

from typing import Any

from ..model import ClaimResult, Evidence, Ignore, Report, Snapshot, disputing
from ._display import stamp

__all__ = ["JSON_SCHEMA_VERSION", "ignore_json", "to_json"]

JSON_SCHEMA_VERSION = 1


def _location(result: ClaimResult) -> dict[str, Any] | None:
    location = result.claim.location
    statement = result.claim_set.statement
    if location is None:
        return None
    return {
        "file": str(statement.path) if statement.path is not None else None,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def _snapshot_json(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "url": snapshot.url,
        "captured": stamp(snapshot.captured),
        "media_type": snapshot.media_type,
        "digest": snapshot.digest,
        "excerpt": snapshot.excerpt,
        "origin": snapshot.origin,
        "archive_url": snapshot.archive_url,
        "redirected_to": snapshot.redirected_to,
        "status": snapshot.status,
        "file": snapshot.path,
    }


def _evidence_json(evidence: Evidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "score": evidence.score,
        "passage": evidence.passage,
        "span": list(evidence.span) if evidence.span is not None else None,
        "region": evidence.region,
        "found": evidence.found,
        "differences": [
            {
                "kind": diff.kind.value,
                "material": diff.material,
                "claim": diff.claim_words,
                "source": diff.source_words,
                "claim_span": list(diff.claim_span),
                "source_span": list(diff.source_span),
            }
            for diff in evidence.differences
        ],
    }


def ignore_json(entry: Ignore | None) -> dict[str, Any] | None:
    """An ignore entry as the schema's ``ignore`` object (None stays None)."""
    if entry is None:
        return None
    return {
        "reason": entry.reason,
        "text": entry.text,
        "line": entry.line,
        "kind": entry.kind.value if entry.kind is not None else None,
        "claim": entry.claim,
        "file": str(entry.file) if entry.file is not None else None,
        "file_line": entry.file_line,
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, in the documented schema."""
    return {
        "schema": "claimcheck.report",
        "version": JSON_SCHEMA_VERSION,
        "created": stamp(report.created),
        "offline": report.offline,
        "store": report.store,
        "summary": {**report.summary, "disputed": len(report.disputed)},
        "claims": [
            {
                "id": result.claim.id,
                "statement": result.claim_set.name,
                "claims_file": str(result.claim_set.path) if result.claim_set.path else None,
                "kind": result.claim.kind.value,
                "text": result.claim.text,
                "status": result.status.value,
                "reason": result.reason.value,
                "message": result.message,
                "location": _location(result),
                "sources": [
                    {
                        "url": verdict.source.url,
                        "accessed": verdict.source.accessed.isoformat()
                        if verdict.source.accessed
                        else None,
                        "status": verdict.status.value,
                        "reason": verdict.reason.value,
                        "message": verdict.message,
                        "snapshot": _snapshot_json(verdict.snapshot),
                        "evidence": _evidence_json(verdict.evidence),
                        "archived": None
                        if verdict.archived_snapshot is None
                        else {
                            "snapshot": _snapshot_json(verdict.archived_snapshot),
                            "evidence": _evidence_json(verdict.archived_evidence),
                        },
                        "replacement": verdict.replacement,
                    }
                    for verdict in result.verdicts
                ],
                "disputed": result.disputed,
                "dispute": result.dispute,
                "disputed_by": [verdict.source.url for verdict in disputing(result.verdicts)]
                if result.disputed
                else [],
                "ignored": ignore_json(result.ignored),
            }
            for result in report.results
        ],
        "unused_ignores": [ignore_json(entry) for entry in report.unused_ignores],
    }

"""An audit's citations (a claim and one of its sources) and how one is observed: judged by the
one judge of :mod:`claimcheck.checking` from its live fetch, and recorded as an
:class:`~claimcheck.store.Observation`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import attrs

from .._version import __version__
from ..checking import (
    ArchiveLookup,
    Judge,
    SourceCopies,
    TextCache,
    fetched_copies,
)
from ..errors import InvalidClaimError
from ..model import Claim, ClaimSet, Reason, Source, Status, Verdict, well_formed
from ..sources import (
    Fetch,
    Reachability,
)
from ..store import (
    CitationKey,
    Observation,
    Outcome,
    SnapshotStore,
)
from ._policy import AuditPolicy

__all__ = [
    "Citation",
    "audit_judge",
    "citations_of",
    "claim_hash",
    "observe",
]


def claim_hash(claim: Claim, source: Source) -> str:
    """``sha256:<hex>`` of everything matching ``claim`` against ``source`` depends on, and of
    the claimcheck version (a new matching engine decides afresh): a previous verdict is
    reused only under the same hash."""

    parts = {
        "version": __version__,
        "kind": claim.kind.value,
        "text": claim.text,
        "value": None if claim.value is None else str(claim.value),
        "context": claim.context,
        "reference_date": claim.reference_date.isoformat() if claim.reference_date else None,
        "accessed": source.accessed.isoformat() if source.accessed else None,
        "source_context": source.context,
    }
    encoded = well_formed(json.dumps(parts, sort_keys=True, ensure_ascii=False)).encode("utf-8")
    return "sha256:" + hashlib.sha256(encoded).hexdigest()


@attrs.frozen
class Citation:
    """One claim and one of its sources, as an audit tracks it: by ``key`` (statement, claim
    id, URL, accessed date) in the history; ``hash`` (:func:`claim_hash`) tells whether an
    earlier verdict may be reused."""

    key: CitationKey
    claim_set: ClaimSet
    claim: Claim
    source: Source
    hash: str

    @property
    def claims_file(self) -> str | None:
        """The claims file the citation comes from, when it came from a file."""
        return str(self.claim_set.path) if self.claim_set.path is not None else None


def citations_of(claim_sets: Iterable[ClaimSet]) -> list[Citation]:
    citations: dict[CitationKey, Citation] = {}
    for claim_set in claim_sets:
        for number, claim in enumerate(claim_set.claims, start=1):
            claim_id = claim.id or f"#{number}"
            for source in claim.sources:
                key = CitationKey(claim_set.name, claim_id, source.url.strip(), source.accessed)
                if key in citations:
                    raise InvalidClaimError(
                        f"{key} is cited twice (the same statement id, claim id, URL and "
                        "accessed date): an audit must tell its citations apart"
                    )
                citations[key] = Citation(key, claim_set, claim, source, claim_hash(claim, source))
    return list(citations.values())


def audit_judge(
    store: SnapshotStore,
    policy: AuditPolicy,
    lookup: ArchiveLookup,
    network: Reachability | None = None,
) -> Judge:
    """The judge of an audit's citations: archives consulted as ``policy`` says; with
    ``network``, a source that could not be reached in a run without network is
    ``no-network``."""
    return Judge(
        store,
        TextCache(store),
        lookup=lookup if policy.use_archives else None,
        network=network,
    )


def observe(judge: Judge, citation: Citation, result: Fetch | None, run_id: int) -> Observation:
    """The observation of ``citation`` from its live fetch (``None`` for a citation that is not
    a link), judged by the one judge: the live copy, then, where that does not verify the claim,
    the archived copy "as cited" (the store's, else the web archives', when the judge has an
    archive lookup). Not yet timed: ``observed_at`` is a placeholder. Claimcheck failing on one
    source is that source's verdict (``internal-error``, :meth:`Judge.judge`): the audit records
    it and goes on with the others."""
    copies = fetched_copies(result) if result is not None else SourceCopies()
    verdict = judge.judge(citation.claim, citation.source, copies)
    unreadable = (
        result is not None
        and not result.ok
        and result.reason is not None
        and result.reason.status is Status.UNCHECKED
    )
    return _observation(citation, run_id, verdict, _fetch_fields(result), unreadable=unreadable)


def _fetch_fields(result: Fetch | None) -> dict[str, Any]:
    """An observation's fields that come from the live fetch."""
    if result is None:
        return {}
    return {
        "fetch_reason": result.reason,
        "http_status": result.status,
        "redirects": result.redirects,
        "final_url": result.final_url,
        "digest": result.snapshot.digest if result.snapshot is not None else None,
        "etag": _header(result.headers, "etag"),
        "last_modified": _header(result.headers, "last-modified"),
        "elapsed": result.elapsed,
        "unchanged": result.unchanged,
    }


def _observation(
    citation: Citation,
    run_id: int,
    verdict: Verdict,
    base: dict[str, Any],
    *,
    unreadable: bool = False,
) -> Observation:
    """The observation of a verdict; with ``unreadable`` (the live page could not be read: a
    bot wall, a rate limit, a timeout) it counts as unchecked whatever the archived copy says,
    since it tells nothing of the source now."""
    evidence = verdict.evidence or verdict.archived_evidence
    return Observation(
        run_id=run_id,
        key=citation.key,
        kind=citation.claim.kind.value,
        claim_hash=citation.hash,
        observed_at=dt.datetime.now(dt.UTC),
        status=verdict.status,
        reason=verdict.reason,
        message=verdict.message,
        outcome=Outcome.UNCHECKED if unreadable else Outcome.of(verdict.status),
        definite=_definite(verdict),
        claims_file=citation.claims_file,
        score=evidence.score if evidence is not None else None,
        passage=evidence.passage if evidence is not None else None,
        found=evidence.found if evidence is not None else None,
        snapshot=verdict.snapshot.path
        if verdict.snapshot is not None and verdict.snapshot.origin == "live"
        else None,
        archive_url=verdict.archived_snapshot.archive_url if verdict.archived_snapshot else None,
        replacement=verdict.replacement,
        **base,
    )


def _definite(verdict: Verdict) -> bool:
    """Whether a failing verdict counts at once: the live page shows the claim changed, or the
    citation can never lead anywhere."""
    if verdict.reason in (Reason.PLACEHOLDER_LINK, Reason.INVALID_URL):
        return True
    return (
        verdict.status is Status.DRIFTED
        and verdict.evidence is not None
        and verdict.evidence.status is Status.DRIFTED
    )


def _header(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)

"""Reports: the verdicts of a check, and their renderings for people (text) and machines (JSON).

A :class:`Report` holds one :class:`ClaimResult` per claim, and in it one :class:`Verdict` per
source of the claim. Renderers only read a report.

The JSON rendering is a public, versioned schema (``"schema": "claimcheck.report"``,
``"version": 1``); it is documented in the README, and as a JSON Schema (draft 2020-12) shipped in
the package as ``claimcheck/schemas/report.schema.json``. Fields are only ever added within a
version.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import MissingDependencyError
from ._claims import Claim, ClaimSet, Source
from ._evidence import Evidence, Reason, Status
from ._snapshot import Snapshot

__all__ = ["ClaimResult", "Report", "Verdict"]

STATUS_ORDER = (
    Status.VERIFIED,
    Status.DRIFTED,
    Status.BROKEN,
    Status.UNCHECKED,
    Status.UNSOURCED,
)


@attrs.frozen
class Verdict:
    """What one source says about one claim.

    ``evidence`` is the matching engine's finding on the current copy (absent when the source
    could not be looked at: a placeholder link, no capture, a dead link) and ``snapshot`` that
    copy; ``archived_evidence`` and ``archived_snapshot`` are the same for the web-archive copy
    "as cited", when one was consulted; ``replacement`` is an archived URL that supports the claim,
    suggested for a dead link.
    """

    source: Source
    status: Status
    reason: Reason
    message: str
    evidence: Evidence | None = None
    snapshot: Snapshot | None = None
    archived_evidence: Evidence | None = None
    archived_snapshot: Snapshot | None = None
    replacement: str | None = None


@attrs.frozen
class ClaimResult:
    """A claim and its verdict: the status combines the sources' verdicts (see
    :func:`combine`), and every source's own verdict is kept."""

    claim: Claim
    claim_set: ClaimSet
    status: Status
    reason: Reason
    message: str
    verdicts: tuple[Verdict, ...]


@attrs.frozen
class Report:
    """The result of a check: one :class:`ClaimResult` per claim, in file order."""

    results: tuple[ClaimResult, ...]
    created: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))
    offline: bool = True

    @property
    def summary(self) -> dict[str, int]:
        """How many claims have each status (every status listed), and the total."""
        counts = Counter(result.status for result in self.results)
        summary = {status.value: counts.get(status, 0) for status in STATUS_ORDER}
        summary["total"] = len(self.results)
        return summary

    def shown_statuses(self) -> tuple[Status, ...]:
        """The statuses a summary line names: all but ``unsourced`` always, ``unsourced`` when
        some claim has it (a coverage finding, or a claim that cites nothing)."""
        counts = self.summary
        return tuple(s for s in STATUS_ORDER if s is not Status.UNSOURCED or counts[s.value])

    def failing(self, statuses: Iterable[Status]) -> list[ClaimResult]:
        """The results whose status is one of ``statuses``."""
        wanted = set(statuses)
        return [result for result in self.results if result.status in wanted]

    def rows(self) -> list[dict[str, Any]]:
        """One flat record per claim and source (one with no source for an unsourced claim):
        what :meth:`to_pandas` tabulates."""
        rows: list[dict[str, Any]] = []
        for result in self.results:
            claim = {
                "statement": result.claim_set.name,
                "claim": result.claim.id,
                "kind": result.claim.kind.value,
                "claim_status": result.status.value,
                "claim_reason": result.reason.value,
            }
            if not result.verdicts:  # an unsourced claim: one row, with no source
                rows.append(
                    {
                        **claim,
                        "url": None,
                        "status": result.status.value,
                        "reason": result.reason.value,
                        "message": result.message,
                        **dict.fromkeys(
                            ("score", "passage", "found", "captured", "excerpt", "replacement")
                        ),
                    }
                )
            for verdict in result.verdicts:
                evidence = verdict.evidence or verdict.archived_evidence
                rows.append(
                    {
                        **claim,
                        "url": verdict.source.url,
                        "status": verdict.status.value,
                        "reason": verdict.reason.value,
                        "message": verdict.message,
                        "score": evidence.score if evidence is not None else None,
                        "passage": evidence.passage if evidence is not None else None,
                        "found": evidence.found if evidence is not None else None,
                        "captured": verdict.snapshot.captured if verdict.snapshot else None,
                        "excerpt": verdict.snapshot.excerpt if verdict.snapshot else None,
                        "replacement": verdict.replacement,
                    }
                )
        return rows

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one row per claim and source (pandas is an optional
        dependency: ``pip install 'claimcheck[pandas]'``; without it, a
        :class:`~claimcheck.errors.MissingDependencyError`)."""
        try:
            import pandas
        except ImportError as error:
            raise MissingDependencyError(
                "Report.to_pandas needs pandas, which is not installed: "
                f"pip install 'claimcheck[pandas]' ({error})"
            ) from None
        return pandas.DataFrame(self.rows())

    def _repr_html_(self) -> str:
        """How a notebook shows a report: a table of claims, everything escaped."""
        from html import escape

        colours = {"verified": "#1a7f37", "drifted": "#9a6700", "broken": "#cf222e"}
        cells = []
        for result in self.results:
            colour = colours.get(result.status.value, "#0969da")
            deciding = next((v for v in result.verdicts if v.status is result.status), None)
            cells.append(
                "<tr>"
                f"<td>{escape(result.claim.id or '')}</td>"
                f'<td style="color:{colour}"><b>{escape(result.status.value)}</b></td>'
                f"<td><code>{escape(result.reason.value)}</code> {escape(result.message)}</td>"
                f"<td>{escape(deciding.source.url if deciding else '')}</td>"
                "</tr>"
            )
        summary = ", ".join(f"{count} {name}" for name, count in self.summary.items())
        return (
            f"<p>claimcheck report: {escape(summary)}</p><table>"
            "<tr><th>claim</th><th>status</th><th>why</th><th>source</th></tr>"
            + "".join(cells)
            + "</table>"
        )


def combine(verdicts: Iterable[Verdict]) -> tuple[Status, Verdict | None]:
    """A claim's status from its sources' verdicts: verified if any source verifies it, else
    drifted if any shows drift, else broken if any is broken, else unchecked. Returns the status
    and the verdict that decided it."""
    verdicts = list(verdicts)
    for status in STATUS_ORDER:
        for verdict in verdicts:
            if verdict.status is status:
                return status, verdict
    return Status.UNCHECKED, None

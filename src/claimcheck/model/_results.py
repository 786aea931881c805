"""Reports: the verdicts of a check, and their renderings for people (text) and machines (JSON).

A :class:`Report` holds one :class:`ClaimResult` per claim, and in it one :class:`Verdict` per
source of the claim. Renderers only read a report.

A verified claim can be **disputed**: one cited source verifies it while another, read, says
otherwise (:func:`disputing` has the rule). The claim stays verified, and carries the
disagreement in words (:attr:`ClaimResult.dispute`), so that every rendering can show which
source says what; ``--fail-on disputed`` (:class:`Flag`) can make such a claim fail.

The JSON rendering is a public, versioned schema (``"schema": "claimcheck.report"``,
``"version": 1``); it is documented in the README, and as a JSON Schema (draft 2020-12) shipped in
the package as ``claimcheck/schemas/report.schema.json``. Fields are only ever added within a
version.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from .._views import NOTEBOOK
from ..errors import MissingDependencyError
from ._claims import Claim, ClaimSet, Ignore, Source, to_ignores
from ._evidence import Evidence, Reason, Status
from ._snapshot import Snapshot

__all__ = [
    "ClaimResult",
    "Flag",
    "Report",
    "Verdict",
    "combine",
    "dispute",
    "disputing",
    "show_in_notebooks",
]

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


class Flag(enum.StrEnum):
    """A mark a claim can carry besides its status, which ``--fail-on`` (and the ``failing``
    option of the renderers) can name like a status."""

    DISPUTED = "disputed"
    """Verified by one source while another cited source, read, says otherwise
    (:func:`disputing`)."""


@attrs.frozen
class ClaimResult:
    """A claim and its verdict: the status combines the sources' verdicts (see
    :func:`combine`), and every source's own verdict is kept.

    ``dispute``, for a verified claim that another of its sources contradicts
    (:func:`disputing`), says which source says what (:func:`dispute`); ``None`` otherwise.

    ``ignored``, for a finding dismissed on purpose, is the ignore entry that dismissed it (its
    reason, where it is written): the result keeps its status, to be shown as ignored, and
    never fails.
    """

    claim: Claim
    claim_set: ClaimSet
    status: Status
    reason: Reason
    message: str
    verdicts: tuple[Verdict, ...]
    dispute: str | None = None
    ignored: Ignore | None = None

    @property
    def disputed(self) -> bool:
        """Whether the sources disagree about this verified claim (see :func:`disputing`)."""
        return self.dispute is not None

    def fails(self, failing: Iterable[Status | Flag]) -> bool:
        """Whether this claim fails when ``failing`` names what fails (``--fail-on``): its
        status is named, or it is disputed and :attr:`Flag.DISPUTED` is named; never when an
        ignore entry dismissed it."""
        if self.ignored is not None:
            return False
        wanted = set(failing)
        return self.status in wanted or (self.disputed and Flag.DISPUTED in wanted)


@attrs.frozen
class Report:
    """The result of a check: one :class:`ClaimResult` per claim, in file order.

    ``unused_ignores`` are the ignore entries that matched no finding: stale dismissals, which
    every report warns about (as linters do of a ``noqa`` that silences nothing).

    ``store`` is the snapshot store the check read its stored copies from (offline) or recorded
    its captures in (live: a temporary one unless named), as an absolute path; None when it had
    none (offline with no store found: every cited source unchecked)."""

    results: tuple[ClaimResult, ...]
    created: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))
    offline: bool = True
    unused_ignores: tuple[Ignore, ...] = attrs.field(default=(), converter=to_ignores)
    store: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        """How many claims have each status (every status listed), how many findings an ignore
        entry dismissed (``ignored``: counted apart, under no status), and the total."""
        counts = Counter(result.status for result in self.results if result.ignored is None)
        summary = {status.value: counts.get(status, 0) for status in STATUS_ORDER}
        summary["ignored"] = len(self.ignored)
        summary["total"] = len(self.results)
        return summary

    @property
    def ignored(self) -> tuple[ClaimResult, ...]:
        """The findings dismissed by an ignore entry (:attr:`ClaimResult.ignored`)."""
        return tuple(result for result in self.results if result.ignored is not None)

    def shown_statuses(self) -> tuple[Status, ...]:
        """The statuses a summary line names: all but ``unsourced`` always, ``unsourced`` when
        some claim has it (a coverage finding, or a claim that cites nothing)."""
        counts = self.summary
        return tuple(s for s in STATUS_ORDER if s is not Status.UNSOURCED or counts[s.value])

    @property
    def disputed(self) -> tuple[ClaimResult, ...]:
        """The claims that are verified while another of their sources says otherwise (and
        that no ignore entry dismissed)."""
        return tuple(r for r in self.results if r.disputed and r.ignored is None)

    def failing(self, statuses: Iterable[Status | Flag]) -> list[ClaimResult]:
        """The results that fail when ``statuses`` names what fails (:meth:`ClaimResult.fails`:
        a status, or :attr:`Flag.DISPUTED`)."""
        wanted = frozenset(statuses)
        return [result for result in self.results if result.fails(wanted)]

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
                "disputed": result.disputed,
                "dispute": result.dispute,
                "ignored": result.ignored.reason if result.ignored is not None else None,
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
        dependency: ``pip install 'claimcheck-citations[pandas]'``; without it, a
        :class:`~claimcheck.errors.MissingDependencyError`)."""
        try:
            import pandas
        except ImportError as error:
            raise MissingDependencyError(
                "Report.to_pandas needs pandas, which is not installed: "
                f"pip install 'claimcheck-citations[pandas]' ({error})"
            ) from None
        return pandas.DataFrame(self.rows())

    def _repr_html_(self) -> str | None:
        """How a notebook shows a report: a table of claims (drawn by
        :mod:`claimcheck.reports`, which :func:`show_in_notebooks` names); None, so that the
        notebook shows the text form, while none is named."""
        return str(NOTEBOOK[-1](self)) if NOTEBOOK else None


def show_in_notebooks(view: Callable[[Report], str]) -> None:
    """Show reports in notebooks with ``view`` (the HTML of a report, for ``_repr_html_``).
    The renderings live in claimcheck.reports, a layer above this one: ``import claimcheck``
    (which runs before any part of claimcheck) names its table (``claimcheck._views``)."""
    NOTEBOOK[:] = [view]


def combine(verdicts: Iterable[Verdict]) -> tuple[Status, Verdict | None]:
    """A claim's status from its sources' verdicts: verified if any source verifies it, else
    drifted if any shows drift, else broken if any is broken, else unchecked. Returns the status
    and the verdict that decided it. Whether a verified claim is also disputed:
    :func:`disputing`."""
    verdicts = list(verdicts)
    for status in STATUS_ORDER:
        for verdict in verdicts:
            if verdict.status is status:
                return status, verdict
    return Status.UNCHECKED, None


def disputing(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    """The verdicts that dispute a claim another of its sources verifies; empty when the claim
    is not disputed.

    The rule: a claim is disputed when at least one source verifies it and at least one other
    source is ``drifted``, its page read and found to say something else: another figure
    (``figure-changed``), another date (``date-mismatch``), the opposite (``negation``), other
    words (``quote-edited``, ``silent-omission``, ``stitched-quote``, ``hedge-changed``), or,
    for ``content-changed`` (the copy "as cited" had the claim), a live page that now says
    something else (its own evidence drifted). A source that could not be read or does not have
    the claim at all disputes nothing: broken (a dead link, a placeholder, ``not-found``),
    unchecked (no capture, an excerpt, a bot wall), or ``content-changed`` whose live page
    merely lost the passage: it is no evidence of another figure, date or wording. A claim that
    no source verifies is not disputed: it is drifted, and its status says so already.
    """
    verdicts = tuple(verdicts)
    if not any(verdict.status is Status.VERIFIED for verdict in verdicts):
        return ()
    return tuple(verdict for verdict in verdicts if _says_otherwise(verdict))


def _says_otherwise(verdict: Verdict) -> bool:
    if verdict.status is not Status.DRIFTED:
        return False
    if verdict.reason is Reason.CONTENT_CHANGED:
        return verdict.evidence is not None and verdict.evidence.status is Status.DRIFTED
    return True


def dispute(verdicts: Iterable[Verdict]) -> str | None:
    """Which source says what, for a disputed claim (:func:`disputing`), else ``None``:
    "verified by <url>; <url> says '17' (figure-changed)". What a disputing source says is the
    value it gives (a figure, a date) when it gives one, else its evidence's explanation (or its
    verdict's words, when it has no evidence of its own)."""
    verdicts = tuple(verdicts)
    against = disputing(verdicts)
    if not against:
        return None
    for_ = [verdict.source.url for verdict in verdicts if verdict.status is Status.VERIFIED]
    parts = [f"verified by {' and '.join(for_)}"]
    for verdict in against:
        evidence = next(
            (
                evidence
                for evidence in (verdict.evidence, verdict.archived_evidence)
                if evidence is not None and evidence.status is Status.DRIFTED
            ),
            None,
        )
        now = "now " if verdict.reason is Reason.CONTENT_CHANGED else ""
        if evidence is not None and evidence.found is not None:
            says = f"{now}says {evidence.found!r}"
        else:
            words = evidence.explanation if evidence is not None else verdict.message
            says = f"{now}differs: {words}"
        parts.append(f"{verdict.source.url} {says} ({verdict.reason.value})")
    return "; ".join(parts)

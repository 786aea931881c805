"""Renderings of an audit history (:class:`~claimcheck.auditing.AuditHistory`) as data and
text: JSON (``"schema": "claimcheck.audit-report"``, with its schema) and Markdown; and the words
every rendering of a history uses (the HTML page, :mod:`._history_html`, too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..auditing import (
    ATTENTION_STATES,
    AUDIT_REPORT_VERSION,
    FAILED_STATES,
    AuditHistory,
    RunSummary,
    Segment,
    SourceSummary,
    TimelineEntry,
    timeline_segments,
)
from ..model import Status, as_utc
from ..store import State
from ._display import markdown_code, markdown_text, markdown_url, stamp

__all__ = [
    "CHANGES_NOTE",
    "day",
    "history_span",
    "history_to_json",
    "last_verdict",
    "minute",
    "plural",
    "render_history_markdown",
    "run_words",
    "since_words",
    "states_line",
]

# ---------------------------------------------------------------------------------------------
# Words shared by the renderings


def minute(moment: dt.datetime | None) -> str:
    """A time to the minute, in UTC (``2026-03-01 02:00``); nothing for none."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def day(moment: dt.datetime | None) -> str:
    """A time's day, in UTC (``2026-03-01``); nothing for none."""
    return as_utc(moment).strftime("%Y-%m-%d") if moment else ""


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, in the plural unless the count is one: ``3 runs``,
    ``2 stretches``."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}{'es' if word.endswith(('ch', 'sh', 's', 'x')) else 's'}"


def history_span(history: AuditHistory) -> str:
    """How many runs the history holds, and over which days."""
    if not history.runs:
        return "no runs yet"
    first, last = history.runs[0].started, history.runs[-1].started
    when = day(first) if day(first) == day(last) else f"{day(first)} to {day(last)}"
    return f"{plural(len(history.runs), 'run')}, {when}"


def states_line(history: AuditHistory) -> str:
    """How many citations are in each state now, those needing attention first."""
    counts = history.states
    order = [state.value for state in (*ATTENTION_STATES, State.HEALTHY, State.UNKNOWN)]
    return ", ".join(f"{counts[state]} {state}" for state in order)


def since_words(source: SourceSummary) -> str:
    """Since when the citation is in its state (with its failing runs, when failing)."""
    since = source.current_since
    if since is None:
        return ""
    if source.state in FAILED_STATES and source.failures:
        return f"{day(since)}, {plural(source.failures, 'failing run')}"
    return day(since)


def last_verdict(entry: TimelineEntry | None) -> str:
    """An observation's verdict in words: ``reason: message``."""
    return f"{entry.reason}: {entry.message}" if entry is not None else ""


def run_words(first: TimelineEntry, last: TimelineEntry, count: int) -> str:
    """A stretch of ``count`` runs from ``first`` to ``last``, with its days."""
    runs = f"run {first.run_id}" if count == 1 else f"runs {first.run_id}\u2013{last.run_id}"
    when = day(first.observed_at)
    if day(last.observed_at) != when:
        when += f" \u2013 {day(last.observed_at)}"
    return f"{runs} ({when})"


CHANGES_NOTE = (
    "The newly broken, newly drifted and recovered counts replay the audit's rules over the "
    "observations and do not reproduce every citation's recorded state (runs were deleted, or "
    "the rules changed): read them as approximate."
)


# ---------------------------------------------------------------------------------------------
# JSON


def _entry_json(entry: TimelineEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "run": entry.run_id,
        "observed_at": stamp(entry.observed_at),
        "status": entry.status,
        "reason": entry.reason,
        "outcome": entry.outcome,
        "message": entry.message,
        "http_status": entry.http_status,
        "final_url": entry.final_url,
        "unchanged": entry.unchanged,
        "reused": entry.reused,
    }


def _segment_json(segment: Segment) -> dict[str, Any]:
    first, last = segment.first, segment.last
    return {
        "first_run": first.run_id,
        "last_run": last.run_id,
        "from": stamp(first.observed_at),
        "to": stamp(last.observed_at),
        "observations": segment.count,
        "status": first.status,
        "reason": first.reason,
        "outcome": first.outcome,
        "http_status": first.http_status,
        "final_url": first.final_url,
        "message": segment.message,
        "unchanged": segment.unchanged,
        "reused": segment.reused,
    }


def _run_json(run: RunSummary) -> dict[str, Any]:
    return {
        "id": run.id,
        "started": stamp(run.started),
        "finished": stamp(run.finished),
        "state": run.state.value,
        "claimcheck": run.claimcheck,
        "observed": run.observed,
        "statuses": dict(run.statuses),
        "outcomes": dict(run.outcomes),
        "states": dict(run.states),
        "newly_broken": run.newly_broken,
        "newly_drifted": run.newly_drifted,
        "recovered": run.recovered,
        "unchanged": run.unchanged,
        "reused": run.reused,
        "bytes": run.bytes,
        "cpu_seconds": round(run.cpu_seconds, 3),
    }


def _source_json(source: SourceSummary) -> dict[str, Any]:
    return {
        "statement": source.statement,
        "claim": source.claim_id,
        "url": source.url,
        "accessed": source.accessed.isoformat() if source.accessed else None,
        "claims_file": source.claims_file,
        "kind": source.kind,
        "state": source.state.value,
        "previous_state": source.previous_state.value if source.previous_state else None,
        "since": stamp(source.current_since),
        "state_since": stamp(source.since),
        "failing_since": stamp(source.failing_since),
        "failures": source.failures,
        "last_ok": stamp(source.last_ok),
        "flips": source.flips,
        "changed_run": source.changed_run,
        "url_state": source.url_state.value if source.url_state else None,
        "last": _entry_json(source.last),
        "replacement": source.replacement,
        "archive_url": source.archive_url,
        "archive_captured": stamp(source.archive_captured),
        "observations": len(source.timeline),
        "timeline": [_segment_json(segment) for segment in timeline_segments(source.timeline)],
    }


def history_to_json(history: AuditHistory) -> dict[str, Any]:
    """The history as JSON-ready data: ``"schema": "claimcheck.audit-report"``, ``"version":
    1``, described by ``claimcheck/schemas/audit-report.schema.json``. Its ``runs`` are oldest
    first; its ``sources`` (citations) those needing attention first, each with its timeline
    as segments (:func:`timeline_segments`). Fields are only ever added within a version."""
    runs = history.runs
    return {
        "schema": "claimcheck.audit-report",
        "version": AUDIT_REPORT_VERSION,
        "database": history.path,
        "schema_version": history.schema_version,
        "changes_exact": history.changes_exact,
        "statuses": list(history.statuses),
        "summary": {
            "runs": len(runs),
            "citations": len(history.sources),
            "first_run": stamp(runs[0].started) if runs else None,
            "last_run": stamp(runs[-1].started) if runs else None,
            "states": history.states,
            "attention": len(history.attention),
        },
        "runs": [_run_json(run) for run in runs],
        "sources": [_source_json(source) for source in history.sources],
    }


# ---------------------------------------------------------------------------------------------
# Markdown

# One symbol per run in a citation's row; a run that did not observe it shows as a dot.
_SYMBOLS = {
    Status.VERIFIED.value: "\u2713",
    Status.DRIFTED.value: "~",
    Status.BROKEN.value: "\u2717",
    Status.UNCHECKED.value: "?",
    Status.UNSOURCED.value: "\u2205",
}
_OTHER_SYMBOL = "*"
_UNOBSERVED_SYMBOL = "\u00b7"
_MARKDOWN_RUNS = 30  # the runs a Markdown timeline shows, the latest


def _symbols(source: SourceSummary, runs: Sequence[RunSummary]) -> str:
    by_run = {entry.run_id: entry.status for entry in source.timeline}
    return "".join(
        _SYMBOLS.get(by_run[run.id], _OTHER_SYMBOL) if run.id in by_run else _UNOBSERVED_SYMBOL
        for run in runs
    )


def render_history_markdown(history: AuditHistory) -> str:
    """The history as Markdown (an issue, a wiki page, a job summary): a table of the runs,
    then the citations needing attention with the archived copy to cite instead, then the
    others, each with a row of status symbols for the latest runs. Everything read from the
    history shows as written (:func:`~._display.markdown_text`): escaped, its hidden characters
    shown, only plain http(s) URLs linked."""
    runs = history.runs
    shown_runs = runs[-_MARKDOWN_RUNS:]
    window = f"last {len(shown_runs)} runs" if len(shown_runs) < len(runs) else "timeline"
    attention = [source for source in history.sources if source.needs_attention]
    others = [source for source in history.sources if not source.needs_attention]
    legend = ", ".join(f"{symbol} {status}" for status, symbol in _SYMBOLS.items())
    lines = [
        "## claimcheck audit history",
        "",
        f"{markdown_code(history.path)}: {history_span(history)}; "
        f"{plural(len(history.sources), 'citation')} now: {states_line(history)}.",
        "",
        "### Runs",
        "",
        *_runs_markdown(history),
        "",
        f"### Needs attention ({len(attention)})",
        "",
    ]
    if attention:
        lines += [
            f"| state | since | claim | source | last verdict | replace with | {window} |",
            "|---|---|---|---|---|---|---|",
        ]
        for source in attention:
            replace = markdown_url(source.replacement)
            if not replace and source.archive_url:
                replace = f"{markdown_url(source.archive_url)} (latest capture, not checked)"
            lines.append(_citation_row(source, f"**{source.state.value}**", replace, shown_runs))
    else:
        lines.append("Nothing is broken, drifted, failing or flapping.")
    lines += ["", f"### Other citations ({len(others)})", ""]
    if others:
        lines += [
            f"| state | since | claim | source | last verdict | last observed | {window} |",
            "|---|---|---|---|---|---|---|",
        ]
        for source in others:
            observed = minute(source.last.observed_at) if source.last else ""
            lines.append(_citation_row(source, source.state.value, observed, shown_runs))
    lines += [
        "",
        f"Timelines: one symbol per run, oldest first: {legend}, * other, "
        f"{_UNOBSERVED_SYMBOL} not observed in that run.",
    ]
    return "\n".join(lines) + "\n"


def _runs_markdown(history: AuditHistory) -> list[str]:
    """The table of runs: each run's counts by status and its changes of state."""
    runs = history.runs
    if not runs:
        return ["No runs yet."]
    statuses = history.statuses
    lines = [
        "| run | started (UTC) | state | observed | "
        + " | ".join(statuses)
        + " | newly broken | newly drifted | recovered | unchanged | reused |",
        "|---:|---|---|---:|" + "---:|" * (len(statuses) + 5),
    ]
    for run in runs:
        counts = " | ".join(str(run.statuses.get(status, 0)) for status in statuses)
        lines.append(
            f"| {run.id} | {minute(run.started)} | {run.state.value} | {run.observed} | "
            f"{counts} | {run.newly_broken} | {run.newly_drifted} | {run.recovered} | "
            f"{run.unchanged} | {run.reused} |"
        )
    if not history.changes_exact:
        lines += ["", f"_{markdown_text(CHANGES_NOTE)}_"]
    return lines


def _citation_row(source: SourceSummary, state: str, sixth: str, runs: Sequence[RunSummary]) -> str:
    """A citation's row: its state, since when, claim, source, last verdict, ``sixth`` (what
    to cite instead, or when it was last observed) and its symbols for ``runs``."""
    return (
        f"| {state} | {markdown_text(since_words(source))} | {markdown_text(source.label)} | "
        f"{markdown_url(source.url)} | {markdown_text(last_verdict(source.last))} | {sixth} | "
        f"{markdown_code(_symbols(source, runs))} |"
    )

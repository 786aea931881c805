"""Renderings of one audit run's :class:`~claimcheck.audit.AuditResult`: text for a terminal,
Markdown, and JSON (``"schema": "claimcheck.audit"``)."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from typing import Any

from ..auditing import AUDIT_JSON_VERSION, AuditResult, Finding
from ..store import Run, State
from ._text import neutralise, terminal_safe

__all__ = ["audit_to_json", "render_audit_markdown", "render_audit_text"]

# ---------------------------------------------------------------------------------------------
# Renderings


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


_SECTIONS = (
    ("newly_broken", "newly broken"),
    ("newly_drifted", "newly drifted"),
    ("recovered", "recovered"),
    ("still_failing", "still failing"),
    ("flapping", "flapping"),
    ("pending", "pending"),
)


def _finding_json(finding: Finding) -> dict[str, Any]:
    observation = finding.observation
    return {
        "statement": finding.key.statement,
        "claim": finding.key.claim_id,
        "url": finding.key.url,
        "accessed": finding.key.accessed.isoformat() if finding.key.accessed else None,
        "claims_file": observation.claims_file if observation else None,
        "state": finding.state.value,
        "previous_state": finding.previous_state.value if finding.previous_state else None,
        "since": _stamp(finding.since),
        "failures": finding.failures,
        "last_ok": _stamp(finding.last_ok),
        "status": observation.status.value if observation else None,
        "reason": observation.reason.value if observation else None,
        "message": observation.message if observation else None,
        "replacement": finding.replacement,
        "archive_url": finding.archive_url,
        "reused": observation.reused if observation else False,
    }


def audit_to_json(result: AuditResult) -> dict[str, Any]:
    """The result as JSON-ready data: ``"schema": "claimcheck.audit"``, ``"version": 1``;
    one list per section (see :class:`AuditResult`), each finding with its citation, state,
    since, verdict and suggested replacement. Fields are only ever added within a version."""
    run = result.run
    return {
        "schema": "claimcheck.audit",
        "version": AUDIT_JSON_VERSION,
        "run": {
            "id": run.id,
            "started": _stamp(run.started),
            "finished": _stamp(run.finished),
            "state": run.state.value,
            "resumed": result.resumed,
            "bytes": run.bytes,
            "cpu_seconds": round(run.cpu_seconds, 3),
        },
        "summary": {
            "observed": result.observed,
            "unchanged": result.unchanged,
            "reused": result.reused,
            **{name: len(getattr(result, name)) for name, _ in _SECTIONS},
        },
        "failed": result.failed,
        **{
            name: [_finding_json(finding) for finding in getattr(result, name)]
            for name, _ in _SECTIONS
        },
    }


def _size(count: int) -> str:
    for unit, scale in (("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def _summary_line(result: AuditResult) -> str:
    counts = ", ".join(f"{len(getattr(result, name))} {label}" for name, label in _SECTIONS)
    return (
        f"{result.observed} citations: {counts}; {result.unchanged} unchanged sources, "
        f"{result.reused} results reused, {_size(result.run.bytes)} received"
    )


def _headline(result: AuditResult) -> str:
    run = result.run
    resumed = " (resumed)" if result.resumed else ""
    return f"claimcheck audit: run {run.id} of {run.started:%Y-%m-%d %H:%M} UTC{resumed}"


def _why(finding: Finding) -> str:
    observation = finding.observation
    if observation is None:
        return ""
    return f"{observation.reason.value}: {observation.message}"


def _when(finding: Finding) -> str:
    if finding.state in (State.BROKEN, State.DRIFTED, State.FAILING) and finding.since:
        runs = f", {finding.failures} run{'s' if finding.failures != 1 else ''}"
        return f"since {finding.since:%Y-%m-%d}{runs}"
    if finding.since:
        return f"since {finding.since:%Y-%m-%d}"
    return ""


def _fix(finding: Finding) -> str:
    if finding.replacement:
        return finding.replacement
    if finding.archive_url and finding.state in (State.BROKEN, State.DRIFTED):
        return f"{finding.archive_url} (latest capture, not checked against the claim)"
    return ""


_SECTION_STYLE = {
    "newly_broken": "red",
    "newly_drifted": "yellow",
    "recovered": "green",
    "still_failing": "red",
    "flapping": "magenta",
    "pending": "blue",
}


def _policy_words(run: Run) -> str:
    policy = run.options.get("policy", {}) if isinstance(run.options, dict) else {}
    failures = policy.get("failures", 2)
    days = float(policy.get("span", 3 * 86400)) / 86400
    return f"{failures} failing runs over {days:g} days"


def render_audit_text(
    result: AuditResult, *, color: bool | None = None, width: int | None = None
) -> str:
    """A readable table of what changed (one row per citation in a section), then a summary
    line; everything from claims files or sources goes through the terminal filter.

    ``color``: True or False forces colours on or off; None colours when standard output is a
    terminal and ``NO_COLOR`` is not set."""
    from rich.console import Console
    from rich.table import Table

    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or 120,
        highlight=False,
        soft_wrap=False,
    )
    console.print(terminal_safe(_headline(result)))
    rows = [(name, label, f) for name, label in _SECTIONS for f in getattr(result, name)]
    if rows:
        table = Table(show_lines=False, expand=False, pad_edge=False)
        table.add_column("change", no_wrap=True)
        table.add_column("claim", overflow="fold", max_width=28)
        table.add_column("source", overflow="fold", max_width=36)
        table.add_column("why", overflow="fold")
        table.add_column("since", overflow="fold", max_width=22)
        table.add_column("replace with", overflow="fold", max_width=36)
        for name, label, finding in rows:
            table.add_row(
                f"[{_SECTION_STYLE[name]}]{label}[/]",
                terminal_safe(f"{finding.key.statement}/{finding.key.claim_id}"),
                terminal_safe(finding.key.url),
                terminal_safe(_why(finding)),
                terminal_safe(_when(finding)),
                terminal_safe(_fix(finding)),
            )
        console.print(table)
    else:
        console.print("nothing is failing")
    if result.pending:
        console.print(
            f"pending: failing, not yet confirmed (broken after {_policy_words(result.run)})"
        )
    console.print(terminal_safe(_summary_line(result)))
    return buffer.getvalue()


_MARKDOWN_ESCAPES = str.maketrans({"|": "\\|", "\n": " ", "\r": " ", "`": "\\`", "<": "&lt;"})


def _cell(text: str) -> str:
    return neutralise(text).translate(_MARKDOWN_ESCAPES)


def render_audit_markdown(result: AuditResult) -> str:
    """The result as Markdown: a heading, the summary, and a table per non-empty section."""
    lines = [f"## {_cell(_headline(result))}", "", _cell(_summary_line(result)), ""]
    for name, label in _SECTIONS:
        findings = getattr(result, name)
        if not findings:
            continue
        lines += [
            f"### {label} ({len(findings)})",
            "",
            "| claim | source | why | since | replace with |",
            "|---|---|---|---|---|",
        ]
        for finding in findings:
            lines.append(
                f"| {_cell(f'{finding.key.statement}/{finding.key.claim_id}')} | "
                f"{_cell(finding.key.url)} | {_cell(_why(finding))} | {_cell(_when(finding))} | "
                f"{_cell(_fix(finding))} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

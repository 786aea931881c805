"""Renderings of one audit run's :class:`~claimcheck.auditing.AuditResult` (what changed in that
run): text for a terminal, Markdown, and JSON (``"schema": "claimcheck.audit"``)."""

from __future__ import annotations

from typing import Any

from ..auditing import AUDIT_JSON_VERSION, AuditPolicy, AuditResult, Finding
from ..store import Run, State
from ._display import markdown_text, markdown_url, stamp, terminal_console, terminal_safe

__all__ = ["audit_summary_line", "audit_to_json", "render_audit_markdown", "render_audit_text"]

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
        "since": stamp(finding.since),
        "failures": finding.failures,
        "last_ok": stamp(finding.last_ok),
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
            "started": stamp(run.started),
            "finished": stamp(run.finished),
            "state": run.state.value,
            "resumed": result.resumed,
            "bytes": run.bytes,
            "cpu_seconds": round(run.cpu_seconds, 3),
        },
        "summary": {
            "observed": result.observed,
            "unchanged": result.unchanged,
            "reused": result.reused,
            "no_network": result.no_network,
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


def audit_summary_line(result: AuditResult) -> str:
    """The run's counts in one line: citations by change, unchanged, reused, bytes."""
    counts = ", ".join(f"{len(getattr(result, name))} {label}" for name, label in _SECTIONS)
    offline = (
        f"; {result.no_network} not checked for want of a network (their states unchanged)"
        if result.no_network
        else ""
    )
    return (
        f"{result.observed} citations: {counts}; {result.unchanged} unchanged sources, "
        f"{result.reused} results reused, {_size(result.run.bytes)} received{offline}"
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


_LATEST_CAPTURE = "(latest capture, not checked against the claim)"


def _fix(finding: Finding) -> str:
    """What to cite instead: the archived copy that supports the claim, else the URL's latest
    capture (unchecked) for a broken or drifted citation."""
    if finding.replacement:
        return finding.replacement
    if finding.archive_url and finding.state in (State.BROKEN, State.DRIFTED):
        return f"{finding.archive_url} {_LATEST_CAPTURE}"
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
    """The run's rule for broken, as it recorded its policy (the default policy's where it
    recorded none)."""
    policy = run.options.get("policy", {}) if isinstance(run.options, dict) else {}
    default = AuditPolicy()
    failures = policy.get("failures", default.failures)
    days = float(policy.get("span", default.span.total_seconds())) / 86400
    return f"{failures} failing runs over {days:g} days"


def render_audit_text(
    result: AuditResult, *, color: bool | None = None, width: int | None = None
) -> str:
    """A readable table of what changed (one row per citation in a section), then a summary
    line; everything from claims files or sources goes through :func:`~._display.terminal_safe`.

    ``color``: True or False forces colours on or off; None colours when standard output is a
    terminal and ``NO_COLOR`` is not set. ``width``: 120 columns unless given."""
    from rich.table import Table

    console, buffer = terminal_console(color=color, width=width)
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
    console.print(terminal_safe(audit_summary_line(result)))
    return buffer.getvalue()


def render_audit_markdown(result: AuditResult) -> str:
    """The result as Markdown: a heading, the summary, and a table per non-empty section
    (everything from claims files and sources shown as written:
    :func:`~._display.markdown_text`)."""
    lines = [
        f"## {markdown_text(_headline(result))}",
        "",
        markdown_text(audit_summary_line(result)),
        "",
    ]
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
                f"| {markdown_text(f'{finding.key.statement}/{finding.key.claim_id}')} | "
                f"{markdown_url(finding.key.url)} | {markdown_text(_why(finding))} | "
                f"{markdown_text(_when(finding))} | {_fix_markdown(finding)} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _fix_markdown(finding: Finding) -> str:
    """:func:`_fix` in Markdown: its URL linked when it may be."""
    if finding.replacement:
        return markdown_url(finding.replacement)
    if finding.archive_url and finding.state in (State.BROKEN, State.DRIFTED):
        return f"{markdown_url(finding.archive_url)} {markdown_text(_LATEST_CAPTURE)}"
    return ""

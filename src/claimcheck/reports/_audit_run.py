"""Renderings of one audit run's :class:`~claimcheck.auditing.AuditResult` (what changed in that
run): text for a terminal, Markdown, and JSON (``"schema": "claimcheck.audit"``)."""

from __future__ import annotations

from typing import Any

from ..auditing import AUDIT_JSON_VERSION, AuditPolicy, AuditResult, Finding
from ..store import Run, State
from ._display import (
    markdown_code,
    markdown_text,
    markdown_url,
    stamp,
    terminal_console,
    terminal_safe,
)
from ._text import GAP, NARROWEST, TRAILING_SPACES, grid

__all__ = [
    "audit_summary_line",
    "audit_to_json",
    "change_words",
    "render_audit_markdown",
    "render_audit_text",
]

# The sections of an AuditResult, in the order shown, and their JSON keys (version 1's).
_SECTIONS = ("newly_broken", "newly_drifted", "recovered", "still_failing", "flapping", "pending")

_NEWLY = {"newly_broken": "newly broken", "newly_drifted": "newly drifted"}


def change_words(section: str, finding: Finding) -> str:
    """What happened to a citation in a run, in the words every audit output uses for its
    state (:class:`~claimcheck.store.State`): ``newly broken``, ``newly drifted``,
    ``recovered``, ``still broken``, ``still drifted``, ``flapping``, ``failing`` (not yet
    confirmed). The JSON keys ``still_failing`` and ``pending`` (version 1) keep their names."""
    if section in _NEWLY:
        return _NEWLY[section]
    if section == "recovered":
        return "recovered"
    if section == "still_failing":
        return f"still {finding.state.value}"
    return finding.state.value  # flapping, failing


def _groups(result: AuditResult) -> list[tuple[str, list[tuple[str, Finding]]]]:
    """The findings under their words (:func:`change_words`), in section order."""
    groups: dict[str, list[tuple[str, Finding]]] = {}
    for section in _SECTIONS:
        for finding in getattr(result, section):
            groups.setdefault(change_words(section, finding), []).append((section, finding))
    return list(groups.items())


def _counts(result: AuditResult) -> str:
    """Each change counted in its words; a still broken or drifted one, by its state."""
    still = [finding.state.value for finding in result.still_failing]
    counts = [
        (len(result.newly_broken), "newly broken"),
        (len(result.newly_drifted), "newly drifted"),
        (len(result.recovered), "recovered"),
        (still.count(State.BROKEN.value), "still broken"),
        (still.count(State.DRIFTED.value), "still drifted"),
        (len(result.flapping), State.FLAPPING.value),
        (len(result.pending), State.FAILING.value),
    ]
    return ", ".join(f"{count} {words}" for count, words in counts)


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
    since, verdict and suggested replacement. Fields are only ever added within a version, so
    the sections keep version 1's keys: ``pending`` holds the citations in state ``failing``
    (not yet confirmed), ``still_failing`` those still ``broken`` or ``drifted`` (each
    finding's ``state`` says which), as the other outputs word them."""
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
        "store": result.store,
        "summary": {
            "observed": result.observed,
            "unchanged": result.unchanged,
            "reused": result.reused,
            "no_network": result.no_network,
            **{name: len(getattr(result, name)) for name in _SECTIONS},
        },
        "failed": result.failed,
        **{
            name: [_finding_json(finding) for finding in getattr(result, name)]
            for name in _SECTIONS
        },
    }


def _size(count: int) -> str:
    for unit, scale in (("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def audit_summary_line(result: AuditResult) -> str:
    """The run's counts in one line: citations by change, unchanged, reused, bytes."""
    counts = _counts(result)
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
    """What changed, for a terminal: one row per citation that changed or needs attention (what
    happened to it, in the words of its state: :func:`change_words`; the claim; why and since
    when), its URL and the archived copy to cite instead each whole on a line of its own below
    the row, never folded; then what ``failing`` means under the run's policy, and the counts.
    Everything from claims files or sources goes through :func:`~._display.terminal_safe`.

    ``color``: True or False forces colours on or off; None colours when standard output is a
    terminal and ``NO_COLOR`` is not set. ``width``: the terminal's width unless given
    (:func:`~._display.terminal_width`)."""
    console, buffer = terminal_console(color=color, width=width)
    console.print(terminal_safe(_headline(result)))
    if result.store is not None:
        console.print(f"snapshot store: {terminal_safe(result.store)}", soft_wrap=True)
    rows = [(words, section, f) for words, group in _groups(result) for section, f in group]
    if rows:
        width = max(console.width, NARROWEST)
        change = max(len(words) for words, _, _ in rows)
        rest = width - change - 2 * GAP
        claim = min(max(len(_claim(f)) for _, _, f in rows), max(12, rest // 3))
        columns = (change, claim, rest - claim)
        console.print(grid(columns, ("[bold]change[/]", "[bold]claim[/]", "[bold]why[/]")))
        indent = " " * (change + GAP)
        for words, section, finding in rows:
            why = " ".join(
                part for part in (_why(finding), _when(finding) and f"({_when(finding)})") if part
            )
            style = _SECTION_STYLE[section]
            cells = (f"[{style}]{words}[/]", terminal_safe(_claim(finding)), terminal_safe(why))
            console.print(grid(columns, cells))
            console.print(f"{indent}{terminal_safe(finding.key.url)}", soft_wrap=True)
            fix = _fix_line(finding)
            if fix:
                console.print(f"{indent}{terminal_safe(fix)}", soft_wrap=True)
    else:
        console.print("nothing is failing")
    if result.pending:
        console.print(f"failing: not yet confirmed (broken after {_policy_words(result.run)})")
    console.print(terminal_safe(audit_summary_line(result)))
    return TRAILING_SPACES.sub("\n", buffer.getvalue())


def _claim(finding: Finding) -> str:
    return f"{finding.key.statement}/{finding.key.claim_id}"


def _fix_line(finding: Finding) -> str:
    """What to cite instead, on a line of its own: the URL last, so that it stays whole."""
    if finding.replacement:
        return f"cite instead: {finding.replacement}"
    if finding.archive_url and finding.state in (State.BROKEN, State.DRIFTED):
        return f"latest capture, not checked against the claim: {finding.archive_url}"
    return ""


def render_audit_markdown(result: AuditResult) -> str:
    """The result as Markdown: a heading, the summary, and a table per change (in the words of
    :func:`change_words`; everything from claims files and sources shown as written:
    :func:`~._display.markdown_text`)."""
    lines = [
        f"## {markdown_text(_headline(result))}",
        "",
        *([f"Snapshot store: {markdown_code(result.store)}", ""] if result.store else []),
        markdown_text(audit_summary_line(result)),
        "",
    ]
    for words, group in _groups(result):
        lines += [
            f"### {words} ({len(group)})",
            "",
            "| claim | source | why | since | replace with |",
            "|---|---|---|---|---|",
        ]
        for _, finding in group:
            lines.append(
                f"| {markdown_text(_claim(finding))} | "
                f"{markdown_url(finding.key.url)} | {markdown_text(_why(finding))} | "
                f"{markdown_text(_when(finding))} | {_fix_markdown(finding)} |"
            )
        lines.append("")
    if result.pending:
        lines += [f"_failing: not yet confirmed (broken after {_policy_words(result.run)})_", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _fix_markdown(finding: Finding) -> str:
    """What to cite instead, in Markdown: the archived copy that supports the claim, else the
    URL's latest capture (unchecked) for a broken or drifted citation; linked when it may be."""
    if finding.replacement:
        return markdown_url(finding.replacement)
    if finding.archive_url and finding.state in (State.BROKEN, State.DRIFTED):
        return f"{markdown_url(finding.archive_url)} {markdown_text(_LATEST_CAPTURE)}"
    return ""

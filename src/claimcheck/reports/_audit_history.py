"""Renderings of an audit history (:class:`~claimcheck.audit.AuditHistory`): JSON (with its
schema), Markdown, and one self-contained HTML page with an inline SVG chart."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
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
from ..model import Status
from ..store import State
from ._html import _href, _link, _sha256, _text
from ._text import neutralise

__all__ = ["history_chart_svg", "history_to_json", "render_history_html", "render_history_markdown"]

# ---------------------------------------------------------------------------------------------
# Shared by the renderings


def _stamp(moment: dt.datetime | None) -> str | None:
    """A time as the JSON renderings give it: ISO 8601 UTC to the second."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _minute(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


def _day(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d") if moment else ""


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}{'es' if word.endswith(('ch', 'sh', 's', 'x')) else 's'}"


def _span(history: AuditHistory) -> str:
    if not history.runs:
        return "no runs yet"
    first, last = history.runs[0].started, history.runs[-1].started
    when = _day(first) if _day(first) == _day(last) else f"{_day(first)} to {_day(last)}"
    return f"{_plural(len(history.runs), 'run')}, {when}"


def _states_line(history: AuditHistory) -> str:
    counts = history.states
    order = [state.value for state in (*ATTENTION_STATES, State.HEALTHY, State.UNKNOWN)]
    return ", ".join(f"{counts[state]} {state}" for state in order)


def _since_words(source: SourceSummary) -> str:
    since = source.current_since
    if since is None:
        return ""
    if source.state in FAILED_STATES and source.failures:
        return f"{_day(since)}, {_plural(source.failures, 'failing run')}"
    return _day(since)


def _why(entry: TimelineEntry | None) -> str:
    return f"{entry.reason}: {entry.message}" if entry is not None else ""


def _run_words(first: TimelineEntry, last: TimelineEntry, count: int) -> str:
    runs = f"run {first.run_id}" if count == 1 else f"runs {first.run_id}\u2013{last.run_id}"
    when = _day(first.observed_at)
    if _day(last.observed_at) != when:
        when += f" \u2013 {_day(last.observed_at)}"
    return f"{runs} ({when})"


_CHANGES_NOTE = (
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
        "observed_at": _stamp(entry.observed_at),
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
        "from": _stamp(first.observed_at),
        "to": _stamp(last.observed_at),
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
        "started": _stamp(run.started),
        "finished": _stamp(run.finished),
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
        "since": _stamp(source.current_since),
        "state_since": _stamp(source.since),
        "failing_since": _stamp(source.failing_since),
        "failures": source.failures,
        "last_ok": _stamp(source.last_ok),
        "flips": source.flips,
        "changed_run": source.changed_run,
        "url_state": source.url_state.value if source.url_state else None,
        "last": _entry_json(source.last),
        "replacement": source.replacement,
        "archive_url": source.archive_url,
        "archive_captured": _stamp(source.archive_captured),
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
            "first_run": _stamp(runs[0].started) if runs else None,
            "last_run": _stamp(runs[-1].started) if runs else None,
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

# Backslash-escaped in Markdown text: what could make a link, an image, emphasis, HTML, an
# entity, a code span or a table cell of text (CommonMark escapes any ASCII punctuation).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~&$])")
_MARKDOWN_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
_LINK_UNSAFE = re.compile(r"[<>|`\\\[\]()]")


def _md(text: str) -> str:
    """``text`` as Markdown text that shows as written: its control and bidi characters shown
    (:func:`~claimcheck._report.neutralise`), on one line, every Markdown character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", neutralise(text).translate(_MARKDOWN_BREAKS))


def _md_code(text: str) -> str:
    """``text`` as a code span in a table cell: shown verbatim (line breaks as ``\\n``)."""
    shown = neutralise(text).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    shown = shown.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _md_url(url: str | None) -> str:
    """A plain http(s) URL as an autolink; anything else as a code span, not a link."""
    if not url:
        return ""
    if _href(url) is not None and not _LINK_UNSAFE.search(url):
        return f"<{url}>"
    return _md_code(url)


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
    history shows as written: escaped, its control and bidi characters shown, only plain
    http(s) URLs linked."""
    runs = history.runs
    shown_runs = runs[-_MARKDOWN_RUNS:]
    lines = [
        "## claimcheck audit history",
        "",
        f"{_md_code(history.path)}: {_span(history)}; "
        f"{_plural(len(history.sources), 'citation')} now: {_states_line(history)}.",
        "",
        "### Runs",
        "",
    ]
    if runs:
        statuses = history.statuses
        lines += [
            "| run | started (UTC) | state | observed | "
            + " | ".join(statuses)
            + " | newly broken | newly drifted | recovered | unchanged | reused |",
            "|---:|---|---|---:|" + "---:|" * (len(statuses) + 5),
        ]
        for run in runs:
            counts = " | ".join(str(run.statuses.get(status, 0)) for status in statuses)
            lines.append(
                f"| {run.id} | {_minute(run.started)} | {run.state.value} | {run.observed} | "
                f"{counts} | {run.newly_broken} | {run.newly_drifted} | {run.recovered} | "
                f"{run.unchanged} | {run.reused} |"
            )
        if not history.changes_exact:
            lines += ["", f"_{_md(_CHANGES_NOTE)}_"]
    else:
        lines.append("No runs yet.")
    window = f"last {len(shown_runs)} runs" if len(shown_runs) < len(runs) else "timeline"
    attention = [source for source in history.sources if source.needs_attention]
    others = [source for source in history.sources if not source.needs_attention]
    lines += ["", f"### Needs attention ({len(attention)})", ""]
    if attention:
        lines += [
            f"| state | since | claim | source | last verdict | replace with | {window} |",
            "|---|---|---|---|---|---|---|",
        ]
        for source in attention:
            replace = _md_url(source.replacement)
            if not replace and source.archive_url:
                replace = f"{_md_url(source.archive_url)} (latest capture, not checked)"
            lines.append(
                f"| **{source.state.value}** | {_md(_since_words(source))} | "
                f"{_md(source.label)} | {_md_url(source.url)} | {_md(_why(source.last))} | "
                f"{replace} | {_md_code(_symbols(source, shown_runs))} |"
            )
    else:
        lines.append("Nothing is broken, drifted, failing or flapping.")
    lines += ["", f"### Other citations ({len(others)})", ""]
    if others:
        lines += [
            f"| state | since | claim | source | last verdict | last observed | {window} |",
            "|---|---|---|---|---|---|---|",
        ]
        for source in others:
            last = source.last
            lines.append(
                f"| {source.state.value} | {_md(_since_words(source))} | {_md(source.label)} | "
                f"{_md_url(source.url)} | {_md(_why(last))} | "
                f"{_minute(last.observed_at) if last else ''} | "
                f"{_md_code(_symbols(source, shown_runs))} |"
            )
    legend = ", ".join(f"{symbol} {status}" for status, symbol in _SYMBOLS.items())
    lines += [
        "",
        f"Timelines: one symbol per run, oldest first: {legend}, * other, "
        f"{_UNOBSERVED_SYMBOL} not observed in that run.",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# The chart (inline SVG)

_COLOUR = {
    Status.VERIFIED.value: "#1a7f37",
    Status.DRIFTED.value: "#9a6700",
    Status.BROKEN.value: "#cf222e",
    Status.UNCHECKED.value: "#0969da",
    Status.UNSOURCED.value: "#8250df",
}
_OTHER_COLOUR = "#6e7781"
_STATE_COLOUR = {
    State.HEALTHY.value: "#1a7f37",
    State.DRIFTED.value: "#9a6700",
    State.BROKEN.value: "#cf222e",
    State.FAILING.value: "#bc4c00",
    State.FLAPPING.value: "#8250df",
    State.UNKNOWN.value: "#59636e",
}
_UNOBSERVED_COLOUR = "#eaeef2"

_WIDTH, _HEIGHT = 960, 340
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 44, 60
_X_LABELS = 8  # at most this many dates under the bars


def _number(value: float) -> str:
    """A coordinate, short and always the same for the same value."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _nice_ticks(top: int) -> list[int]:
    """Tick values from 0 covering ``top``: a step of 1, 2 or 5 times a power of ten, at most
    about six ticks."""
    top = max(top, 1)
    magnitude = 10 ** max(0, math.floor(math.log10(top)) - 1)
    for factor in (1, 2, 5, 10, 20, 50, 100):
        step = factor * magnitude
        if math.ceil(top / step) <= 5:
            break
    count = math.ceil(top / step)
    return [step * index for index in range(count + 1)]


def _run_title(run: RunSummary, statuses: Sequence[str]) -> str:
    counts = ", ".join(f"{run.statuses.get(status, 0)} {status}" for status in statuses)
    changes = [
        f"{count} {label}"
        for count, label in (
            (run.newly_broken, "newly broken"),
            (run.newly_drifted, "newly drifted"),
            (run.recovered, "recovered"),
        )
        if count
    ]
    more = f"; {', '.join(changes)}" if changes else ""
    return (
        f"Run {run.id}, {_minute(run.started)} UTC ({run.state.value}): "
        f"{run.observed} observed: {counts}{more}"
    )


def history_chart_svg(history: AuditHistory, *, id_prefix: str = "chart") -> str:
    """The counts of each run by status as a stacked bar chart: one inline SVG element (valid
    on its own too), one ``<g class="run">`` per run, oldest left, with a ``<title>`` for hover
    text and a rect per status counted (``data-status``, ``data-count``); axes with labels, a
    legend, and a title and description for assistive technology. It draws in presentation
    attributes only (no style attribute, no script), so a strict Content-Security-Policy
    shows it as is. ``id_prefix`` names its title and description elements."""
    runs = history.runs
    statuses = history.statuses
    title = (
        f"Citations observed per audit run, by status ({_span(history)})"
        if runs
        else "Citations observed per audit run: no runs yet"
    )
    if runs:
        latest = runs[-1]
        counts = ", ".join(f"{latest.statuses.get(s, 0)} {s}" for s in statuses)
        peak = max(runs, key=lambda run: (run.statuses.get(Status.BROKEN.value, 0), -run.id))
        description = (
            f"A stacked bar per run, oldest first. Latest run ({_minute(latest.started)} UTC): "
            f"{counts}. Most broken: {peak.statuses.get(Status.BROKEN.value, 0)} in run "
            f"{peak.id} ({_day(peak.started)}). The table of runs holds every run's numbers."
        )
    else:
        description = "The history holds no run yet."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" height="{_HEIGHT}" '
        f'font-family="system-ui, sans-serif" font-size="12" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{_text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_text(description)}</desc>',
    ]
    plot_width = _WIDTH - _LEFT - _RIGHT
    plot_height = _HEIGHT - _TOP - _BOTTOM
    bottom = _TOP + plot_height
    # The legend, above the plot.
    x = float(_LEFT)
    parts.append('<g class="legend">')
    for status in statuses:
        colour = _COLOUR.get(status, _OTHER_COLOUR)
        parts.append(
            f'<g class="legend-item" data-status="{_text(status)}">'
            f'<rect x="{_number(x)}" y="14" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_number(x + 16)}" y="24.5" fill="#1f2328">{_text(status)}</text></g>'
        )
        x += 28 + 7.5 * len(status)
    parts.append("</g>")
    if not runs:
        parts.append(
            f'<text x="{_WIDTH / 2:g}" y="{_TOP + plot_height / 2:g}" text-anchor="middle" '
            'fill="#59636e">No runs yet</text></svg>'
        )
        return "".join(parts)
    ticks = _nice_ticks(max(run.observed for run in runs))
    scale = plot_height / ticks[-1]
    # The y axis: grid lines and counts.
    parts.append('<g class="y-axis">')
    for tick in ticks:
        y = _number(bottom - tick * scale)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y}" y2="{y}" stroke="#d1d9e0"/>'
            f'<text x="{_LEFT - 6}" y="{y}" dy="0.35em" text-anchor="end" fill="#59636e">'
            f"{tick}</text>"
        )
    parts.append(
        f'<text class="axis-title" transform="translate(16 {_TOP + plot_height / 2:g}) '
        f'rotate(-90)" text-anchor="middle" fill="#1f2328">citations observed</text></g>'
    )
    # The bars: one group per run.
    step = plot_width / len(runs)
    bar = step * 0.8 if step >= 4 else step
    offset = (step - bar) / 2
    # Adjacent bars (hundreds of runs) are drawn edge to edge, without anti-aliased seams.
    crisp = ' shape-rendering="crispEdges"' if bar == step else ""
    parts.append(f'<g class="bars"{crisp}>')
    for index, run in enumerate(runs):
        left = _LEFT + index * step
        parts.append(
            f'<g class="run" data-run="{run.id}" data-started="{_stamp(run.started)}">'
            f"<title>{_text(_run_title(run, statuses))}</title>"
            f'<rect class="hit" x="{_number(left)}" y="{_TOP}" width="{_number(step)}" '
            f'height="{plot_height}" fill="transparent"/>'
        )
        base = float(bottom)
        for status in statuses:
            count = run.statuses.get(status, 0)
            if not count:
                continue
            height = count * scale
            base -= height
            parts.append(
                f'<rect class="st-{_text(status)}" data-status="{_text(status)}" '
                f'data-count="{count}" x="{_number(left + offset)}" y="{_number(base)}" '
                f'width="{_number(bar)}" height="{_number(height)}" '
                f'fill="{_COLOUR.get(status, _OTHER_COLOUR)}"/>'
            )
        parts.append("</g>")
    parts.append("</g>")
    # The x axis: a date under some of the runs.
    parts.append(
        f'<g class="x-axis"><line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{bottom}" '
        f'y2="{bottom}" stroke="#59636e"/>'
    )
    every = max(1, math.ceil(len(runs) / _X_LABELS))
    labelled = list(range(0, len(runs), every))
    if labelled[-1] != len(runs) - 1 and len(runs) - 1 - labelled[-1] >= every / 2:
        labelled.append(len(runs) - 1)
    for index in labelled:
        centre = _LEFT + (index + 0.5) * step
        # A date is about 66 units wide: one that would cross the edge ends at it instead.
        anchor, at = "middle", centre
        if centre + 34 > _WIDTH:
            anchor, at = "end", float(_WIDTH - 2)
        parts.append(
            f'<line x1="{_number(centre)}" x2="{_number(centre)}" y1="{bottom}" '
            f'y2="{bottom + 4}" stroke="#59636e"/><text x="{_number(at)}" y="{bottom + 17}" '
            f'text-anchor="{anchor}" fill="#59636e">{_day(runs[index].started)}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{_LEFT + plot_width / 2:g}" y="{_HEIGHT - 10}" '
        'text-anchor="middle" fill="#1f2328">audit runs, by start date (UTC)</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# HTML


def _css_colours() -> str:
    statuses = "".join(f"--st-{name}: {colour}; " for name, colour in _COLOUR.items())
    states = "".join(f"--state-{name}: {colour}; " for name, colour in _STATE_COLOUR.items())
    badges = "\n".join(
        f".badge.st-{name} {{ background: var(--st-{name}); }}\n"
        f"table.timeline td.st-{name} {{ color: var(--st-{name}); font-weight: 600; }}"
        for name in _COLOUR
    ) + "\n".join(
        f"\n.badge.state-{name} {{ background: var(--state-{name}); }}\n"
        f"details.source.state-{name} {{ border-left-color: var(--state-{name}); }}"
        for name in _STATE_COLOUR
    )
    return f":root {{ {statuses}{states}}}\n{badges}\n"


_STYLE = """
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
code, .url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
a { color: #0550ae; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
.meta, .note { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0;
  margin: .5rem 0; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 1em; color: #fff; font-weight: 600;
  font-size: .85em; white-space: nowrap; background: var(--muted); }
.summary .badge { font-size: 1rem; padding: .1em .75em; }
figure.chart { margin: 1rem 0; }
figure.chart svg { display: block; width: 100%; max-width: 960px; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: .9em; }
table { border-collapse: collapse; font-size: .9em; }
th, td { border-bottom: 1px solid var(--line); padding: .2rem .5rem; text-align: left;
  vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.t { white-space: nowrap; }
table.timeline :is(td, th):is(:nth-child(2), :nth-child(5), :nth-child(7), :nth-child(8)) {
  text-align: right; font-variant-numeric: tabular-nums; }
table.timeline td:first-child { white-space: nowrap; }
caption { text-align: left; }
.table-scroll { overflow-x: auto; }
details.runs, details.legend { margin: .5rem 0; }
details > summary { cursor: pointer; }
.sources { display: flex; flex-direction: column; gap: .25rem; }
details.source { border: 1px solid var(--line); border-left: 6px solid var(--muted);
  border-radius: 4px; }
details.source > summary { display: grid; gap: .25rem .75rem; align-items: center;
  padding: .25rem .5rem; list-style: none; grid-template-columns: 1rem 6.5rem
  minmax(8rem, 1fr) minmax(10rem, 2fr) 7rem minmax(8rem, 1.5fr); }
details.source > summary::-webkit-details-marker { display: none; }
details.source > summary .badge { justify-self: start; }
details.source > summary::before { content: "\\25B8"; color: var(--muted); }
details.source[open] > summary::before { content: "\\25BE"; }
.cite { overflow-wrap: anywhere; }
.since { color: var(--muted); font-size: .85em; }
svg.strip { display: block; width: 100%; height: 14px; }
.source-body { padding: .25rem 1rem .75rem 2rem; border-top: 1px dashed var(--line); }
.source-body p { margin: .25rem 0; }
@media (max-width: 800px) {
  details.source > summary { grid-template-columns: 1rem 6.5rem 1fr; }
  details.source > summary .src, details.source > summary .since { grid-column: 2 / -1; }
  svg.strip { grid-column: 2 / -1; }
}
footer { margin-top: 2rem; color: var(--muted); font-size: .85em; }
""" + _css_colours()

# The page applies its one style sheet and loads and runs nothing at all.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_sha256(_STYLE)}; script-src 'none'; img-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)

_STATE_LABEL = {
    State.BROKEN: "confirmed dead or wrong: failing in enough runs over enough days",
    State.DRIFTED: "the page now says something else than the claim",
    State.FAILING: "failing, not yet confirmed (pending)",
    State.FLAPPING: "alternating between ok and failing",
    State.HEALTHY: "the source supports the claim",
    State.UNKNOWN: "never checked conclusively (only unchecked so far)",
}


# A strip draws a rect with its hover text per stretch of runs up to this many stretches; past
# it (a citation that flaps run after run), one path per status, so that it stays small.
_STRIP_STRETCHES = 40
# The timeline table of a citation lists at most its latest stretches; the strip shows all.
_TABLE_SEGMENTS = 12


def _strip(source: SourceSummary, runs: Sequence[RunSummary]) -> str:
    """The citation's statuses run by run, as a thin SVG strip: a rect per stretch of
    consecutive runs with the same status (its runs and dates as hover text), grey where a
    run did not observe it."""
    position = {run.id: index for index, run in enumerate(runs)}
    stretches: list[list[Any]] = []  # [start, end, status, first entry, last entry]
    for entry in source.timeline:
        at = position[entry.run_id]
        if stretches and stretches[-1][2] == entry.status and stretches[-1][1] == at - 1:
            stretches[-1][1] = at
            stretches[-1][4] = entry
        else:
            stretches.append([at, at, entry.status, entry, entry])
    counts = Counter(entry.status for entry in source.timeline)
    label = ", ".join(f"{count} {status}" for status, count in counts.items()) or "no observation"
    width = max(len(runs), 1)
    parts = [
        f'<svg class="strip" viewBox="0 0 {width} 1" preserveAspectRatio="none" role="img" '
        f'aria-label="{_text(f"{len(source.timeline)} of {len(runs)} runs: {label}")}">'
        f'<rect width="{width}" height="1" fill="{_UNOBSERVED_COLOUR}"/>'
    ]
    if len(stretches) <= _STRIP_STRETCHES:
        for start, end, status, first, last in stretches:
            count = end - start + 1
            words = f"{_run_words(first, last, count)}: {status}"
            parts.append(
                f'<rect class="st-{_text(status)}" x="{start}" width="{count}" height="1" '
                f'fill="{_COLOUR.get(status, _OTHER_COLOUR)}"><title>{_text(words)}</title></rect>'
            )
    else:
        paths: dict[str, list[str]] = {}
        for start, end, status, _, _ in stretches:
            paths.setdefault(status, []).append(f"M{start} 0h{end - start + 1}v1H{start}z")
        for status, moves in paths.items():
            words = f"{counts[status]} {status} in {_plural(len(moves), 'stretch')} of runs"
            parts.append(
                f'<path class="st-{_text(status)}" d="{"".join(moves)}" '
                f'fill="{_COLOUR.get(status, _OTHER_COLOUR)}"><title>{_text(words)}</title></path>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _segments_table(source: SourceSummary) -> str:
    """The citation's latest stretches of runs that said the same thing, newest last."""
    segments = timeline_segments(source.timeline)
    shown = segments[-_TABLE_SEGMENTS:]
    rows = []
    for segment in shown:
        first = segment.first
        final = first.final_url if first.final_url not in (None, source.url) else None
        rows.append(
            f"<tr><td>{_text(_run_words(first, segment.last, segment.count))}</td>"
            f"<td>{segment.count}</td>"
            f'<td class="st-{_text(first.status)}">{_text(first.status)}</td>'
            f"<td><code>{_text(first.reason)}</code> \u2014 {_text(segment.message)}</td>"
            f"<td>{first.http_status if first.http_status is not None else ''}</td>"
            f"<td>{_link(final) if final else ''}</td>"
            f"<td>{segment.unchanged}</td><td>{segment.reused}</td></tr>"
        )
    earlier = len(segments) - len(shown)
    note = (
        f'<p class="note">{_plural(earlier, "earlier stretch")} of runs not listed: the strip '
        "shows them, the JSON report and the history hold them.</p>"
        if earlier
        else ""
    )
    return (
        f'{note}<div class="table-scroll"><table class="timeline"><thead><tr><th>runs</th>'
        "<th>observations</th><th>status</th><th>why</th><th>HTTP</th>"
        "<th>final URL (when another)</th><th>unchanged</th><th>reused</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _source_html(index: int, source: SourceSummary, runs: Sequence[RunSummary]) -> str:
    state = source.state.value
    last = source.last
    since = _since_words(source)
    summary = (
        f'<summary><span class="badge state-{state}" title="{_text(_STATE_LABEL[source.state])}">'
        f"{state}</span>"
        f'<span class="cite"><code>{_text(source.label)}</code></span>'
        f'<span class="src">{_link(source.url)}</span>'
        f'<span class="since">{_text(_day(source.current_since))}</span>'
        f"{_strip(source, runs)}</summary>"
    )
    body = []
    about = [f"<strong>{state}</strong>"]
    if since:
        about.append(f"since {_text(since)}")
    if source.previous_state is not None:
        about.append(f"before: {source.previous_state.value}")
    if source.flips:
        about.append(f"{_plural(source.flips, 'recent flip')} between ok and failing")
    if source.accessed is not None:
        about.append(f"accessed {source.accessed.isoformat()}")
    if source.kind:
        about.append(f"{_text(source.kind)} claim")
    if source.claims_file:
        about.append(f"in <code>{_text(source.claims_file)}</code>")
    body.append(f'<p class="about">{", ".join(about)}</p>')
    if last is not None:
        http = f", HTTP {last.http_status}" if last.http_status is not None else ""
        body.append(
            f'<p class="last">Last observed {_minute(last.observed_at)} UTC (run {last.run_id}'
            f'{http}): <span class="badge st-{_text(last.status)}">{_text(last.status)}</span> '
            f"<code>{_text(last.reason)}</code> \u2014 {_text(last.message)}</p>"
        )
        if last.final_url and last.final_url != source.url:
            body.append(f'<p class="final">Ended at {_link(last.final_url)}</p>')
    if source.replacement:
        body.append(
            f'<p class="replacement">Suggested replacement (an archived copy that supports '
            f"the claim): {_link(source.replacement)}</p>"
        )
    if source.archive_url:
        captured = f" ({_minute(source.archive_captured)} UTC)" if source.archive_captured else ""
        body.append(
            f'<p class="archive">Latest web-archive capture of the URL{captured}: '
            f"{_link(source.archive_url)} (not checked against the claim)</p>"
        )
    if source.url_state is not None and source.url_state is not source.state:
        body.append(f'<p class="note">The URL itself is {source.url_state.value}.</p>')
    if source.timeline:
        body.append(_segments_table(source))
    else:
        body.append('<p class="note">No observation of it is left in the history.</p>')
    return (
        f'<details class="source state-{state}" id="source-{index + 1}" '
        f'data-state="{state}">{summary}<div class="source-body">{"".join(body)}</div></details>'
    )


def _runs_table(history: AuditHistory) -> str:
    statuses = history.statuses
    head = (
        "<tr><th>run</th><th>started (UTC)</th><th>finished</th><th>state</th>"
        '<th class="n">observed</th>'
        + "".join(f'<th class="n">{_text(status)}</th>' for status in statuses)
        + '<th class="n">newly broken</th><th class="n">newly drifted</th>'
        '<th class="n">recovered</th><th class="n">unchanged</th><th class="n">reused</th></tr>'
    )
    rows = []
    for run in history.runs:
        rows.append(
            f'<tr data-run="{run.id}"><td>{run.id}</td><td class="t">{_minute(run.started)}</td>'
            f'<td class="t">{_minute(run.finished)}</td><td>{run.state.value}</td>'
            f'<td class="n">{run.observed}</td>'
            + "".join(f'<td class="n">{run.statuses.get(status, 0)}</td>' for status in statuses)
            + f'<td class="n">{run.newly_broken}</td><td class="n">{run.newly_drifted}</td>'
            f'<td class="n">{run.recovered}</td><td class="n">{run.unchanged}</td>'
            f'<td class="n">{run.reused}</td></tr>'
        )
    return (
        '<div class="table-scroll"><table class="runs" id="runs-table"><caption class="note">'
        "Observations per run by status, and the citations whose state changed</caption>"
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _sources_section(
    identifier: str,
    heading: str,
    sources: Sequence[tuple[int, SourceSummary]],
    empty: str,
    runs: Sequence[RunSummary],
) -> str:
    body = (
        '<div class="sources">'
        + "".join(_source_html(index, source, runs) for index, source in sources)
        + "</div>"
        if sources
        else f'<p class="note">{empty}</p>'
    )
    return f'<section id="{identifier}"><h2>{heading} ({len(sources)})</h2>{body}</section>'


def render_history_html(history: AuditHistory, *, title: str | None = None) -> str:
    """The history as one self-contained HTML page (UTF-8 text, to be written as is): the
    chart of the runs and their table, then every citation, those needing attention first,
    each with its strip of statuses and its timeline folded. ``title`` defaults to "claimcheck
    audit history". The page loads and runs nothing: see the module documentation."""
    title = title or "claimcheck audit history"
    runs = history.runs
    indexed = list(enumerate(history.sources))
    attention = [(index, source) for index, source in indexed if source.needs_attention]
    others = [(index, source) for index, source in indexed if not source.needs_attention]
    states = history.states
    order = (*ATTENTION_STATES, State.HEALTHY, State.UNKNOWN)
    badges = "".join(
        f'<li><span class="badge state-{state.value}" title="{_text(_STATE_LABEL[state])}">'
        f"{states[state.value]} {state.value}</span></li>"
        for state in order
    )
    legend = "; ".join(
        f"<strong>{state.value}</strong>: {_text(_STATE_LABEL[state])}" for state in order
    )
    note = (
        f'<p class="note changes">{_text(_CHANGES_NOTE)}</p>' if not history.changes_exact else ""
    )
    runs_section = (
        '<section id="runs"><h2>Runs</h2>'
        f'<figure class="chart">{history_chart_svg(history)}'
        "<figcaption>Citations observed in each run, stacked by status (hover a bar for its "
        "numbers). The same numbers, with the changes of state, are in the table of runs."
        "</figcaption></figure>"
        f'<details class="runs"><summary>Table of runs ({len(runs)})</summary>'
        f"{_runs_table(history)}</details>{note}</section>"
        if runs
        else '<section id="runs"><h2>Runs</h2><p class="note">No runs yet.</p></section>'
    )
    body = (
        runs_section
        + _sources_section(
            "attention",
            "Needs attention",
            attention,
            "Nothing is broken, drifted, failing or flapping.",
            runs,
        )
        + _sources_section("others", "Other citations", others, "None.", runs)
    )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(title)}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<header>"
        f"<h1>{_text(title)}</h1>"
        f'<p class="meta"><code>{_text(history.path)}</code> \u00b7 {_text(_span(history))} '
        f"\u00b7 {_plural(len(history.sources), 'citation')}</p>"
        f'<ul class="summary">{badges}</ul>'
        '<details class="legend"><summary>How to read this report</summary>'
        f"<p>Each citation (a claim's source) has a state: {legend}. Its line shows its "
        "statuses run by run, oldest left (grey: not observed in that run); open it for its "
        "timeline, each stretch of runs that said the same thing on one row.</p></details>"
        f"</header>\n<main>{body}</main>\n"
        "<footer>Rendered by claimcheck from the audit history. Links to sources open the "
        "pages as they are now.</footer>\n</body>\n</html>\n"
    )

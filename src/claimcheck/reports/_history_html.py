"""An audit history (:class:`~claimcheck.auditing.AuditHistory`) as one self-contained HTML page:
a stacked bar chart of the runs drawn as inline SVG (:func:`history_chart_svg`), the table of
runs, then every citation, those needing attention first, each with a strip of its statuses run by
run and its timeline folded underneath. The page (:mod:`._htmlkit`) runs no script and loads
nothing."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..auditing import ATTENTION_STATES, AuditHistory, RunSummary, SourceSummary, timeline_segments
from ..model import Status
from ..store import State
from ._display import stamp
from ._history import (
    CHANGES_NOTE,
    day,
    history_span,
    minute,
    plural,
    run_words,
    since_words,
)
from ._htmlkit import (
    BASE_STYLE,
    STATUS_COLOURS,
    content_security_policy,
    each_status,
    html_text,
    link,
    page,
)

__all__ = ["CONTENT_SECURITY_POLICY", "history_chart_svg", "render_history_html"]

# ---------------------------------------------------------------------------------------------
# The chart (inline SVG)

# The statuses' colours are the pages' (STATUS_COLOURS); a status the history holds that this
# claimcheck does not know is grey, as are the runs that did not observe a citation.
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
        f"Run {run.id}, {minute(run.started)} UTC ({run.state.value}): "
        f"{run.observed} observed: {counts}{more}"
    )


_PLOT_WIDTH = _WIDTH - _LEFT - _RIGHT
_PLOT_HEIGHT = _HEIGHT - _TOP - _BOTTOM
_PLOT_BOTTOM = _TOP + _PLOT_HEIGHT


def history_chart_svg(history: AuditHistory, *, id_prefix: str = "chart") -> str:
    """The counts of each run by status as a stacked bar chart: one inline SVG element (valid
    on its own too), one ``<g class="run">`` per run, oldest left, with a ``<title>`` for hover
    text and a rect per status counted (``data-status``, ``data-count``); axes with labels, a
    legend, and a title and description for assistive technology. It draws in presentation
    attributes only (no style attribute, no script), so a strict Content-Security-Policy
    shows it as is. ``id_prefix`` names its title and description elements."""
    runs = history.runs
    title, description = _chart_words(history)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" height="{_HEIGHT}" '
        f'font-family="system-ui, sans-serif" font-size="12" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{html_text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{html_text(description)}</desc>',
        _chart_legend(history.statuses),
    ]
    if not runs:
        parts.append(
            f'<text x="{_WIDTH / 2:g}" y="{_TOP + _PLOT_HEIGHT / 2:g}" text-anchor="middle" '
            'fill="#59636e">No runs yet</text></svg>'
        )
        return "".join(parts)
    ticks = _nice_ticks(max(run.observed for run in runs))
    scale = _PLOT_HEIGHT / ticks[-1]
    parts += [
        _chart_y_axis(ticks, scale),
        _chart_bars(runs, history.statuses, scale),
        _chart_x_axis(runs),
        "</svg>",
    ]
    return "".join(parts)


def _chart_words(history: AuditHistory) -> tuple[str, str]:
    """The chart's title and its description for assistive technology."""
    runs = history.runs
    if not runs:
        return "Citations observed per audit run: no runs yet", "The history holds no run yet."
    latest = runs[-1]
    counts = ", ".join(f"{latest.statuses.get(s, 0)} {s}" for s in history.statuses)
    peak = max(runs, key=lambda run: (run.statuses.get(Status.BROKEN.value, 0), -run.id))
    description = (
        f"A stacked bar per run, oldest first. Latest run ({minute(latest.started)} UTC): "
        f"{counts}. Most broken: {peak.statuses.get(Status.BROKEN.value, 0)} in run "
        f"{peak.id} ({day(peak.started)}). The table of runs holds every run's numbers."
    )
    return f"Citations observed per audit run, by status ({history_span(history)})", description


def _chart_legend(statuses: Sequence[str]) -> str:
    """The legend, above the plot: a swatch and a name per status."""
    x = float(_LEFT)
    parts = ['<g class="legend">']
    for status in statuses:
        colour = STATUS_COLOURS.get(status, _OTHER_COLOUR)
        parts.append(
            f'<g class="legend-item" data-status="{html_text(status)}">'
            f'<rect x="{_number(x)}" y="14" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_number(x + 16)}" y="24.5" fill="#1f2328">{html_text(status)}</text></g>'
        )
        x += 28 + 7.5 * len(status)
    parts.append("</g>")
    return "".join(parts)


def _chart_y_axis(ticks: Sequence[int], scale: float) -> str:
    """The y axis: grid lines and counts."""
    parts = ['<g class="y-axis">']
    for tick in ticks:
        y = _number(_PLOT_BOTTOM - tick * scale)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y}" y2="{y}" stroke="#d1d9e0"/>'
            f'<text x="{_LEFT - 6}" y="{y}" dy="0.35em" text-anchor="end" fill="#59636e">'
            f"{tick}</text>"
        )
    parts.append(
        f'<text class="axis-title" transform="translate(16 {_TOP + _PLOT_HEIGHT / 2:g}) '
        f'rotate(-90)" text-anchor="middle" fill="#1f2328">citations observed</text></g>'
    )
    return "".join(parts)


def _chart_bars(runs: Sequence[RunSummary], statuses: Sequence[str], scale: float) -> str:
    """The bars: one group per run, a rect per status it counted, stacked."""
    step = _PLOT_WIDTH / len(runs)
    bar = step * 0.8 if step >= 4 else step
    offset = (step - bar) / 2
    # Adjacent bars (hundreds of runs) are drawn edge to edge, without anti-aliased seams.
    crisp = ' shape-rendering="crispEdges"' if bar == step else ""
    parts = [f'<g class="bars"{crisp}>']
    for index, run in enumerate(runs):
        left = _LEFT + index * step
        parts.append(
            f'<g class="run" data-run="{run.id}" data-started="{stamp(run.started)}">'
            f"<title>{html_text(_run_title(run, statuses))}</title>"
            f'<rect class="hit" x="{_number(left)}" y="{_TOP}" width="{_number(step)}" '
            f'height="{_PLOT_HEIGHT}" fill="transparent"/>'
        )
        base = float(_PLOT_BOTTOM)
        for status in statuses:
            count = run.statuses.get(status, 0)
            if not count:
                continue
            height = count * scale
            base -= height
            parts.append(
                f'<rect class="st-{html_text(status)}" data-status="{html_text(status)}" '
                f'data-count="{count}" x="{_number(left + offset)}" y="{_number(base)}" '
                f'width="{_number(bar)}" height="{_number(height)}" '
                f'fill="{STATUS_COLOURS.get(status, _OTHER_COLOUR)}"/>'
            )
        parts.append("</g>")
    parts.append("</g>")
    return "".join(parts)


def _chart_x_axis(runs: Sequence[RunSummary]) -> str:
    """The x axis: a date under some of the runs, at most ``_X_LABELS`` of them."""
    bottom = _PLOT_BOTTOM
    step = _PLOT_WIDTH / len(runs)
    parts = [
        f'<g class="x-axis"><line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{bottom}" '
        f'y2="{bottom}" stroke="#59636e"/>'
    ]
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
            f'text-anchor="{anchor}" fill="#59636e">{day(runs[index].started)}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{_LEFT + _PLOT_WIDTH / 2:g}" y="{_HEIGHT - 10}" '
        'text-anchor="middle" fill="#1f2328">audit runs, by start date (UTC)</text></g>'
    )
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# HTML


_STYLE = (
    BASE_STYLE
    + """figure.chart { margin: 1rem 0; }
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
"""
    + each_status("table.timeline td.st-@ { color: var(--st-@); font-weight: 600; }")
    + "".join(
        f".badge.state-{state} {{ background: {colour}; }}\n"
        f"details.source.state-{state} {{ border-left-color: {colour}; }}\n"
        for state, colour in _STATE_COLOUR.items()
    )
)

# The page applies its one style sheet and loads and runs nothing at all.
CONTENT_SECURITY_POLICY = content_security_policy(_STYLE)


_STATE_LABEL = {
    State.BROKEN: "confirmed dead or wrong: failing in enough runs over enough days",
    State.DRIFTED: "the page now says something else than the claim",
    State.FAILING: "failing, not yet confirmed: broken or drifted once it failed in enough runs",
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
        f'aria-label="{html_text(f"{len(source.timeline)} of {len(runs)} runs: {label}")}">'
        f'<rect width="{width}" height="1" fill="{_UNOBSERVED_COLOUR}"/>'
    ]
    if len(stretches) <= _STRIP_STRETCHES:
        for start, end, status, first, last in stretches:
            count = end - start + 1
            words = f"{run_words(first, last, count)}: {status}"
            parts.append(
                f'<rect class="st-{html_text(status)}" x="{start}" width="{count}" height="1" '
                f'fill="{STATUS_COLOURS.get(status, _OTHER_COLOUR)}">'
                f"<title>{html_text(words)}</title></rect>"
            )
    else:
        paths: dict[str, list[str]] = {}
        for start, end, status, _, _ in stretches:
            paths.setdefault(status, []).append(f"M{start} 0h{end - start + 1}v1H{start}z")
        for status, moves in paths.items():
            words = f"{counts[status]} {status} in {plural(len(moves), 'stretch')} of runs"
            parts.append(
                f'<path class="st-{html_text(status)}" d="{"".join(moves)}" '
                f'fill="{STATUS_COLOURS.get(status, _OTHER_COLOUR)}">'
                f"<title>{html_text(words)}</title></path>"
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
            f"<tr><td>{html_text(run_words(first, segment.last, segment.count))}</td>"
            f"<td>{segment.count}</td>"
            f'<td class="st-{html_text(first.status)}">{html_text(first.status)}</td>'
            f"<td><code>{html_text(first.reason)}</code> \u2014 {html_text(segment.message)}</td>"
            f"<td>{first.http_status if first.http_status is not None else ''}</td>"
            f"<td>{link(final) if final else ''}</td>"
            f"<td>{segment.unchanged}</td><td>{segment.reused}</td></tr>"
        )
    earlier = len(segments) - len(shown)
    note = (
        f'<p class="note">{plural(earlier, "earlier stretch")} of runs not listed: the strip '
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
    since = since_words(source)
    summary = (
        f'<summary><span class="badge state-{state}" '
        f'title="{html_text(_STATE_LABEL[source.state])}">{state}</span>'
        f'<span class="cite"><code>{html_text(source.label)}</code></span>'
        f'<span class="src">{link(source.url)}</span>'
        f'<span class="since">{html_text(day(source.current_since))}</span>'
        f"{_strip(source, runs)}</summary>"
    )
    body = []
    about = [f"<strong>{state}</strong>"]
    if since:
        about.append(f"since {html_text(since)}")
    if source.previous_state is not None:
        about.append(f"before: {source.previous_state.value}")
    if source.flips:
        about.append(f"{plural(source.flips, 'recent flip')} between ok and failing")
    if source.accessed is not None:
        about.append(f"accessed {source.accessed.isoformat()}")
    if source.kind:
        about.append(f"{html_text(source.kind)} claim")
    if source.claims_file:
        about.append(f"in <code>{html_text(source.claims_file)}</code>")
    body.append(f'<p class="about">{", ".join(about)}</p>')
    if last is not None:
        http = f", HTTP {last.http_status}" if last.http_status is not None else ""
        body.append(
            f'<p class="last">Last observed {minute(last.observed_at)} UTC (run {last.run_id}'
            f'{http}): <span class="badge st-{html_text(last.status)}">'
            f"{html_text(last.status)}</span> "
            f"<code>{html_text(last.reason)}</code> \u2014 {html_text(last.message)}</p>"
        )
        if last.final_url and last.final_url != source.url:
            body.append(f'<p class="final">Ended at {link(last.final_url)}</p>')
    if source.replacement:
        body.append(
            f'<p class="replacement">Suggested replacement (an archived copy that supports '
            f"the claim): {link(source.replacement)}</p>"
        )
    if source.archive_url:
        captured = f" ({minute(source.archive_captured)} UTC)" if source.archive_captured else ""
        body.append(
            f'<p class="archive">Latest web-archive capture of the URL{captured}: '
            f"{link(source.archive_url)} (not checked against the claim)</p>"
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
        + "".join(f'<th class="n">{html_text(status)}</th>' for status in statuses)
        + '<th class="n">newly broken</th><th class="n">newly drifted</th>'
        '<th class="n">recovered</th><th class="n">unchanged</th><th class="n">reused</th></tr>'
    )
    rows = []
    for run in history.runs:
        rows.append(
            f'<tr data-run="{run.id}"><td>{run.id}</td><td class="t">{minute(run.started)}</td>'
            f'<td class="t">{minute(run.finished)}</td><td>{run.state.value}</td>'
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
        f'<li><span class="badge state-{state.value}" title="{html_text(_STATE_LABEL[state])}">'
        f"{states[state.value]} {state.value}</span></li>"
        for state in order
    )
    legend = "; ".join(
        f"<strong>{state.value}</strong>: {html_text(_STATE_LABEL[state])}" for state in order
    )
    note = (
        f'<p class="note changes">{html_text(CHANGES_NOTE)}</p>'
        if not history.changes_exact
        else ""
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
    header = (
        f"<h1>{html_text(title)}</h1>"
        f'<p class="meta"><code>{html_text(history.path)}</code> \u00b7 '
        f"{html_text(history_span(history))} \u00b7 "
        f"{plural(len(history.sources), 'citation')}</p>"
        f'<ul class="summary">{badges}</ul>'
        '<details class="legend"><summary>How to read this report</summary>'
        f"<p>Each citation (a claim's source) has a state: {legend}. Its line shows its "
        "statuses run by run, oldest left (grey: not observed in that run); open it for its "
        "timeline, each stretch of runs that said the same thing on one row.</p></details>"
    )
    return page(
        title=title,
        style=_STYLE,
        header=header,
        main=body,
        footer="Rendered by claimcheck from the audit history. Links to sources open the pages "
        "as they are now.",
    )

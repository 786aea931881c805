"""A self-contained HTML report, for the people who review a statement.

The text and JSON renderings say what holds; this one shows why. Problems first: at the top, the
claims that need attention (drifted, broken, disputed, unchecked, unsourced, the worse first),
each linking to its entry. Then each statement (its Markdown rendered: :mod:`._statement_html`)
with every claim highlighted in its status colour and linked to its entry, and under each claim
every source's verdict, with the source's passage next to the claim's words and their differences
marked word by word as an editor marks a correction (the statement's words struck, the source's
the reference), and the copy that was read (live or archived, when captured, whether only
excerpts, and the ``claimcheck snapshot show`` command that shows the stored copy).

It is one self-contained file (:mod:`._htmlkit`: inline style, no fonts or images, a
Content-Security-Policy that loads nothing, everything from sources and claims files escaped). Its
one small script adds the status filters; without script the page shows every claim, and so does
the page printed (its print style sheet: no checkboxes, links' addresses written out, no claim cut
by a page break). The same report always renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..documents import LineIndex, syntax_for
from ..model import (
    STATUS_ORDER,
    ClaimResult,
    ClaimSet,
    DiffKind,
    Evidence,
    Report,
    Snapshot,
    Status,
    Verdict,
    as_utc,
)
from ..store import capture_id
from ._display import store_named
from ._htmlkit import BASE_STYLE, content_security_policy, each_status, html_text, link, page
from ._statement_html import anchor, statement_html

__all__ = ["render_html"]


# On paper: every claim whatever the filters, no checkboxes, each link's address written out,
# no claim cut by a page break, the statement no longer a scrolling column.
_PRINT_STYLE = (
    """@media print {
body { padding: 0; font-size: 11pt; }
#filters, details.legend { display: none !important; }
.set-body { display: block !important; }
.statement { position: static !important; max-height: none !important;
  overflow: visible !important; }
.claim { display: block !important; break-inside: avoid; page-break-inside: avoid; }
#attention li, sup.tag { display: revert !important; }
.compare { break-inside: avoid; }
a.url[href]::after { content: " <" attr(href) ">"; font-size: .85em; color: var(--muted);
  overflow-wrap: anywhere; }
"""
    + each_status(
        ".hl.st-@ { background: var(--st-@-bg) !important; border-color: var(--st-@) !important; }"
    )
    + "}\n"
)

_STYLE = (
    BASE_STYLE
    + """h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
#filters { border: 1px solid var(--line); border-radius: 6px; margin: .75rem 0;
  padding: .25rem .75rem; }
#filters label { margin-right: 1.25rem; white-space: nowrap; }
details.legend { margin: .5rem 0; color: var(--muted); }
.set { margin-top: 1.5rem; }
.statement { white-space: pre-wrap; overflow-wrap: break-word; background: var(--panel);
  border: 1px solid var(--line); border-radius: 6px; padding: 1rem; line-height: 1.7; }
.statement.markdown { white-space: normal; }
.statement.markdown > :first-child { margin-top: 0; }
.statement.markdown > :last-child { margin-bottom: 0; }
.statement h1, .statement h2, .statement h3, .statement h4, .statement h5, .statement h6 {
  font-size: 1.1rem; margin: 1rem 0 .5rem; border: 0; }
.statement h1 { font-size: 1.3rem; }
.statement h2 { font-size: 1.2rem; }
.statement blockquote { margin: .5rem 0; padding-left: .75rem; border-left: 3px solid var(--line);
  color: var(--muted); }
.statement pre { white-space: pre-wrap; }
.statement table { border-collapse: collapse; }
.statement th, .statement td { border: 1px solid var(--line); padding: .1rem .4rem;
  text-align: left; }
.statement .unlinked { text-decoration: underline dotted; }
#attention { border: 1px solid var(--st-broken); border-radius: 6px; margin: .75rem 0;
  padding: .25rem .75rem; background: #fff; }
#attention h2 { font-size: 1.1rem; margin: .25rem 0; border: 0; }
#attention ol { margin: .25rem 0; padding-left: 1.5rem; }
#attention li { margin: .2rem 0; }
#attention .words { color: var(--muted); }
.diff-legend { color: var(--muted); font-size: .9em; }
.score { text-decoration: underline dotted; cursor: help; }
code.command { user-select: all; }
@media (min-width: 1100px) {
  .set-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); gap: 1.5rem;
    align-items: start; }
  .statement { position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow: auto; }
}
.hl { color: inherit; text-decoration: none; border-bottom: 2px solid; }
.hl.nested { box-shadow: inset 0 -5px 0 rgba(0, 0, 0, .12); }
sup.tag { font-size: .7em; line-height: 0; white-space: nowrap; }
sup.tag a { text-decoration: none; font-weight: 600; }
.claims { display: flex; flex-direction: column; gap: 1rem; }
.claim { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px;
  padding: .5rem 1rem; scroll-margin-top: .5rem; }
.claim:target { outline: 3px solid #0969da; }
.claim-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem; }
.claim-head .cid { font-weight: 600; }
.kind { color: var(--muted); font-style: italic; }
.claim-text { margin: .5rem 0; padding: .25rem .75rem; border-left: 3px solid var(--line); }
.verdicts { padding-left: 1.25rem; }
.verdict { margin: .75rem 0; }
.verdict p { margin: .25rem 0; }
.compare { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .75rem;
  margin: .5rem 0; }
.compare figure { margin: 0; background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; padding: .25rem .75rem; }
.compare figcaption { color: var(--muted); font-size: .85em; }
.passage { white-space: pre-wrap; overflow-wrap: break-word; margin: .25rem 0; }
del.d { background: var(--st-broken-bg); color: #82071e; text-decoration: line-through;
  text-decoration-color: var(--st-broken); }
ins.d { background: transparent; color: inherit; font-weight: 600; text-decoration: underline;
  text-decoration-thickness: 2px; }
mark.d { background: #eaeef2; color: inherit; text-decoration: underline dotted; }
span.d.gap { color: var(--st-broken); font-weight: 700; }
mark.found { background: #fff1a8; color: inherit; font-weight: 600; }
.archived { border-top: 1px dashed var(--line); margin-top: .5rem; padding-top: .25rem; }
.badge.disputed { background: var(--st-drifted-bg); color: var(--st-drifted);
  border: 1px dashed var(--st-drifted); }
.dispute { border-left: 3px dashed var(--st-drifted); padding-left: .5rem; }
.badge.ignored { background: var(--panel); color: var(--muted); border: 1px dashed var(--muted); }
.claim[data-ignored] { opacity: .75; }
p.ignored, p.unused-ignore { border-left: 3px dashed var(--muted); padding-left: .5rem; }
"""
    # Each status's colour on its highlights, tags and claims; the filters hide a status's
    # claims and tags and take the colour off its highlights.
    + each_status(".hl.st-@ { background: var(--st-@-bg); border-color: var(--st-@); }")
    + each_status("sup.tag.st-@ a { color: var(--st-@); }")
    + each_status(".claim.st-@ { border-left-color: var(--st-@); }")
    + each_status(
        ".hide-@ .claim.st-@, .hide-@ sup.tag.st-@, .hide-@ #attention li.st-@ { display: none; }"
    )
    + each_status(
        ".hide-@ .hl.st-@ { background: transparent; border-color: transparent; box-shadow: none; }"
    )
    + _PRINT_STYLE
)

_SCRIPT = """
"use strict";
(function () {
  var filters = document.getElementById("filters");
  if (!filters) {
    return;
  }
  var root = document.documentElement;
  function apply(box) {
    root.classList.toggle("hide-" + box.value, !box.checked);
  }
  var boxes = filters.querySelectorAll("input[type=checkbox]");
  for (var i = 0; i < boxes.length; i++) {
    apply(boxes[i]);
  }
  filters.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement) {
      apply(event.target);
    }
  });
  filters.hidden = false;
})();
"""


# The page may run its one script and apply its one style sheet, and load nothing at all.
CONTENT_SECURITY_POLICY = content_security_policy(_STYLE, _SCRIPT)

_STATUS_LABEL = {
    Status.VERIFIED: "the source supports the claim",
    Status.DRIFTED: "the source says something else",
    Status.BROKEN: "the citation leads nowhere, or the claim is not in the source",
    Status.UNCHECKED: "the source could not be consulted",
    Status.UNSOURCED: "the statement gives no source for it",
}

_DISPUTED_LABEL = (
    "one source supports the claim and another cited source says something else "
    "(a source that could not be read disputes nothing)"
)
_IGNORED_LABEL = (
    "dismissed on purpose by an ignore entry, with its reason: shown, counted apart from its "
    "status, never failing"
)

_DOT = " \u00b7 "

_SCORE_LABEL = (
    "How closely this passage matches the claim, from 0 to 100: for a quote, how much of its "
    "wording the passage shares (100: the same words, up to case and typography); for a figure "
    "or a date, how many of the claim's context words stand around the value. It only says why "
    "this passage was chosen: the status comes from what the passage says, never from this "
    "number."
)

# What a reader types to see a stored copy: its id, as `snapshot list` shows it (the payload
# digest could name several captures of the same bytes).
_SHOW_COMMAND = "claimcheck snapshot show {capture}"

_ORIGIN_LABEL = {
    "local": "recorded from a file",
    "live": "fetched live",
    "archive": "fetched from a web archive",
}

# --------------------------------------------------------------------------------------------
# Marking spans of a text


@attrs.frozen
class _Mark:
    """An element wrapping ``text[start:end]``; an empty span shows as a caret."""

    start: int
    end: int
    tag: str
    classes: str
    title: str


def _marked(text: str, marks: Iterable[_Mark]) -> str:
    """``text`` escaped, with ``marks`` wrapped around their spans. Marks out of range or
    overlapping an earlier one are left out: the markup stays well formed whatever the spans."""
    parts = []
    position = 0
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if not 0 <= mark.start <= mark.end <= len(text) or mark.start < position:
            continue
        parts.append(html_text(text[position : mark.start]))
        inner = html_text(text[mark.start : mark.end]) if mark.end > mark.start else "\u2038"
        classes = mark.classes if mark.end > mark.start else f"{mark.classes} gap"
        tag = mark.tag if mark.end > mark.start else "span"
        parts.append(f'<{tag} class="{classes}" title="{html_text(mark.title)}">{inner}</{tag}>')
        position = mark.end
    parts.append(html_text(text[position:]))
    return "".join(parts)


def _diff_marks(evidence: Evidence) -> tuple[list[_Mark], list[_Mark]]:
    """The marks of ``evidence``'s word differences, on the claim text and on the passage.

    A difference's ``claim_span`` is an offset into the claim text, its ``source_span`` an
    offset into the source text as extracted, of which the passage is ``evidence.span``: so the
    passage's marks are shifted by the passage's start. As an editor reads a correction: the
    claim's words that the source does not have are the problem, ``<del>`` in the claim (struck,
    in red), and the source's words are the reference, ``<ins>`` in the passage (underlined,
    neutral); cosmetic and editorial differences, which never make a claim drift, ``<mark>``.
    """
    claim_marks: list[_Mark] = []
    source_marks: list[_Mark] = []
    base = evidence.span[0] if evidence.span is not None else None
    for diff in evidence.differences:
        classes = f"d d-{diff.kind.value}"
        title = f"{diff.kind.value}: {diff}"
        material = diff.kind.material
        claim_marks.append(_Mark(*diff.claim_span, "del" if material else "mark", classes, title))
        if base is not None:
            start, end = diff.source_span
            source_marks.append(
                _Mark(start - base, end - base, "ins" if material else "mark", classes, title)
            )
    if not evidence.differences and evidence.found and evidence.passage:
        at = evidence.passage.find(evidence.found)
        if at >= 0:
            title = f"the source gives {evidence.found}"
            source_marks.append(_Mark(at, at + len(evidence.found), "mark", "found", title))
    return claim_marks, source_marks


# --------------------------------------------------------------------------------------------
# The statement, claims highlighted


def _claim_span(result: ClaimResult, text: str, lines: LineIndex) -> tuple[int, int] | None:
    """Where ``result``'s claim is in the statement ``text``, when its location says."""
    location = result.claim.location
    if location is None:
        return None
    start = lines.offset(location.line, location.column)
    if start is None:
        return None
    end: int | None = None
    if location.end_line is not None and location.end_column is not None:
        end = lines.offset(location.end_line, location.end_column)
    elif text.startswith(result.claim.text, start):
        end = start + len(result.claim.text)
    if end is None or end <= start:
        return None
    return start, end


# --------------------------------------------------------------------------------------------
# Claims and verdicts


def _why(reason: str, message: str) -> str:
    return f'<p class="why"><code>{html_text(reason)}</code> \u2014 {html_text(message)}</p>'


def _capture(snapshot: Snapshot, heading: str, cited: str) -> str:
    """What copy of the source was read: when, how it was captured, and whether it is whole."""
    details = [f"captured {as_utc(snapshot.captured):%Y-%m-%d %H:%M} UTC"]
    details.append(html_text(_ORIGIN_LABEL.get(snapshot.origin, snapshot.origin)))
    if snapshot.status is not None:
        details.append(f"HTTP {snapshot.status}")
    if snapshot.excerpt:
        details.append("<strong>excerpts only</strong>: not the whole page")
    if snapshot.archive_url:
        details.append(link(snapshot.archive_url, "archived copy"))
    if snapshot.url and snapshot.url != cited:
        details.append(f"of {link(snapshot.url)}")
    command = html_text(_SHOW_COMMAND.format(capture=capture_id(snapshot)))
    stored = (
        f'<span class="stored">stored copy: <code class="command" title="shows the copy '
        f'as stored: its metadata and the text read">{command}</code></span>'
    )
    return f'<p class="capture">{heading}: {", ".join(details)}; {stored}</p>'


def _evidence_html(claim_text: str, evidence: Evidence) -> str:
    """The claim and the source passage side by side, their differences marked."""
    claim_marks, source_marks = _diff_marks(evidence)
    about = [f'<span class="score" title="{_SCORE_LABEL}">match {evidence.score:.0f}/100</span>']
    if evidence.region:
        about.append(html_text(evidence.region))
    if evidence.found:
        about.append(f"found \u201c{html_text(evidence.found)}\u201d")
    if evidence.passage is None:
        return '<p class="note">No passage of this copy resembles the claim.</p>'
    source = f'<p class="passage">{_marked(evidence.passage, source_marks)}</p>'
    return (
        '<div class="compare">'
        f'<figure class="side-claim"><figcaption>Claim</figcaption>'
        f'<p class="passage">{_marked(claim_text, claim_marks)}</p></figure>'
        f'<figure class="side-source"><figcaption>Source ({", ".join(about)})</figcaption>'
        f"{source}</figure></div>"
    )


def _verdict_html(result: ClaimResult, verdict: Verdict) -> str:
    status = verdict.status.value
    accessed = verdict.source.accessed
    head = [f'<span class="badge st-{status}">{status}</span> {link(verdict.source.url)}']
    if accessed is not None:
        head.append(f'<span class="note">accessed {accessed.isoformat()}</span>')
    if verdict.source.context:
        head.append(f'<span class="note">context: {html_text(verdict.source.context)}</span>')
    parts = [
        f'<li class="verdict st-{status}">',
        f'<p class="verdict-head">{" ".join(head)}</p>',
        _why(verdict.reason.value, verdict.message),
    ]
    if verdict.snapshot is not None:
        parts.append(_capture(verdict.snapshot, "Copy read", verdict.source.url))
    if verdict.evidence is not None:
        parts.append(_evidence_html(result.claim.text, verdict.evidence))
    if verdict.archived_snapshot is not None or verdict.archived_evidence is not None:
        parts.append('<div class="archived">')
        if verdict.archived_snapshot is not None:
            parts.append(
                _capture(
                    verdict.archived_snapshot,
                    "Archived copy \u201cas cited\u201d",
                    verdict.source.url,
                )
            )
        else:
            parts.append('<p class="capture">Archived copy \u201cas cited\u201d</p>')
        archived = verdict.archived_evidence
        if archived is not None:
            parts.append(
                f'<p><span class="badge st-{archived.status.value}">'
                f"{archived.status.value}</span> <code>{archived.reason.value}</code> \u2014 "
                f"{html_text(archived.explanation)}</p>"
            )
            parts.append(_evidence_html(result.claim.text, archived))
        parts.append("</div>")
    if verdict.replacement:
        parts.append(
            f'<p class="replacement">Suggested replacement: {link(verdict.replacement)}</p>'
        )
    parts.append("</li>")
    return "".join(parts)


def _dispute_html(result: ClaimResult) -> str:
    """Which source says what, for a disputed claim; nothing for any other."""
    if result.dispute is None:
        return ""
    return f'<p class="dispute"><strong>Disputed</strong> \u2014 {html_text(result.dispute)}</p>'


def _ignored_html(result: ClaimResult) -> str:
    """Why a finding is ignored, and where its ignore entry is; nothing for any other."""
    if result.ignored is None:
        return ""
    return (
        f'<p class="ignored"><strong>Ignored</strong> \u2014 {html_text(result.ignored.reason)} '
        f'<span class="note">({html_text(result.ignored.place)})</span></p>'
    )


def _claim_html(index: int, result: ClaimResult, highlighted: bool) -> str:
    claim = result.claim
    status = result.status.value
    head = [
        f'<span class="badge st-{status}">{status}</span>',
        f'<span class="num">{index + 1}.</span>',
        f'<code class="cid">{html_text(claim.id or "")}</code>',
        f'<span class="kind">{claim.kind.value}</span>',
    ]
    if result.disputed:
        head.insert(1, f'<span class="badge disputed" title="{_DISPUTED_LABEL}">disputed</span>')
    if result.ignored is not None:
        head.insert(1, f'<span class="badge ignored" title="{_IGNORED_LABEL}">ignored</span>')
    location = claim.location
    if location is not None:
        where = f"line {location.line}, column {location.column}"
        if highlighted:
            where = f'<a href="#hl-{index + 1}">{where}</a>'
        head.append(f'<span class="note">{where}</span>')
    disputed = ' data-disputed="true"' if result.disputed else ""
    disputed += ' data-ignored="true"' if result.ignored is not None else ""
    parts = [
        f'<article class="claim st-{status}" id="{anchor(index)}" data-status="{status}"'
        f"{disputed}>",
        f'<h3 class="claim-head">{" ".join(head)}</h3>',
        _why(result.reason.value, result.message),
        _dispute_html(result),
        _ignored_html(result),
        f'<blockquote class="claim-text">{html_text(claim.text)}</blockquote>',
    ]
    if result.verdicts:
        parts.append('<ol class="verdicts">')
        parts.extend(_verdict_html(result, verdict) for verdict in result.verdicts)
        parts.append("</ol>")
    else:
        parts.append('<p class="note">No source is cited for this claim.</p>')
    parts.append("</article>")
    return "".join(parts)


def _set_html(number: int, claim_set: ClaimSet, members: Sequence[tuple[int, ClaimResult]]) -> str:
    statement = claim_set.statement
    heading = statement.title or claim_set.name
    about = [f"<code>{html_text(claim_set.name)}</code>"]
    if statement.published is not None:
        about.append(f"published {statement.published.isoformat()}")
    if statement.path is not None:
        about.append(f"<code>{html_text(statement.path)}</code>")
    elif claim_set.path is not None:
        about.append(f"claims file <code>{html_text(claim_set.path)}</code>")
    highlighted: set[int] = set()
    if statement.text is None:
        body = '<p class="note">The claims file names no statement text: claims only.</p>'
    else:
        lines = LineIndex(statement.text)
        placed = []
        for index, result in members:
            span = _claim_span(result, statement.text, lines)
            if span is not None:
                placed.append((span[0], span[1], index, result))
        path = statement.path
        markdown = path is not None and syntax_for(path) == "markdown"
        marked, highlighted, rendered = statement_html(statement.text, placed, markdown=markdown)
        body = f'<div class="statement{" markdown" if rendered else ""}">{marked}</div>'
    claims = "".join(_claim_html(index, result, index in highlighted) for index, result in members)
    return (
        f'<section class="set" id="statement-{number}">'
        f"<h2>{html_text(heading)}</h2>"
        f'<p class="meta">{_DOT.join(about)}{_DOT}{len(members)} claims</p>'
        f'<div class="set-body">{body}<div class="claims">{claims}</div></div>'
        "</section>"
    )


# --------------------------------------------------------------------------------------------
# The page


# Shown once, above the claims: how the word differences read.
_DIFF_LEGEND = (
    '<p class="diff-legend">Word differences, claim beside source: '
    '<del class="d">the statement\'s words</del> that the source does not have; '
    '<ins class="d">the source\'s words</ins>, the reference; '
    '<mark class="d">a difference of form only</mark>; \u2038 words one side leaves out.</p>'
)

# The order in which the problems are listed: the worse first.
_ATTENTION_ORDER = (Status.DRIFTED, Status.BROKEN, "disputed", Status.UNCHECKED, Status.UNSOURCED)


def _attention(report: Report) -> str:
    """The list of the claims that need attention, the worse first (drifted, broken,
    disputed, unchecked, unsourced), each linking to its entry, its status in words; a finding
    an ignore entry dismisses needs none."""
    items: list[str] = []
    for wanted in _ATTENTION_ORDER:
        for index, result in enumerate(report.results):
            if result.ignored is not None:
                continue
            if wanted == "disputed":
                if not result.disputed:
                    continue
                kind, words = "disputed", _DISPUTED_LABEL
                why = result.dispute or ""
            elif result.status is wanted:
                kind, words = wanted.value, _STATUS_LABEL[result.status]
                why = result.message
            else:
                continue
            name = html_text(result.claim.id or result.claim.kind.value)
            css = "disputed" if kind == "disputed" else f"st-{kind}"
            badge = f'<span class="badge {css}" title="{html_text(words)}">{kind}</span>'
            items.append(
                f'<li class="st-{result.status.value}"><a href="#{anchor(index)}">{badge} '
                f"{index + 1}. <code>{name}</code></a> "
                f'<span class="words">\u2014 {html_text(why)}</span></li>'
            )
    if not items:
        return (
            '<nav id="attention" class="clear"><h2>Needs attention</h2>'
            "<p>Nothing: every claim is verified and no source disputes one.</p></nav>"
        )
    return (
        f'<nav id="attention" aria-label="Claims that need attention"><h2>Needs attention '
        f"({len(items)})</h2><ol>{''.join(items)}</ol></nav>"
    )


def _header(report: Report, title: str, statements: int) -> str:
    summary = report.summary
    mode = "offline: stored captures only" if report.offline else "online"
    counts = "".join(
        f'<li><span class="badge st-{s.value}" title="{_STATUS_LABEL[s]}">'
        f"{summary[s.value]} {s.value}</span></li>"
        for s in report.shown_statuses()
    )
    if report.disputed:
        counts += (
            f'<li><span class="badge disputed" title="{_DISPUTED_LABEL}">'
            f"{len(report.disputed)} disputed</span></li>"
        )
    if report.ignored:
        counts += (
            f'<li><span class="badge ignored" title="{_IGNORED_LABEL}">'
            f"{len(report.ignored)} ignored</span></li>"
        )
    unused = "".join(
        f'<p class="unused-ignore"><strong>Warning</strong> \u2014 {html_text(entry.place)}: '
        f"{html_text(entry.unused)}</p>"
        for entry in report.unused_ignores
    )
    boxes = "".join(
        f'<label><input type="checkbox" value="{s.value}" checked> {s.value} '
        f"({summary[s.value]})</label>"
        for s in report.shown_statuses()
    )
    kinds = ", ".join(kind.value for kind in DiffKind if kind.material)
    return (
        f"<h1>{html_text(title)}</h1>"
        f'<p class="meta">Checked {as_utc(report.created):%Y-%m-%d %H:%M} UTC ({mode}) \u00b7 '
        f"{summary['total']} claims in {statements} statement{'s' if statements != 1 else ''}</p>"
        f'<p class="meta">Snapshot store: <code>{html_text(store_named(report))}</code></p>'
        f'<ul class="summary">{counts}<li><strong>{summary["total"]} total</strong></li></ul>'
        + unused
        + _attention(report)
        + f'<fieldset id="filters" hidden><legend>Show claims that are</legend>{boxes}</fieldset>'
        + _DIFF_LEGEND
        + '<details class="legend"><summary>How to read this report</summary>'
        "<p>Each claim is highlighted in the statement in its status colour, followed by its "
        "number and status; the highlight links to the claim's entry. A claim is "
        + "; ".join(f"<strong>{s.value}</strong> when {_STATUS_LABEL[s]}" for s in STATUS_ORDER)
        + f". A verified claim is also <strong>disputed</strong> when {_DISPUTED_LABEL}."
        + "</p><p>Next to each claim, the source's passage, their differences marked as an editor "
        'marks a correction: <del class="d">words</del> of the claim that the source does not '
        'have (changed or added by the statement), <ins class="d">words</ins> of the source '
        "that the claim changes or leaves out (\u2038 marks a gap: words one side has and the "
        'other not), <mark class="d">words</mark> that differ only in form (case, typography, '
        f"editorial brackets). Material differences: {kinds}. The match number of a passage "
        f"says why it was chosen, not whether the claim holds: {_SCORE_LABEL}"
        "</p></details>"
    )


def render_html(report: Report, *, title: str | None = None) -> str:
    """``report`` as one self-contained HTML page (UTF-8 text, to be written as is).

    ``title`` defaults to "claimcheck report", with the statement's title when the report is
    about one statement. The page loads nothing: see the module documentation.
    """
    groups: list[tuple[ClaimSet, list[tuple[int, ClaimResult]]]] = []
    for index, result in enumerate(report.results):
        for claim_set, members in groups:
            if claim_set is result.claim_set:
                members.append((index, result))
                break
        else:
            groups.append((result.claim_set, [(index, result)]))
    if title is None:
        title = "claimcheck report"
        if len(groups) == 1:
            statement = groups[0][0].statement
            title += f": {statement.title or groups[0][0].name}"
    body = "".join(
        _set_html(number, claim_set, members)
        for number, (claim_set, members) in enumerate(groups, start=1)
    )
    if not groups:
        body = '<p class="note">No claims were checked.</p>'
    return page(
        title=title,
        style=_STYLE,
        header=_header(report, title, len(groups)),
        main=body,
        footer="Rendered by claimcheck. Links to sources open the pages as they are now; the "
        "copies read are described with each verdict.",
        script=_SCRIPT,
    )

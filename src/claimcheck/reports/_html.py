"""A self-contained HTML report, for the people who review a statement.

The text and JSON renderings say what holds; this one shows why. It lays out each statement with
every claim highlighted in its status colour and linked to its entry, and under each claim every
source's verdict, with the source's passage next to the claim's words and their differences marked
word by word, and the copy that was read (live or archived, when captured, whether only excerpts).

It is one self-contained file (:mod:`._htmlkit`: inline style, no fonts or images, a
Content-Security-Policy that loads nothing, everything from sources and claims files escaped). Its
one small script adds the status filters; without script the page shows every claim. The same
report always renders to the same bytes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import attrs

from ..documents import LineIndex
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
from ._display import store_named
from ._htmlkit import BASE_STYLE, content_security_policy, each_status, html_text, link, page

__all__ = ["render_html"]


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
@media (min-width: 1100px) {
  .set-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); gap: 1.5rem;
    align-items: start; }
  .statement { position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow: auto; }
}
a.hl { color: inherit; text-decoration: none; border-bottom: 2px solid; }
a.hl.nested { box-shadow: inset 0 -5px 0 rgba(0, 0, 0, .12); }
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
ins.d { background: #d1f0d8; text-decoration: underline; }
del.d { background: #ffd7d5; text-decoration: line-through; }
mark.d { background: #eaeef2; color: inherit; text-decoration: underline dotted; }
span.d.gap { color: var(--st-broken); font-weight: 700; }
mark.found { background: #fff1a8; color: inherit; font-weight: 600; }
.archived { border-top: 1px dashed var(--line); margin-top: .5rem; padding-top: .25rem; }
.badge.disputed { background: var(--st-drifted-bg); color: var(--st-drifted);
  border: 1px dashed var(--st-drifted); }
.dispute { border-left: 3px dashed var(--st-drifted); padding-left: .5rem; }
"""
    # Each status's colour on its highlights, tags and claims; the filters hide a status's
    # claims and tags and take the colour off its highlights.
    + each_status("a.hl.st-@ { background: var(--st-@-bg); border-color: var(--st-@); }")
    + each_status("sup.tag.st-@ a { color: var(--st-@); }")
    + each_status(".claim.st-@ { border-left-color: var(--st-@); }")
    + each_status(".hide-@ .claim.st-@, .hide-@ sup.tag.st-@ { display: none; }")
    + each_status(
        ".hide-@ a.hl.st-@ { background: transparent; border-color: transparent; "
        "box-shadow: none; }"
    )
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

_DISPUTED_TAG = ", disputed"
_DISPUTED_LABEL = (
    "one source supports the claim and another cited source says something else "
    "(a source that could not be read disputes nothing)"
)

_DOT = " \u00b7 "

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
    passage's marks are shifted by the passage's start. Words the claim changes show as ``<ins>``
    in the claim and ``<del>`` in the source; cosmetic and editorial differences, which never
    make a claim drift, as ``<mark>``.
    """
    claim_marks: list[_Mark] = []
    source_marks: list[_Mark] = []
    base = evidence.span[0] if evidence.span is not None else None
    for diff in evidence.differences:
        classes = f"d d-{diff.kind.value}"
        title = f"{diff.kind.value}: {diff}"
        material = diff.kind.material
        claim_marks.append(_Mark(*diff.claim_span, "ins" if material else "mark", classes, title))
        if base is not None:
            start, end = diff.source_span
            source_marks.append(
                _Mark(start - base, end - base, "del" if material else "mark", classes, title)
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


def _anchor(index: int) -> str:
    return f"claim-{index + 1}"


def _statement_html(
    text: str, placed: Sequence[tuple[int, int, int, ClaimResult]]
) -> tuple[str, set[int]]:
    """The statement with its claims highlighted, and which claims have a highlight.

    ``placed`` holds ``(start, end, index, result)``. Claims may overlap or nest: the text is
    cut at every claim's start and end, and each piece is one link, to the innermost claim that
    covers it (a piece covered by several is marked ``nested``). So no element ever straddles
    another, and a claim inside another keeps its own colour. A tag after each claim's end names
    its number and status in words.
    """
    cuts = sorted({0, len(text)} | {p[0] for p in placed} | {p[1] for p in placed})
    ends: dict[int, list[tuple[int, ClaimResult]]] = {}
    for _, end, index, result in placed:
        ends.setdefault(end, []).append((index, result))
    highlighted: set[int] = set()
    pieces: list[str] = []
    for start, end in itertools.pairwise(cuts):
        covering = [p for p in placed if p[0] <= start and end <= p[1]]
        chunk = html_text(text[start:end])
        if not covering:
            pieces.append(chunk)
        else:
            _, _, index, result = min(covering, key=lambda p: (p[1] - p[0], p[2]))
            status = result.status.value
            identifier = ""
            if index not in highlighted:
                highlighted.add(index)
                identifier = f' id="hl-{index + 1}"'
            nested = " nested" if len(covering) > 1 else ""
            title = (
                f"{index + 1}. {result.claim.id or result.claim.kind.value}: "
                f"{status}{_DISPUTED_TAG if result.disputed else ''}"
            )
            pieces.append(
                f'<a class="hl st-{status}{nested}"{identifier} href="#{_anchor(index)}" '
                f'title="{html_text(title)}">{chunk}</a>'
            )
        for index, result in sorted(ends.get(end, []), key=lambda item: item[0]):
            status = result.status.value
            flag = _DISPUTED_TAG if result.disputed else ""
            pieces.append(
                f'<sup class="tag st-{status}"><a href="#{_anchor(index)}">'
                f"{index + 1}\u00a0{status}{flag}</a></sup>"
            )
    return "".join(pieces), highlighted


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
    return f'<p class="capture">{heading}: {", ".join(details)}</p>'


def _evidence_html(claim_text: str, evidence: Evidence) -> str:
    """The claim and the source passage side by side, their differences marked."""
    claim_marks, source_marks = _diff_marks(evidence)
    about = [f"score {evidence.score:.0f}"]
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
    location = claim.location
    if location is not None:
        where = f"line {location.line}, column {location.column}"
        if highlighted:
            where = f'<a href="#hl-{index + 1}">{where}</a>'
        head.append(f'<span class="note">{where}</span>')
    disputed = ' data-disputed="true"' if result.disputed else ""
    parts = [
        f'<article class="claim st-{status}" id="{_anchor(index)}" data-status="{status}"'
        f"{disputed}>",
        f'<h3 class="claim-head">{" ".join(head)}</h3>',
        _why(result.reason.value, result.message),
        _dispute_html(result),
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
        marked, highlighted = _statement_html(statement.text, placed)
        body = f'<div class="statement">{marked}</div>'
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
        f'<fieldset id="filters" hidden><legend>Show claims that are</legend>{boxes}</fieldset>'
        '<details class="legend"><summary>How to read this report</summary>'
        "<p>Each claim is highlighted in the statement in its status colour, followed by its "
        "number and status; the highlight links to the claim's entry. A claim is "
        + "; ".join(f"<strong>{s.value}</strong> when {_STATUS_LABEL[s]}" for s in STATUS_ORDER)
        + f". A verified claim is also <strong>disputed</strong> when {_DISPUTED_LABEL}."
        + '</p><p>Next to each claim, the source\'s passage: <ins class="d">words</ins> the '
        'claim has and the source not, <del class="d">words</del> of the source the claim '
        'changes or leaves out (\u2038 marks a gap), <mark class="d">words</mark> that differ '
        f"only in form (case, typography, editorial brackets). Material differences: {kinds}."
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

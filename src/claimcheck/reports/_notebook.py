"""How a notebook shows a report: one table row per claim (what ``Report._repr_html_`` gives
Jupyter, which :mod:`claimcheck.reports` sets when it is imported: ``import claimcheck`` does).

A notebook's own style sheet right-aligns table cells (JupyterLab's ``.jp-RenderedHTMLCommon td``
rule, meant for numbers) and may strip ``<style>`` elements from untrusted outputs, so every
cell carries its alignment in a ``style`` attribute: text reads from the left. Each status has its
own colour, the HTML report's (unsourced is not unchecked), and the source is a link when it is a
plain http(s) URL (:func:`~._display.plain_http_url`); everything is escaped, its hidden
characters shown (:func:`~._htmlkit.html_text`).
"""

from __future__ import annotations

from ..model import ClaimResult, Report
from ._htmlkit import STATUS_COLOURS, href, html_text
from ._text import summary_text

__all__ = ["render_notebook"]

_CELL = "text-align: left; vertical-align: top"
_DISPUTED_COLOUR = STATUS_COLOURS["drifted"]


def _source_cell(result: ClaimResult) -> str:
    """The source whose verdict decided the claim's status, linked when it may be."""
    deciding = next((v for v in result.verdicts if v.status is result.status), None)
    if deciding is None:
        return ""
    url = deciding.source.url
    target = href(url)
    if target is None:
        return f"<code>{html_text(url)}</code>"
    return (
        f'<a href="{target}" target="_blank" rel="noopener noreferrer nofollow" '
        f'referrerpolicy="no-referrer">{html_text(url)}</a>'
    )


def _row(result: ClaimResult) -> str:
    status = result.status.value
    flag = ""
    why = f"<code>{html_text(result.reason.value)}</code> {html_text(result.message)}"
    if result.dispute is not None:
        flag = f' <b style="color: {_DISPUTED_COLOUR}">disputed</b>'
        why += f"<br><b>disputed</b>: {html_text(result.dispute)}"
    if result.ignored is not None:
        flag += " <b>ignored</b>"
        why += f"<br><b>ignored</b>: {html_text(result.ignored.reason)}"
    cells = (
        f"<code>{html_text(result.claim.id or '')}</code>",
        f'<b class="status" style="color: {STATUS_COLOURS[status]}">{status}</b>{flag}',
        why,
        _source_cell(result),
    )
    return (
        f'<tr class="st-{status}">'
        + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in cells)
        + "</tr>"
    )


def render_notebook(report: Report) -> str:
    """``report`` as a notebook shows it: a summary line and one row per claim."""
    summary = summary_text(report)
    head = "".join(
        f'<th style="{_CELL}">{name}</th>' for name in ("claim", "status", "why", "source")
    )
    return (
        f'<p>claimcheck report: {html_text(summary)}</p><table class="claimcheck">'
        f"<thead><tr>{head}</tr></thead><tbody>"
        + "".join(_row(result) for result in report.results)
        + "</tbody></table>"
        + "".join(
            f"<p><b>warning</b>: {html_text(entry.place)}: {html_text(entry.unused)}</p>"
            for entry in report.unused_ignores
        )
    )

"""Renderings of a :class:`~claimcheck.Report` and of audits: text, JSON, HTML, Markdown, JUnit,
GitHub annotations, SARIF, ClaimReview."""

from ._audit_history import (
    history_chart_svg,
    history_to_json,
    render_history_html,
    render_history_markdown,
)
from ._audit_result import audit_to_json, render_audit_markdown, render_audit_text
from ._claimreview import dumps_claimreview, to_claimreview
from ._html import render_html
from ._sarif import to_sarif
from ._text import neutralise, render_github, render_junit, render_markdown, render_text, to_json

__all__ = [
    "audit_to_json",
    "dumps_claimreview",
    "history_chart_svg",
    "history_to_json",
    "neutralise",
    "render_audit_markdown",
    "render_audit_text",
    "render_github",
    "render_history_html",
    "render_history_markdown",
    "render_html",
    "render_junit",
    "render_markdown",
    "render_text",
    "to_claimreview",
    "to_json",
    "to_sarif",
]

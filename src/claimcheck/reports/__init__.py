"""Renderings of what claimcheck finds, in every report format, from one registry.

- :func:`render` renders a subject in a format named by the registry (:func:`formats`,
  :func:`renderer`, :class:`Renderer`, :class:`RenderOptions`; see ``_registry.py`` for where to
  add a format; :func:`failing_value`: what ``failing``, ``--fail-on``, can name);
- a check's :class:`~claimcheck.Report`: :func:`render_text` (a terminal, problems first),
  :func:`render_compact` (one line per finding, ``file:line:col:``), :func:`to_json` (the
  versioned report), :func:`render_markdown`, :func:`render_junit`, :func:`render_github`
  (Actions annotations), :func:`render_html` (one self-contained page), :func:`to_sarif`
  (SARIF 2.1.0), :func:`to_claimreview` and :func:`dumps_claimreview` (schema.org JSON-LD),
  :func:`render_notebook` (the table a notebook shows, ``Report._repr_html_``);
- one audit run's :class:`~claimcheck.auditing.AuditResult`: :func:`render_audit_text`,
  :func:`render_audit_markdown`, :func:`audit_to_json`;
- an audit history (:class:`~claimcheck.auditing.AuditHistory`): :func:`render_history_html`
  (with :func:`history_chart_svg`), :func:`render_history_markdown`, :func:`history_to_json`;
- :data:`FORMATS`: each subject's format names and the few words ``--help`` says of each, without
  importing the renderers (what the command line builds its options from);
- :func:`display_safe`: text from claims files and sources shown, never obeyed, as every
  rendering meant to be read shows it (control and bidi characters as escapes);
- :func:`summary_line`: what a report says in one line; :func:`terminal_width`: how wide the
  text renderings are (``COLUMNS``, the terminal's width, or 120 for a pipe or a file).
"""

TYPE_CHECKING = False  # not typing's (mypy reads any constant of this name as true)
if TYPE_CHECKING:
    from ._audit_run import audit_to_json, render_audit_markdown, render_audit_text
    from ._ci import render_github, render_junit, render_markdown
    from ._claimreview import claimreview_script, dumps_claimreview, to_claimreview
    from ._compact import render_compact
    from ._display import display_safe, terminal_width
    from ._formats import FORMATS
    from ._history import history_to_json, plural, render_history_markdown
    from ._history_html import history_chart_svg, render_history_html
    from ._html import render_html
    from ._json import to_json
    from ._notebook import render_notebook
    from ._registry import (
        FAILING,
        Renderer,
        RenderOptions,
        failing_value,
        formats,
        render,
        renderer,
        renderers,
        summary_line,
    )
    from ._sarif import to_sarif
    from ._text import render_text

# Where each public name is defined: the module __getattr__ imports when it is first used, so
# that the command line's help and its terminal guard load neither the renderers nor the
# libraries behind them (start-up, issue 17).
_HOMES = {
    "FAILING": "_registry",
    "FORMATS": "_formats",
    "RenderOptions": "_registry",
    "Renderer": "_registry",
    "audit_to_json": "_audit_run",
    "claimreview_script": "_claimreview",
    "display_safe": "_display",
    "dumps_claimreview": "_claimreview",
    "failing_value": "_registry",
    "formats": "_registry",
    "history_chart_svg": "_history_html",
    "history_to_json": "_history",
    "plural": "_history",
    "render": "_registry",
    "render_audit_markdown": "_audit_run",
    "render_audit_text": "_audit_run",
    "render_compact": "_compact",
    "render_github": "_ci",
    "render_history_html": "_history_html",
    "render_history_markdown": "_history",
    "render_html": "_html",
    "render_junit": "_ci",
    "render_markdown": "_ci",
    "render_notebook": "_notebook",
    "render_text": "_text",
    "renderer": "_registry",
    "renderers": "_registry",
    "summary_line": "_registry",
    "terminal_width": "_display",
    "to_claimreview": "_claimreview",
    "to_json": "_json",
    "to_sarif": "_sarif",
}

__all__ = [
    "FAILING",
    "FORMATS",
    "RenderOptions",
    "Renderer",
    "audit_to_json",
    "claimreview_script",
    "display_safe",
    "dumps_claimreview",
    "failing_value",
    "formats",
    "history_chart_svg",
    "history_to_json",
    "plural",
    "render",
    "render_audit_markdown",
    "render_audit_text",
    "render_compact",
    "render_github",
    "render_history_html",
    "render_history_markdown",
    "render_html",
    "render_junit",
    "render_markdown",
    "render_notebook",
    "render_text",
    "renderer",
    "renderers",
    "summary_line",
    "terminal_width",
    "to_claimreview",
    "to_json",
    "to_sarif",
]


if not TYPE_CHECKING:  # mypy reads the imports above, and keeps refusing an unknown name
    from claimcheck._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
    del lazy_names

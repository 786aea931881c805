"""The report formats of each subject by name, with the few words ``--help`` says of each: what
the command line needs to build its ``--format`` options and their help without importing the
renderers (:mod:`._registry` imports every one of them, and the libraries behind them: start-up,
issue 17).

The same names, summaries and order as the registry's :class:`~._registry.Renderer` entries, a
test holds them equal: a format added there is added here too."""

from typing import Final

__all__ = ["FORMATS"]

FORMATS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    # A check's report (claimcheck.model.Report)
    "Report": (
        ("text", "a table for a terminal, problems first"),
        ("compact", "one line per finding, file:line:col: status reason: message"),
        ("json", "the versioned report, schema in claimcheck/schemas"),
        ("markdown", "a table"),
        ("junit", "JUnit XML"),
        ("github", "Actions annotations"),
        ("html", "one self-contained file: use with -o"),
        ("sarif", "2.1.0, for code scanning"),
        ("claimreview", "schema.org JSON-LD"),
    ),
    # One audit run (claimcheck.auditing.AuditResult)
    "AuditResult": (
        ("text", "a table for a terminal"),
        ("json", '"schema": "claimcheck.audit"'),
        ("markdown", ""),
    ),
    # An audit history (claimcheck.auditing.AuditHistory)
    "AuditHistory": (
        ("html", "one self-contained file with a chart"),
        ("markdown", ""),
        ("json", '"schema": "claimcheck.audit-report", schema in claimcheck/schemas'),
    ),
}
"""Per subject (its class's name): ``(format, summary)`` in registration order."""

"""The light table of report formats (``claimcheck.reports._formats``: what the command line's
``--format`` and its help are built from, without importing the renderers) says what the
registry says: every subject, every format, its summary, in registration order.

Internals tested directly (private modules): the table and the registry's tuple of renderers."""

from __future__ import annotations

from claimcheck.auditing import AuditHistory, AuditResult
from claimcheck.model import Report
from claimcheck.reports import renderers
from claimcheck.reports._formats import FORMATS
from claimcheck.reports._registry import _RENDERERS


def test_the_table_is_the_registry() -> None:
    subjects = (Report, AuditResult, AuditHistory)
    assert {entry.subject for entry in _RENDERERS} == set(subjects)
    assert {
        subject.__name__: tuple((entry.name, entry.summary) for entry in renderers(subject))
        for subject in subjects
    } == FORMATS

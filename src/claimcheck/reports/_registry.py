"""The report formats: one registry of renderers, each format registered once.

A :class:`Renderer` is a format's name (what ``--format`` takes), what it renders (its subject: a
check's :class:`~claimcheck.Report`, one audit run's :class:`~claimcheck.auditing.AuditResult`,
or an audit history, :class:`~claimcheck.auditing.AuditHistory`), the function that renders it,
the options it reads (:class:`RenderOptions`), how its result becomes the text written, and
whether it writes for a terminal. :func:`render` renders a subject in any registered format;
the command line offers the formats of each subject by name from here (``claimcheck check
--format``, ``claimcheck audit run --format``, ``claimcheck audit report --format``).

Where to add a report format: write its rendering function in a module of this package (the
subject first, then keyword-only options named like :class:`RenderOptions` fields; text, or
JSON-ready data), then register it with one :class:`Renderer` in ``_RENDERERS`` below, and
its name and summary in ``_formats.FORMATS`` (what the command line builds its options and help
from without importing the renderers; a test holds the two equal). The command line's
``--format`` choices, its help and ``claimcheck.reports.render`` follow; a new option is one
more :class:`RenderOptions` field (and a flag in the command's module of :mod:`claimcheck.cli`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from ..auditing import AuditHistory, AuditResult
from ..errors import ConfigurationError
from ..model import Flag, Report, Status, well_formed
from ._audit_run import audit_summary_line, audit_to_json, render_audit_markdown, render_audit_text
from ._ci import render_github, render_junit, render_markdown
from ._claimreview import dumps_claimreview, to_claimreview
from ._compact import render_compact
from ._display import json_safe
from ._history import history_span, history_to_json, plural, render_history_markdown, states_line
from ._history_html import render_history_html
from ._html import render_html
from ._json import to_json
from ._sarif import to_sarif
from ._text import render_text, summary_text

__all__ = [
    "FAILING",
    "RenderOptions",
    "Renderer",
    "failing_value",
    "formats",
    "render",
    "renderer",
    "renderers",
    "summary_line",
]


FAILING: Final = frozenset({Status.DRIFTED, Status.BROKEN})
"""The statuses that fail a check unless told otherwise: what JUnit, GitHub annotations and
SARIF mark as failures, and what makes ``claimcheck check`` exit 1."""


def failing_value(name: Status | Flag | str) -> Status | Flag:
    """What ``failing`` (``--fail-on``) can name: a :class:`~claimcheck.Status`, or
    ``disputed`` (:class:`~claimcheck.model.Flag`); a ``ValueError`` naming the choices for any
    other name."""
    for kind in (Status, Flag):
        try:
            return kind(name)
        except ValueError:
            continue
    choices = ", ".join([*(status.value for status in Status), *(flag.value for flag in Flag)])
    raise ValueError(f"unknown status {name!r} (use {choices})")


def _statuses(values: Iterable[Status | Flag | str]) -> frozenset[Status | Flag]:
    try:
        return frozenset(failing_value(value) for value in values)
    except ValueError as error:
        raise ConfigurationError(f"failing: {error}") from None


@attrs.frozen(kw_only=True)
class RenderOptions:
    """What a rendering may be told; each format reads only the options it names
    (:attr:`Renderer.options`), and ``None`` leaves the renderer's own default.

    - ``failing``: the statuses that fail (JUnit failures, GitHub ``::error``, SARIF
      ``error``), and ``disputed`` for the verified claims another source disputes;
      :data:`FAILING` by default;
    - ``color``, ``width``, ``verbose``, ``show_all``: text for a terminal: colours forced on or
      off (None: when standard output is a terminal and ``NO_COLOR`` is unset), the width in
      columns (None: the terminal's, ``COLUMNS``, or 120 when not writing to a terminal), every
      claim and every source in detail, every claim listed (the verified ones too);
    - ``title``: an HTML page's title;
    - ``base``: the folder SARIF's relative file URIs start from (``%SRCROOT%``);
    - ``author``, ``author_url``, ``review_url``, ``review_date``, ``statement_url``:
      ClaimReview's publisher, where the reviews are published, when, and where the statement
      is (one URL, or one per statement name): see :func:`~._claimreview.to_claimreview`.
    """

    failing: frozenset[Status | Flag] = attrs.field(default=FAILING, converter=_statuses)
    color: bool | None = None
    width: int | None = None
    verbose: bool = False
    show_all: bool = False
    title: str | None = None
    base: Path | None = None
    author: str | None = None
    author_url: str | None = None
    review_url: str | None = None
    review_date: dt.date | None = None
    statement_url: str | Mapping[str, str] | None = None


def _json_text(data: Any) -> str:
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _claimreview_text(reviews: Any) -> str:
    return dumps_claimreview(reviews) + "\n"


def _as_text(text: Any) -> str:
    return str(text)


def _same_names(*names: str) -> Mapping[str, str]:
    return {name: name for name in names}


@attrs.frozen(kw_only=True)
class Renderer:
    """One report format.

    - ``name``: what ``--format`` takes; unique per subject;
    - ``subject``: the type it renders (:class:`~claimcheck.Report`,
      :class:`~claimcheck.auditing.AuditResult`, :class:`~claimcheck.auditing.AuditHistory`);
    - ``function``: renders a subject, given the keyword options it reads;
    - ``options``: which :class:`RenderOptions` fields it reads, each mapped to the keyword
      ``function`` takes it as;
    - ``text``: turns ``function``'s result into the text written (JSON-ready data is dumped);
    - ``terminal``: it writes for a terminal (colours only when writing to one);
    - ``job_summary``: the format GitHub Actions' job summary gets alongside this one, when the
      ``GITHUB_STEP_SUMMARY`` file is set (annotations go to the log, a table to the summary);
    - ``summary``: a few words for ``--help``.
    """

    name: str
    subject: type
    function: Callable[..., Any]
    summary: str = ""
    options: Mapping[str, str] = attrs.field(factory=dict)
    text: Callable[[Any], str] = _as_text
    terminal: bool = False
    job_summary: str | None = None

    def render(self, subject: object, options: RenderOptions | None = None) -> str:
        """``subject`` in this format, as text to write as is: well-formed Unicode whatever
        strings the subject holds (:func:`~claimcheck.model.well_formed`), so that writing it
        as UTF-8 never fails."""
        options = options or RenderOptions()
        keywords = {keyword: getattr(options, field) for field, keyword in self.options.items()}
        return well_formed(self.text(self.function(subject, **keywords)))


_RENDERERS: Final[tuple[Renderer, ...]] = (
    # A check's report
    Renderer(
        name="text",
        subject=Report,
        function=render_text,
        summary="a table for a terminal, problems first",
        options=_same_names("color", "width", "verbose", "show_all"),
        terminal=True,
    ),
    Renderer(
        name="compact",
        subject=Report,
        function=render_compact,
        summary="one line per finding, file:line:col: status reason: message",
        options=_same_names("base"),
    ),
    Renderer(
        name="json",
        subject=Report,
        function=to_json,
        summary="the versioned report, schema in claimcheck/schemas",
        text=_json_text,
    ),
    Renderer(name="markdown", subject=Report, function=render_markdown, summary="a table"),
    Renderer(
        name="junit",
        subject=Report,
        function=render_junit,
        summary="JUnit XML",
        options=_same_names("failing"),
    ),
    Renderer(
        name="github",
        subject=Report,
        function=render_github,
        summary="Actions annotations",
        options=_same_names("failing"),
        job_summary="markdown",
    ),
    Renderer(
        name="html",
        subject=Report,
        function=render_html,
        summary="one self-contained file: use with -o",
        options=_same_names("title"),
    ),
    Renderer(
        name="sarif",
        subject=Report,
        function=to_sarif,
        summary="2.1.0, for code scanning",
        options=_same_names("failing", "base"),
        text=_json_text,
    ),
    Renderer(
        name="claimreview",
        subject=Report,
        function=to_claimreview,
        summary="schema.org JSON-LD",
        options={
            "author": "author",
            "author_url": "author_url",
            "review_date": "date_published",
            "review_url": "url",
            "statement_url": "statement_url",
        },
        text=_claimreview_text,
    ),
    # One audit run: what changed
    Renderer(
        name="text",
        subject=AuditResult,
        function=render_audit_text,
        summary="a table for a terminal",
        options=_same_names("color", "width"),
        terminal=True,
    ),
    Renderer(
        name="json",
        subject=AuditResult,
        function=audit_to_json,
        summary='"schema": "claimcheck.audit"',
        text=_json_text,
    ),
    Renderer(name="markdown", subject=AuditResult, function=render_audit_markdown),
    # An audit history: every run and citation
    Renderer(
        name="html",
        subject=AuditHistory,
        function=render_history_html,
        summary="one self-contained file with a chart",
        options=_same_names("title"),
    ),
    Renderer(name="markdown", subject=AuditHistory, function=render_history_markdown),
    Renderer(
        name="json",
        subject=AuditHistory,
        function=history_to_json,
        summary='"schema": "claimcheck.audit-report", schema in claimcheck/schemas',
        text=_json_text,
    ),
)


def formats(subject: type) -> tuple[str, ...]:
    """The names of the formats ``subject`` (a type) renders in, in registration order."""
    return tuple(entry.name for entry in _RENDERERS if issubclass(subject, entry.subject))


def renderers(subject: type) -> tuple[Renderer, ...]:
    """The renderers of ``subject`` (a type), in registration order."""
    return tuple(entry for entry in _RENDERERS if issubclass(subject, entry.subject))


def renderer(subject: type, name: str) -> Renderer:
    """The renderer of ``subject`` (a type) called ``name``; a
    :class:`~claimcheck.errors.ConfigurationError` naming the formats there are for any other
    name."""
    for entry in renderers(subject):
        if entry.name == name:
            return entry
    known = ", ".join(formats(subject)) or "none"
    raise ConfigurationError(
        f"no report format {name!r} for {_a(subject.__name__)} (formats: {known})"
    )


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "AEIOU" else f"a {noun}"


def render(subject: object, name: str, options: RenderOptions | None = None, **given: Any) -> str:
    """``subject`` (a :class:`~claimcheck.Report`, an
    :class:`~claimcheck.auditing.AuditResult` or an :class:`~claimcheck.auditing.AuditHistory`)
    as text in the registered format ``name``: ``render(report, "sarif", failing={"broken"})``.
    Options are given as keywords (:class:`RenderOptions` fields) or as ``options``."""
    if options is None:
        options = RenderOptions(**given)
    elif given:
        options = attrs.evolve(options, **given)
    return renderer(type(subject), name).render(subject, options)


def summary_line(subject: object) -> str:
    """What a report says, in one line without markup: for a check's
    :class:`~claimcheck.Report` the counts (``26 claims: 15 verified, 4 drifted, …``), for an
    :class:`~claimcheck.auditing.AuditResult` the run's, for an
    :class:`~claimcheck.auditing.AuditHistory` its runs and its citations' states now. What the
    command line prints when every report goes to a file."""
    if isinstance(subject, Report):
        return summary_text(subject)
    if isinstance(subject, AuditResult):
        return audit_summary_line(subject)
    if isinstance(subject, AuditHistory):
        citations = plural(len(subject.sources), "citation")
        return f"{history_span(subject)}; {citations} now: {states_line(subject)}"
    raise ConfigurationError(f"no summary of {_a(type(subject).__name__)}")

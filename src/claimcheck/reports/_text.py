"""Renderings of a check's :class:`~claimcheck.Report`: JSON (the public, versioned schema), text
for a terminal, Markdown, JUnit XML and GitHub Actions annotations."""

from __future__ import annotations

import functools
import io
import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from ..model import ClaimResult, Evidence, Report, Snapshot, Status

__all__ = ["render_github", "render_junit", "render_markdown", "render_text", "to_json"]

# --------------------------------------------------------------------------------------------
# JSON

JSON_SCHEMA_VERSION = 1


def _location(result: ClaimResult) -> dict[str, Any] | None:
    location = result.claim.location
    statement = result.claim_set.statement
    if location is None:
        return None
    return {
        "file": str(statement.path) if statement.path is not None else None,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def _snapshot_json(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "url": snapshot.url,
        "captured": snapshot.captured.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "media_type": snapshot.media_type,
        "digest": snapshot.digest,
        "excerpt": snapshot.excerpt,
        "origin": snapshot.origin,
        "archive_url": snapshot.archive_url,
        "status": snapshot.status,
        "file": snapshot.path,
    }


def _evidence_json(evidence: Evidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "score": evidence.score,
        "passage": evidence.passage,
        "span": list(evidence.span) if evidence.span is not None else None,
        "region": evidence.region,
        "found": evidence.found,
        "differences": [
            {
                "kind": diff.kind.value,
                "material": diff.material,
                "claim": diff.claim_words,
                "source": diff.source_words,
                "claim_span": list(diff.claim_span),
                "source_span": list(diff.source_span),
            }
            for diff in evidence.differences
        ],
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, in the documented schema."""
    return {
        "schema": "claimcheck.report",
        "version": JSON_SCHEMA_VERSION,
        "created": report.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "offline": report.offline,
        "summary": report.summary,
        "claims": [
            {
                "id": result.claim.id,
                "statement": result.claim_set.name,
                "claims_file": str(result.claim_set.path) if result.claim_set.path else None,
                "kind": result.claim.kind.value,
                "text": result.claim.text,
                "status": result.status.value,
                "reason": result.reason.value,
                "message": result.message,
                "location": _location(result),
                "sources": [
                    {
                        "url": verdict.source.url,
                        "accessed": verdict.source.accessed.isoformat()
                        if verdict.source.accessed
                        else None,
                        "status": verdict.status.value,
                        "reason": verdict.reason.value,
                        "message": verdict.message,
                        "snapshot": _snapshot_json(verdict.snapshot),
                        "evidence": _evidence_json(verdict.evidence),
                        "archived": None
                        if verdict.archived_snapshot is None
                        else {
                            "snapshot": _snapshot_json(verdict.archived_snapshot),
                            "evidence": _evidence_json(verdict.archived_evidence),
                        },
                        "replacement": verdict.replacement,
                    }
                    for verdict in result.verdicts
                ],
            }
            for result in report.results
        ],
    }


# --------------------------------------------------------------------------------------------
# Text


_STATUS_STYLE: Mapping[Status, str] = {
    Status.VERIFIED: "green",
    Status.DRIFTED: "yellow",
    Status.BROKEN: "red",
    Status.UNCHECKED: "blue",
    Status.UNSOURCED: "magenta",
}


# Characters that would act on a terminal rather than show: C0 and C1 controls (ANSI escape
# sequences start with ESC or CSI), and the bidi embeddings, overrides and isolates that can
# make text display in another order than it is ("Trojan Source").
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str) -> str:
    """``text`` with its control and bidi characters shown as ``\\xNN``/``\\uNNNN``: what
    comes from a source (a title, a passage) or a claims file never acts on a terminal."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def terminal_safe(text: str) -> str:
    """:func:`neutralise`, and rich's markup (``[bold]``) escaped so that it shows as written."""
    from rich.markup import escape

    return escape(neutralise(text))


def render_text(
    report: Report, *, color: bool | None = None, width: int | None = None, verbose: bool = False
) -> str:
    """A readable table: one row per claim with its status, why, and the deciding source; with
    ``verbose``, then every claim's sources in detail (the capture used, the passage found with
    the word differences marked, the value found). Everything that comes from the claims or the
    sources goes through :func:`terminal_safe`.

    ``color``: True or False forces colours on or off; None (the default) colours when standard
    output is a terminal and ``NO_COLOR`` is not set."""
    from rich.console import Console
    from rich.table import Table

    if color is None:
        # https://no-color.org: present and not empty means no colour
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or 120,
        highlight=False,
        soft_wrap=False,
    )
    table = Table(show_lines=False, expand=False, pad_edge=False)
    table.add_column("claim", overflow="fold", max_width=28)
    table.add_column("status", no_wrap=True)
    table.add_column("why", overflow="fold")
    table.add_column("source", overflow="fold", max_width=40)
    for result in report.results:
        deciding = next((v for v in result.verdicts if v.status is result.status), None)
        source = deciding.source.url if deciding is not None else ""
        if deciding is not None and deciding.snapshot is not None and deciding.snapshot.excerpt:
            source += " (excerpt)"
        where = f" ({result.claim.location})" if result.claim.location else ""
        table.add_row(
            terminal_safe(f"{result.claim.id}{where}"),
            f"[{_STATUS_STYLE[result.status]}]{result.status.value}[/]",
            terminal_safe(f"{result.reason.value}: {result.message}"),
            terminal_safe(source),
        )
    console.print(table)
    if verbose:
        for result in report.results:
            console.print()
            _print_details(console, result)
        console.print()
    summary = report.summary
    console.print(
        f"{summary['total']} claims: "
        + ", ".join(
            f"[{_STATUS_STYLE[status]}]{summary[status.value]} {status.value}[/]"
            for status in report.shown_statuses()
        )
    )
    return buffer.getvalue()


def _print_details(console: Any, result: ClaimResult) -> None:
    # soft wrapping: long URLs and passages are left for the terminal to wrap, unbroken
    print_ = functools.partial(console.print, soft_wrap=True)
    style = _STATUS_STYLE[result.status]
    where = f" at {result.claim.location}" if result.claim.location else ""
    print_(
        f"[bold]{terminal_safe(result.claim.id or '(no id)')}[/]{terminal_safe(where)} "
        f"[{style}]{result.status.value}[/] ({result.claim.kind.value})"
    )
    print_(f"  claim: {terminal_safe(_one_line(result.claim.text))}")
    for verdict in result.verdicts:
        style = _STATUS_STYLE[verdict.status]
        print_(
            f"  [{style}]{verdict.status.value}[/] {terminal_safe(verdict.source.url)}\n"
            f"    {verdict.reason.value}: {terminal_safe(verdict.message)}"
        )
        copies = [("current copy", verdict.snapshot, verdict.evidence)]
        if verdict.archived_snapshot is not None:
            copies.append(("archived copy", verdict.archived_snapshot, verdict.archived_evidence))
        for label, snapshot, evidence in copies:
            if snapshot is not None:
                print_(f"    {label}: {terminal_safe(_describe_capture(snapshot))}")
            if evidence is not None and evidence.passage is not None:
                plain = console.color_system is None
                print_(f"    passage: {_marked_passage(evidence, plain=plain)}")
                if evidence.found is not None:
                    print_(f"    found: {terminal_safe(evidence.found)}")
                for diff in evidence.differences:
                    if diff.material:
                        print_(f"    [{style}]{diff.kind.value}[/]: {terminal_safe(str(diff))}")
        if verdict.replacement:
            print_(f"    archived copy to cite: {terminal_safe(verdict.replacement)}")


def _describe_capture(snapshot: Snapshot) -> str:
    described = f"{snapshot.origin or 'a'} capture of {snapshot.captured:%Y-%m-%d %H:%M} UTC"
    if snapshot.archive_url:
        described += f", {snapshot.archive_url}"
    if snapshot.excerpt:
        described += " (excerpt)"
    return described


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _marked_passage(evidence: Evidence, *, plain: bool) -> str:
    """The passage, its words that differ from the claim's underlined in green, and what the
    claim has in their place struck through in red before them; ``plain`` (no colours: a CI
    log, a file) marks them as ``git diff --word-diff`` does, ``[-claim-]{+source+}``."""
    deleted, inserted = ("[-", "-]"), ("{+", "+}")
    if not plain:
        deleted, inserted = ("[red strike]", "[/]"), ("[bold green underline]", "[/]")
    assert evidence.passage is not None
    passage = evidence.passage
    start = evidence.span[0] if evidence.span is not None else 0
    marked = []
    position = 0
    diffs = sorted((d for d in evidence.differences if d.material), key=lambda d: d.source_span)
    for diff in diffs:
        begin, end = (offset - start for offset in diff.source_span)
        if not 0 <= position <= begin <= end <= len(passage):
            continue
        marked.append(terminal_safe(_one_line_keep_edges(passage[position:begin])))
        if diff.claim_words:
            marked.append(f"{deleted[0]}{terminal_safe(diff.claim_words)}{deleted[1]}")
            if diff.source_words or passage[end : end + 1].isalnum():
                marked.append(" ")
        if diff.source_words:
            source_words = _one_line_keep_edges(passage[begin:end])
            marked.append(f"{inserted[0]}{terminal_safe(source_words)}{inserted[1]}")
        position = end
    marked.append(terminal_safe(_one_line_keep_edges(passage[position:])))
    return "“" + "".join(marked) + "”"


def _one_line_keep_edges(text: str) -> str:
    """Whitespace runs folded to one space, keeping a leading or trailing one."""
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------------------------
# Markdown, JUnit XML, GitHub Actions


_MARKDOWN_ESCAPES = str.maketrans({"|": "\\|", "\n": " ", "\r": " ", "`": "\\`", "<": "&lt;"})


def _markdown_cell(text: str) -> str:
    return neutralise(text).translate(_MARKDOWN_ESCAPES)


def render_markdown(report: Report) -> str:
    """A Markdown table (for a pull-request comment or a GitHub job summary)."""
    summary = report.summary
    lines = [
        "## claimcheck",
        "",
        f"{summary['total']} claims: "
        + ", ".join(f"{summary[s.value]} {s.value}" for s in report.shown_statuses()),
        "",
        "| claim | status | why | source |",
        "|---|---|---|---|",
    ]
    for result in report.results:
        deciding = next((v for v in result.verdicts if v.status is result.status), None)
        source = deciding.source.url if deciding is not None else ""
        where = f" ({result.claim.location})" if result.claim.location else ""
        lines.append(
            f"| {_markdown_cell(f'{result.claim.id}{where}')} | **{result.status.value}** | "
            f"`{result.reason.value}`: {_markdown_cell(result.message)} | "
            f"{_markdown_cell(source)} |"
        )
    return "\n".join(lines) + "\n"


_UNDECIDED = frozenset({Status.UNCHECKED, Status.UNSOURCED})


def render_junit(report: Report, *, failing: Iterable[Status]) -> str:
    """JUnit XML: a test suite per statement, a test case per claim; claims whose status is in
    ``failing`` are failures (type: the reason), unchecked and unsourced ones skipped."""
    import xml.etree.ElementTree as ET

    failing = set(failing)
    suites = ET.Element("testsuites", name="claimcheck")
    by_statement: dict[str, list[ClaimResult]] = {}
    for result in report.results:
        by_statement.setdefault(result.claim_set.name, []).append(result)
    for name, results in by_statement.items():
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=_xml_safe(name),
            tests=str(len(results)),
            failures=str(sum(r.status in failing for r in results)),
            skipped=str(sum(r.status in _UNDECIDED and r.status not in failing for r in results)),
        )
        for result in results:
            case = ET.SubElement(
                suite, "testcase", classname=_xml_safe(name), name=_xml_safe(result.claim.id or "")
            )
            detail = "\n".join(
                f"{v.source.url}: {v.status.value} ({v.reason.value}): {v.message}"
                for v in result.verdicts
            )
            if result.status in failing:
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=result.reason.value,
                    message=_xml_safe(f"{result.status.value}: {result.message}"),
                )
                failure.text = _xml_safe(detail)
            elif result.status in _UNDECIDED:
                ET.SubElement(case, "skipped", message=_xml_safe(result.message))
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


_XML_INVALID = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff\\ud800-\\udfff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters even escaped: show them instead."""
    return _XML_INVALID.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _github_data(text: str) -> str:
    return neutralise(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, *, failing: Iterable[Status]) -> str:
    """GitHub Actions workflow commands: an ``::error`` annotation per failing claim (at its
    line and column in the statement file), a ``::warning`` per other claim not verified."""
    failing = set(failing)
    lines = []
    for result in report.results:
        if result.status is Status.VERIFIED and result.status not in failing:
            continue
        level = "error" if result.status in failing else "warning"
        properties = [
            f"title={_github_property(f'claim {result.claim.id}: {result.status.value}')}"
        ]
        statement = result.claim_set.statement.path
        location = result.claim.location
        if statement is not None and location is not None:
            properties[:0] = [
                f"file={_github_property(str(statement))}",
                f"line={location.line}",
                f"col={location.column}",
            ]
        message = f"{result.reason.value}: {result.message}"
        lines.append(f"::{level} {','.join(properties)}::{_github_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")

"""A check's :class:`~claimcheck.Report` for continuous integration: Markdown (a pull-request
comment, a job summary), JUnit XML (a test case per claim) and GitHub Actions annotations (a
workflow command per claim that is not verified, or is disputed). Text from claims files and
sources is shown, never obeyed (:mod:`._display`).

``failing`` names what fails: statuses, and :attr:`~claimcheck.model.Flag.DISPUTED` for the
verified claims another source disputes (:meth:`~claimcheck.ClaimResult.fails`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from ..model import ClaimResult, Flag, Report, Status
from ._display import (
    display_safe,
    ignore_notes,
    markdown_code,
    markdown_text,
    markdown_url,
    store_named,
)

__all__ = ["render_github", "render_junit", "render_markdown"]


def render_markdown(report: Report) -> str:
    """A Markdown table (for a pull-request comment or a GitHub job summary)."""
    summary = report.summary
    disputed = f"; {len(report.disputed)} disputed" if report.disputed else ""
    disputed += "".join(f"; {note}" for note in ignore_notes(report))
    lines = [
        "## claimcheck",
        "",
        f"snapshot store: {markdown_code(store_named(report))}",
        "",
        f"{summary['total']} claims: "
        + ", ".join(f"{summary[s.value]} {s.value}" for s in report.shown_statuses())
        + disputed,
        "",
        "| claim | status | why | source |",
        "|---|---|---|---|",
    ]
    for result in report.results:
        deciding = next((v for v in result.verdicts if v.status is result.status), None)
        source = deciding.source.url if deciding is not None else ""
        where = f" ({result.claim.location})" if result.claim.location else ""
        status = f"**{result.status.value}**"
        why = f"`{result.reason.value}`: {markdown_text(result.message)}"
        if result.dispute is not None:
            status += " (**disputed**)"
            why += f"<br>**disputed**: {markdown_text(result.dispute)}"
        if result.ignored is not None:
            status += " (ignored)"
            why += (
                f"<br>**ignored**: {markdown_text(result.ignored.reason)} "
                f"({markdown_text(result.ignored.place)})"
            )
        lines.append(
            f"| {markdown_text(f'{result.claim.id}{where}')} | {status} | {why} | "
            f"{markdown_url(source)} |"
        )
    if report.unused_ignores:
        lines.append("")
        lines.extend(
            f"> **warning**: {markdown_text(entry.place)}: {markdown_text(entry.unused)}  "
            for entry in report.unused_ignores
        )
    return "\n".join(lines) + "\n"


_UNDECIDED = frozenset({Status.UNCHECKED, Status.UNSOURCED})


def render_junit(report: Report, *, failing: Iterable[Status | Flag]) -> str:
    """JUnit XML: a test suite per statement, a test case per claim; claims that fail
    (:meth:`~claimcheck.ClaimResult.fails`: their status is in ``failing``, or they are disputed
    and ``failing`` names ``disputed``) are failures (type: the reason, or ``disputed``),
    unchecked and unsourced ones skipped, and so are findings an ignore entry dismissed
    (``ignored: <reason>``). A disputed claim carries a ``disputed`` property (which source
    says what) whether it fails or not. Ignore entries that match no finding are listed in the
    ``system-err`` of the suite whose claims file holds them."""
    failing = set(failing)
    suites = ET.Element("testsuites", name="claimcheck")
    by_statement: dict[str, list[ClaimResult]] = {}
    for result in report.results:
        by_statement.setdefault(result.claim_set.name, []).append(result)
    stale = _stale_by_statement(report, by_statement)
    for name, results in by_statement.items():
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=display_safe(name),
            tests=str(len(results)),
            failures=str(sum(r.fails(failing) for r in results)),
            skipped=str(sum(_skipped(r, failing) for r in results)),
        )
        suite_properties = ET.SubElement(suite, "properties")
        ET.SubElement(
            suite_properties, "property", name="store", value=display_safe(store_named(report))
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=display_safe(name),
                name=display_safe(result.claim.id or ""),
            )
            detail = "\n".join(
                f"{v.source.url}: {v.status.value} ({v.reason.value}): {v.message}"
                for v in result.verdicts
            )
            if result.dispute is not None:
                # Test-case properties, as pytest's record_property writes them.
                properties = ET.SubElement(case, "properties")
                ET.SubElement(
                    properties, "property", name="disputed", value=display_safe(result.dispute)
                )
            if result.fails(failing):
                kind, said = (
                    (result.reason.value, f"{result.status.value}: {result.message}")
                    if result.status in failing
                    else (Flag.DISPUTED.value, f"disputed: {result.dispute}")  # verified, disputed
                )
                failure = ET.SubElement(case, "failure", type=kind, message=display_safe(said))
                failure.text = display_safe(detail)
            elif result.ignored is not None:
                said = f"ignored: {result.ignored.reason}"
                ET.SubElement(case, "skipped", message=display_safe(said))
            elif result.status in _UNDECIDED:
                ET.SubElement(case, "skipped", message=display_safe(result.message))
        unused = [entry for entry in report.unused_ignores if stale.get(id(entry)) == name]
        if unused:
            # Where JUnit XML has room for a tool's own words: the suite's standard error.
            err = ET.SubElement(suite, "system-err")
            err.text = "\n".join(display_safe(f"{e.place}: {e.unused}") for e in unused)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _stale_by_statement(
    report: Report, by_statement: dict[str, list[ClaimResult]]
) -> dict[int, str]:
    """The statement (test suite) each unused ignore entry is reported under: the one whose
    claims file holds it, else the first."""
    files: dict[Path, str] = {}
    for name, results in by_statement.items():
        for result in results:
            if result.claim_set.path is not None:
                files.setdefault(result.claim_set.path, name)
    first = next(iter(by_statement), None)
    placed: dict[int, str] = {}
    for entry in report.unused_ignores:
        found = files.get(entry.file, first) if entry.file is not None else first
        if found is not None:
            placed[id(entry)] = found
    return placed


def _skipped(result: ClaimResult, failing: set[Status | Flag]) -> bool:
    """A test case JUnit counts as skipped: an ignored finding, or an undecided claim that
    does not fail."""
    if result.fails(failing):
        return False
    return result.ignored is not None or result.status in _UNDECIDED


def _github_data(text: str) -> str:
    return display_safe(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, *, failing: Iterable[Status | Flag]) -> str:
    """GitHub Actions workflow commands: an ``::error`` annotation per failing claim (at its
    line and column in the statement file), a ``::warning`` per other claim not verified or
    disputed; none for a finding an ignore entry dismissed, and a ``::warning`` at each ignore
    entry that matches no finding."""
    failing = set(failing)
    lines = []
    for result in report.results:
        fails = result.fails(failing)
        if result.ignored is not None:  # dismissed on purpose: the other formats show it
            continue
        if result.status is Status.VERIFIED and not result.disputed and not fails:
            continue
        level = "error" if fails else "warning"
        title = f"claim {result.claim.id}: {result.status.value}"
        if result.disputed:
            title += " (disputed)"
        properties = [f"title={_github_property(title)}"]
        statement = result.claim_set.statement.path
        location = result.claim.location
        if statement is not None and location is not None:
            properties[:0] = [
                f"file={_github_property(str(statement))}",
                f"line={location.line}",
                f"col={location.column}",
            ]
        message = f"{result.reason.value}: {result.message}"
        if result.dispute is not None:
            message += f"\ndisputed: {result.dispute}"
        lines.append(f"::{level} {','.join(properties)}::{_github_data(message)}")
    for entry in report.unused_ignores:
        properties = [f"title={_github_property('unused ignore entry')}"]
        if entry.file is not None:
            properties[:0] = [f"file={_github_property(str(entry.file))}"]
            if entry.file_line is not None:
                properties.insert(1, f"line={entry.file_line}")
        lines.append(f"::warning {','.join(properties)}::{_github_data(entry.unused)}")
    return "\n".join(lines) + ("\n" if lines else "")

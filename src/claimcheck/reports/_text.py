"""A check's :class:`~claimcheck.Report` as text for a terminal: a table of the claims and, with
``verbose``, every source in detail with the words that differ marked. What comes from claims
files and sources is shown, never obeyed (:func:`~._display.terminal_safe`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from ..model import ClaimResult, Evidence, Report, Snapshot, Status
from ._display import store_named, terminal_console, terminal_safe

__all__ = ["render_text"]


_STATUS_STYLE: Mapping[Status, str] = {
    Status.VERIFIED: "green",
    Status.DRIFTED: "yellow",
    Status.BROKEN: "red",
    Status.UNCHECKED: "blue",
    Status.UNSOURCED: "magenta",
}
_DISPUTED_STYLE = "bold yellow"


def render_text(
    report: Report, *, color: bool | None = None, width: int | None = None, verbose: bool = False
) -> str:
    """A readable table: one row per claim with its status, why (a disputed claim says so under
    its status, and which source says what under why), and the deciding source; with
    ``verbose``, then every claim's sources in detail (the capture used, the passage found with
    the word differences marked, the value found). Everything that comes from the claims or the
    sources goes through :func:`~._display.terminal_safe`.

    ``color``: True or False forces colours on or off; None (the default) colours when standard
    output is a terminal and ``NO_COLOR`` is not set. ``width``: 120 columns unless given."""
    from rich.table import Table

    console, buffer = terminal_console(color=color, width=width)
    console.print(f"snapshot store: {terminal_safe(store_named(report))}", soft_wrap=True)
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
        status = f"[{_STATUS_STYLE[result.status]}]{result.status.value}[/]"
        why = terminal_safe(f"{result.reason.value}: {result.message}")
        if result.dispute is not None:
            status += f"\n[{_DISPUTED_STYLE}]disputed[/]"
            why += f"\n[{_DISPUTED_STYLE}]disputed[/]: {terminal_safe(result.dispute)}"
        table.add_row(
            terminal_safe(f"{result.claim.id}{where}"), status, why, terminal_safe(source)
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
        + (f"; [{_DISPUTED_STYLE}]{len(report.disputed)} disputed[/]" if report.disputed else "")
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
    if result.dispute is not None:
        print_(f"  [{_DISPUTED_STYLE}]disputed[/]: {terminal_safe(result.dispute)}")
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

"""A check's :class:`~claimcheck.Report` as text for a terminal, problems first: a table of the
claims that need work (drifted, broken, disputed, unchecked, unsourced, in that order), the
verified ones in one line (every claim with ``show_all`` or ``verbose``), and the counts. The
table is as wide as the terminal (:func:`~._display.terminal_width`) and no URL is folded over
lines: each is on a line of its own below its row, whole, so that the terminal can still open
it. ``verbose`` adds every claim's sources in detail with the words that differ marked. What
comes from claims files and sources is shown, never obeyed (:func:`~._display.terminal_safe`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ..model import ClaimResult, Evidence, Report, Snapshot, Status
from ._display import ignore_notes, store_named, terminal_console, terminal_safe

__all__ = [
    "GAP",
    "NARROWEST",
    "PROBLEM_ORDER",
    "TRAILING_SPACES",
    "grid",
    "problem",
    "problems",
    "render_text",
    "summary_text",
]


_STATUS_STYLE: Mapping[Status, str] = {
    Status.VERIFIED: "green",
    Status.DRIFTED: "yellow",
    Status.BROKEN: "red",
    Status.UNCHECKED: "blue",
    Status.UNSOURCED: "magenta",
}
_DISPUTED_STYLE = "bold yellow"
_IGNORED_STYLE = "dim"
DISPUTED: Final = "disputed"

PROBLEM_ORDER: Final[tuple[str, ...]] = (
    Status.DRIFTED.value,
    Status.BROKEN.value,
    DISPUTED,
    Status.UNCHECKED.value,
    Status.UNSOURCED.value,
)
"""The problems, most severe first: how the terminal report and ``compact`` order them."""


def problem(result: ClaimResult) -> str | None:
    """What is wrong with a claim, as a word of :data:`PROBLEM_ORDER`: its status, ``disputed``
    for a verified claim another source contradicts; None for a verified, undisputed one."""
    if result.status is Status.VERIFIED:
        return DISPUTED if result.disputed else None
    return result.status.value


def problems(report: Report) -> list[ClaimResult]:
    """The claims that need work, most severe first (:data:`PROBLEM_ORDER`), in report order
    within each; not the findings an ignore entry dismisses."""
    found = [
        result
        for result in report.results
        if problem(result) is not None and result.ignored is None
    ]
    return sorted(found, key=lambda result: PROBLEM_ORDER.index(problem(result) or ""))


def summary_text(report: Report) -> str:
    """The counts in one line, without markup: ``26 claims: 15 verified, 4 drifted, 2 broken,
    1 unchecked, 4 unsourced; 2 disputed``."""
    summary = report.summary
    counts = ", ".join(f"{summary[s.value]} {s.value}" for s in report.shown_statuses())
    disputed = f"; {len(report.disputed)} disputed" if report.disputed else ""
    ignored = "".join(f"; {note}" for note in ignore_notes(report))
    return f"{summary['total']} claims: {counts}{disputed}{ignored}"


# The columns: a status word (``unsourced`` is the longest), the claim, why; two spaces apart.
_STATUS_WIDTH: Final = 9
GAP: Final = 2
# Under this the columns are laid out as if it were this wide (lines may then run longer).
NARROWEST: Final = 40
# A URL in a message or a dispute: replaced by a reference, listed whole below the row.
TRAILING_SPACES: Final = re.compile(r" +\n")  # what a grid pads its cells with
_URL: Final = re.compile(r"https?://[^\s'\"<>]+[^\s'\"<>.,;:!?)\]]")


def render_text(
    report: Report,
    *,
    color: bool | None = None,
    width: int | None = None,
    verbose: bool = False,
    show_all: bool = False,
) -> str:
    """The report for a terminal, problems first: one row per claim that needs work (its
    status, ``disputed`` under it for a verified claim another source contradicts; the claim and
    where it is; why; then the source it was judged by, and any URL the row mentions, each on a
    line of its own, whole), most severe first (:data:`PROBLEM_ORDER`); then the verified claims
    in one line, or a row each with ``show_all`` or ``verbose``; with ``verbose``, every claim's
    sources in detail (the capture used, the passage found with the word differences marked,
    the value found); last, the counts (:func:`summary_text`). Everything that comes from the
    claims or the sources goes through :func:`~._display.terminal_safe`.

    ``color``: True or False forces colours on or off; None (the default) colours when standard
    output is a terminal and ``NO_COLOR`` is not set. ``width``: the terminal's width unless
    given (:func:`~._display.terminal_width`)."""
    console, buffer = terminal_console(color=color, width=width)
    console.print(f"snapshot store: {terminal_safe(store_named(report))}", soft_wrap=True)
    listed = problems(report)
    listed += [result for result in report.results if result.ignored is not None]
    verified = [
        result for result in report.results if problem(result) is None and result.ignored is None
    ]
    if show_all or verbose:
        listed += verified
    if listed:
        columns = _columns(listed, max(console.width, NARROWEST))
        console.print(grid(columns, ("[bold]status[/]", "[bold]claim[/]", "[bold]why[/]")))
        for result in listed:
            _print_row(console, result, columns)
    else:
        console.print("no problems")
    if verified and not (show_all or verbose):
        console.print(terminal_safe(_verified_line(verified, report, console.width)))
    _print_unused(console, report)
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
        + "".join(f"; {note}" for note in ignore_notes(report))
    )
    return TRAILING_SPACES.sub("\n", buffer.getvalue())


def _label(result: ClaimResult) -> str:
    where = f" ({result.claim.location})" if result.claim.location else ""
    return f"{result.claim.id or '(no id)'}{where}"


def _columns(listed: Sequence[ClaimResult], width: int) -> tuple[int, int, int]:
    """The widths of the status, claim and why columns: the claim column as wide as its
    longest label, up to a third of what the status column leaves; why gets the rest."""
    rest = width - _STATUS_WIDTH - 2 * GAP
    claim = min(max(len(_label(result)) for result in listed), max(12, rest // 3))
    return _STATUS_WIDTH, claim, rest - claim


def grid(columns: Sequence[int], cells: Sequence[str]) -> Any:
    """One row of a table without borders: ``cells`` (markup) in columns of the given widths,
    two spaces apart, the first never wrapped, the others wrapped at spaces (a word longer than
    its column is folded: keep URLs out of them, on lines of their own)."""
    from rich.table import Table

    table = Table.grid(padding=(0, GAP, 0, 0))  # no padding after the last column
    for index, column in enumerate(columns):
        table.add_column(width=column, overflow="fold", no_wrap=index == 0)
    table.add_row(*cells)
    return table


def _print_row(console: Any, result: ClaimResult, columns: tuple[int, int, int]) -> None:
    """A claim's row, then its URLs (the deciding source's, and those its why mentions, by
    reference ``[n]``), each whole on its own line under the claim column."""
    status = f"[{_STATUS_STYLE[result.status]}]{result.status.value}[/]"
    deciding = next((v for v in result.verdicts if v.status is result.status), None)
    urls: list[str] = []
    if deciding is not None and (
        "://" in deciding.source.url or deciding.source.url not in result.message
    ):
        urls.append(deciding.source.url)
    known = sorted({v.source.url for v in result.verdicts}, key=len, reverse=True)
    texts = [f"{result.reason.value}: {result.message}"]
    if result.dispute is not None:
        status += f"\n[{_DISPUTED_STYLE}]{DISPUTED}[/]"
        texts.append(result.dispute)
    cited: set[str] = set()
    shown = [_referenced(text, known, urls, cited) for text in texts]
    why = shown[0] + "".join(f"\n[{_DISPUTED_STYLE}]{DISPUTED}[/]: {text}" for text in shown[1:])
    if result.ignored is not None:
        status += f"\n[{_IGNORED_STYLE}]ignored[/]"
        why += f"\n[{_IGNORED_STYLE}]ignored[/]: {terminal_safe(_ignored(result))}"
    console.print(grid(columns, (status, terminal_safe(_label(result)), why)))
    numbered = bool(cited) or len(urls) > 1
    indent = " " * (columns[0] + GAP)
    for number, url in enumerate(urls, start=1):
        reference = f"[{number}] " if numbered else ""
        console.print(f"{indent}{terminal_safe(reference + url)}", soft_wrap=True)


def _referenced(text: str, known: Sequence[str], urls: list[str], cited: set[str]) -> str:
    """``text`` as markup, each URL in it (a source's, exactly; any other by its form) replaced
    by a reference ``[n]`` to its place in ``urls`` (added there when new, and to ``cited``)."""
    pattern = "|".join([*(re.escape(url) for url in known if "://" in url), _URL.pattern])
    parts = re.split(f"({pattern})", text)
    shown = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            shown.append(terminal_safe(part))
            continue
        if part not in urls:
            urls.append(part)
        cited.add(part)
        shown.append(terminal_safe(f"[{urls.index(part) + 1}]"))
    return "".join(shown)


def _verified_line(verified: Sequence[ClaimResult], report: Report, width: int) -> str:
    """The verified claims that are not disputed, in one line: their ids, as many as fit in
    ``width``, and how many more (``--all`` lists them)."""
    head = f"{len(verified)} verified{' (not disputed)' if report.disputed else ''}: "
    names = [result.claim.id or "(no id)" for result in verified]
    for count in range(len(names), 0, -1):
        more = len(names) - count
        tail = f", … {more} more (--all lists them)" if more else ""
        line = head + ", ".join(names[:count]) + tail
        if len(line) <= width:
            return line
    return f"{len(verified)} verified (--all lists them)"


def _ignored(result: ClaimResult) -> str:
    """Why a finding is ignored, and where the entry that says so is."""
    assert result.ignored is not None
    return f"{result.ignored.reason} ({result.ignored.place})"


def _print_unused(console: Any, report: Report) -> None:
    """A warning per ignore entry that matches no finding: a stale dismissal."""
    for entry in report.unused_ignores:
        console.print(
            f"[yellow]warning[/]: {terminal_safe(entry.place)}: {terminal_safe(entry.unused)}",
            soft_wrap=True,
        )


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
    if result.ignored is not None:
        print_(f"  [{_IGNORED_STYLE}]ignored[/]: {terminal_safe(_ignored(result))}")
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

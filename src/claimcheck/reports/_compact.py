"""A check's :class:`~claimcheck.Report` in one line per finding, as linters write theirs
(ruff, flake8, mypy): ``file:line:col: status reason: message [claim]``, so that an editor's
quickfix list (vim ``%f:%l:%c: %m``, Emacs compilation mode) or a terminal can jump to the claim.

- ``file`` is the statement, ``line`` and ``col`` where the claim's text starts in it (1-based,
  columns in characters, as in the JSON and SARIF reports); a claim whose statement has no text
  file points at line 1, column 1 of its claims file. A file inside ``base`` (the working folder
  by default) is named relative to it, any other by its absolute path, as ruff does;
- ``status`` is what is wrong (drifted, broken, disputed, unchecked, unsourced); for a disputed
  claim, ``reason`` is what the source that disputes it found and ``message`` says which source
  says what; ``[claim]`` is the claim's id;
- the findings follow each statement's order; verified claims that are not disputed are not
  listed; the last line counts them: ``Found 13 problems in 26 claims: 15 verified, …``.

What comes from claims files and sources is shown, never obeyed
(:func:`~._display.display_safe`), and each finding stays on one line.
"""

from __future__ import annotations

from pathlib import Path

from ..model import ClaimResult, Report, disputing
from ._display import display_safe, normal_path, relative_to
from ._text import DISPUTED, problem, summary_text

__all__ = ["render_compact"]


def render_compact(report: Report, *, base: Path | None = None) -> str:
    """The report's findings, one line each (see the module's description), then the count.
    ``base``: the folder paths are shown relative to (default: the working folder)."""
    base = base if base is not None else Path.cwd()
    sets: dict[int, int] = {}
    found: list[tuple[tuple[int, int, int, int], str]] = []
    for index, result in enumerate(report.results):
        what = problem(result)
        if what is None:
            continue
        order = sets.setdefault(id(result.claim_set), len(sets))
        path, line, column = _place(result, base)
        found.append(((order, line, column, index), f"{path}:{line}:{column}: {_said(result)}"))
    lines = [text for _, text in sorted(found)]
    count = len(lines)
    if count:
        lines.append(f"Found {count} problem{'s' if count != 1 else ''} in {summary_text(report)}")
    else:
        lines.append(f"No problems in {summary_text(report)}")
    return "\n".join(lines) + "\n"


def _place(result: ClaimResult, base: Path) -> tuple[str, int, int]:
    """The file, line and column a finding points at."""
    statement = result.claim_set.statement.path
    location = result.claim.location
    if statement is not None and location is not None:
        path, line, column = statement, location.line, location.column
    else:
        path, line, column = result.claim_set.path or statement or Path("claims"), 1, 1
    relative = relative_to(path, base)
    shown = relative if relative is not None else normal_path(path)
    return _one_line(str(shown)), line, column


def _said(result: ClaimResult) -> str:
    """``status reason: message [claim]``."""
    what, reason, message = result.status.value, result.reason.value, result.message
    if result.dispute is not None:
        dissent = disputing(result.verdicts)
        what, message = DISPUTED, result.dispute
        reason = dissent[0].reason.value if dissent else reason
    return _one_line(f"{what} {reason}: {message} [{result.claim.id or 'no id'}]")


def _one_line(text: str) -> str:
    return " ".join(display_safe(text).split())

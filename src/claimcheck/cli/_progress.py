"""The progress display on standard error while sources are fetched and claims checked."""

from __future__ import annotations

import argparse
import sys
import types
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._terminal import display_safe, terminal_stderr

if TYPE_CHECKING:
    from ..checking import Progress

__all__ = ["ProgressDisplay", "add_quiet_option", "progress_display"]

_STAGE_LABELS = {"fetch": "fetching", "archive": "archives", "check": "checking"}


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # "https://[oops/": the check reports it as an invalid URL
        return ""


class ProgressDisplay:
    """Progress on stderr while a check runs: for each stage (fetching, asking the archives,
    checking) the count done, the host being worked on, elapsed and remaining time.

    Shown only when ``enabled`` (the command line enables it when stderr is a terminal and
    ``--quiet`` is not given); transient, so that it leaves nothing behind in the terminal.
    Called from fetch worker threads: rich's progress display is thread-safe.

    It draws on the terminal itself (:func:`~._terminal.terminal_stderr`), so the host it shows
    is neutralised here; and it leaves standard output and standard error as they are (rich
    would redirect them through its console, around the neutraliser).
    """

    def __init__(self, *, enabled: bool, console: Any = None) -> None:
        self.enabled = enabled
        self._console = console
        self._display: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressDisplay:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._display = RichProgress(
                TextColumn("{task.description:<9}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[host]}"),
                console=self._console or Console(file=terminal_stderr()),
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._display.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: types.TracebackType | None,
    ) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def __call__(self, step: Progress) -> None:
        if self._display is None:
            return
        host = display_safe(_host(step.url)) if step.url else ""
        task = self._tasks.get(step.stage)
        if task is None:
            label = _STAGE_LABELS.get(step.stage, step.stage)
            task = self._tasks[step.stage] = self._display.add_task(
                label, total=step.total, host=host
            )
        self._display.update(task, completed=step.done, total=step.total, host=host)


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress display, and no summary line when every report goes to a
    file."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress display on stderr, no summary line when every report goes to a file",
    )


def progress_display(args: argparse.Namespace) -> ProgressDisplay:
    """The progress display a command shows: on a terminal's stderr, unless ``--quiet``."""
    return ProgressDisplay(enabled=not args.quiet and sys.stderr.isatty())

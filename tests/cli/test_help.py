"""``--help`` of every command and action: a description, examples, the exit statuses, the values
of ``--fail-on`` and ``--format``, and metavars that name what an option wants.

Internals tested directly (private modules): the parser (``claimcheck.cli._app.parser``), walked
to reach every command, and argparse's actions of each."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from claimcheck import Status
from claimcheck.auditing import AuditHistory, AuditResult
from claimcheck.cli._app import parser
from claimcheck.model import Flag, Report
from claimcheck.reports import formats
from support import run_cli

# What a metavar may say: the kind of value, never a dest name argparse upper-cased.
METAVARS = {
    "ADDRESS",
    "AGE",
    "DATE",
    "DAYS",
    "DIR",
    "FILE",
    "FORMAT",
    "[FORMAT:]PATH",
    "ID",
    "LANGUAGE",
    "MEDIA_TYPE",
    "N",
    "NAME",
    "PATH",
    "PATH_OR_URL",
    "SECONDS",
    "STATEMENT",
    "STATUSES",
    "SYNTAX",
    "TARGET",
    "TEXT",
    "URL",
    "URL_OR_DIGEST",
    "[STATEMENT=]URL",
}

# The report subject each command with --format renders.
SUBJECTS = {
    ("check",): Report,
    ("audit", "run"): AuditResult,
    ("audit", "report"): AuditHistory,
}


def commands() -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line, with the words that reach it."""
    pending: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = [((), parser())]
    while pending:
        words, command = pending.pop(0)
        yield words, command
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending += [((*words, name), sub) for name, sub in action.choices.items()]


COMMANDS = dict(commands())


def test_every_command_is_covered() -> None:
    names = {" ".join(words) for words in COMMANDS}
    assert {"", "check", "extract", "robustify", "audit", "audit run", "audit report"} <= names
    assert {"snapshot", "snapshot show", "snapshot list", "snapshot add"} <= names


@pytest.mark.parametrize("words", list(COMMANDS), ids=lambda words: " ".join(words) or "top")
def test_help_describes_shows_examples_and_exit_statuses(
    words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run_cli(*words, "--help")
    assert (code, err) == (0, "")
    command = COMMANDS[words]
    assert command.description, "a description line"
    assert " ".join(command.description.split()[:6]) in " ".join(out.split())
    assert "\nexamples:\n" in out
    examples = out.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    assert examples.count("  claimcheck ") >= 2, examples
    for line in examples.splitlines():
        if line.startswith("  claimcheck "):
            assert line.split()[1 : 1 + len(words)] == list(words), line
    assert "\nexit status:\n" in out
    statuses = out.split("\nexit status:\n", 1)[1]
    assert "  0 " in statuses
    assert "  2 " in statuses
    assert "usage" in statuses
    assert max(len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize("words", list(COMMANDS), ids=lambda words: " ".join(words) or "top")
def test_every_value_has_a_metavar_that_names_what_it_wants(words: tuple[str, ...]) -> None:
    for action in COMMANDS[words]._actions:
        if action.nargs == 0 or isinstance(action, argparse._SubParsersAction):
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.metavar in METAVARS, (name, action.metavar)
        assert action.help, name


@pytest.mark.parametrize("words", [words for words in COMMANDS if words[-1:] != ("audit",)])
def test_format_help_lists_every_registered_format(
    words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    command = COMMANDS[words]
    option = next((a for a in command._actions if "--format" in a.option_strings), None)
    if option is None:
        assert words not in SUBJECTS
        return
    assert option.choices is not None
    assert list(option.choices) == list(formats(SUBJECTS[words]))
    monkeypatch.setenv("COLUMNS", "100")
    _, out, _ = run_cli(*words, "--help")
    described = " ".join(out.split("\n  --format FORMAT", 1)[1].split("\n  -", 1)[0].split())
    for name in formats(SUBJECTS[words]):
        assert re.search(rf"(?:: |, ){name}(?: \(|,|$)", described), (name, described)


def test_fail_on_help_lists_every_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    _, out, _ = run_cli("check", "--help")
    described = " ".join(out.split("\n  --fail-on STATUSES", 1)[1].split("\n  -", 1)[0].split())
    for value in [*(status.value for status in Status), Flag.DISPUTED.value]:
        assert value in described, value
    assert "default: drifted,broken" in described


def test_the_exit_status_for_usage_errors_is_said_in_one_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    said = set()
    for words in COMMANDS:
        _, out, _ = run_cli(*words, "--help")
        statuses = out.split("\nexit status:\n", 1)[1]
        said.add(next(line for line in statuses.splitlines() if line.startswith("  2 ")))
    assert len(said) == 1, said

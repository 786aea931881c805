"""The ``--help`` of every command says exactly what it said before the command line learnt to
build only the parser a command line names (issue 17: a help costs no more than starting
Python): each text is pinned by its digest, at 80 columns, and equals the help of the whole
parser built at once (:func:`claimcheck.cli._app.parser`), whichever way it is asked for.

Internals tested directly (private modules): the whole parser, walked to reach every command."""

from __future__ import annotations

import argparse
import hashlib
import sys

import pytest

from claimcheck.cli._app import parser
from support import run_cli

# sha256 (first 16 hex digits) of `claimcheck WORDS --help` at COLUMNS=80, as the command line
# printed it when every parser was built for every command line (Python 3.11's argparse).
PINNED = {
    (): "7319e46c30315255",
    ("check",): "713c0427da719f04",
    ("extract",): "fb7ba2a83755fce4",
    ("robustify",): "24812c0d979954c2",
    ("audit",): "f9d6c59a06484767",
    ("audit", "run"): "9e0bb817bc5924c4",
    ("audit", "report"): "56cc0908cec42881",
    ("snapshot",): "87fc0bdc682499d8",
    ("snapshot", "fetch"): "4550fa7ab66152ef",
    ("snapshot", "save"): "b6ecf0f17a87e5f7",
    ("snapshot", "add"): "c3cf3c2e62c56978",
    ("snapshot", "list"): "652fb90e863b8647",
    ("snapshot", "show"): "5fbf87d834c9ccdd",
    ("snapshot", "verify"): "c7ecfdaf0e5d25da",
    ("snapshot", "rebuild-index"): "8b34c1b2de251019",
}


def _parsers() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every parser of the whole command line, by the words that reach it."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    pending: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = [((), parser())]
    while pending:
        words, current = pending.pop()
        found[words] = current
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending += [((*words, name), sub) for name, sub in action.choices.items()]
    return found


def test_every_command_is_pinned() -> None:
    assert sorted(_parsers()) == sorted(PINNED)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="argparse's layout is 3.11's here")
@pytest.mark.parametrize("words", sorted(PINNED), ids=lambda words: " ".join(words) or "top")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_the_text_pinned(
    words: tuple[str, ...], flag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(*words, flag)
    assert (code, err) == (0, "")
    assert hashlib.sha256(out.encode()).hexdigest()[:16] == PINNED[words], out


@pytest.mark.parametrize("columns", ["80", "132"])
def test_help_is_the_whole_parsers_help(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``claimcheck WORDS --help`` prints is what the whole parser's help for those words
    says (at any width)."""
    monkeypatch.setenv("COLUMNS", columns)
    for words, built in _parsers().items():
        code, out, err = run_cli(*words, "--help")
        assert (code, out, err) == (0, built.format_help(), "")


def test_the_defaults_the_help_says_are_the_librarys() -> None:
    """The defaults the command line keeps so that a help loads neither the store nor the HTTP
    transport are the library's."""
    from claimcheck.cli._options import DEFAULT_STORE, NETWORK_DEFAULTS
    from claimcheck.sources import ArchiveConfig, FetchConfig
    from claimcheck.store import DEFAULT_STORE as LIBRARY_STORE

    assert DEFAULT_STORE == LIBRARY_STORE
    fetching, archives = FetchConfig(), ArchiveConfig()
    assert {
        "per_host": fetching.per_host,
        "deadline": fetching.deadline,
        "archive_deadline": archives.deadline,
        "wayback": archives.wayback,
        "save_page_now": archives.save_page_now,
    } == NETWORK_DEFAULTS


def test_the_statuses_the_help_says_are_the_models() -> None:
    """``--fail-on``'s names and default, kept so that a help loads no model, are the library's;
    its default, given as text, is read as :data:`~claimcheck.reports.FAILING`."""
    from claimcheck.cli._options import FAILING_NAMES, STATUS_NAMES
    from claimcheck.model import Flag, Status
    from claimcheck.reports import FAILING

    assert tuple(m.value for m in (*Status, *Flag)) == STATUS_NAMES
    assert tuple(s.value for s in Status if s in FAILING) == FAILING_NAMES
    args = parser().parse_args(["check", "claims/"])
    assert args.fail_on == FAILING


def test_the_syntaxes_extract_offers_are_the_documents() -> None:
    from claimcheck.cli._extract import SYNTAXES
    from claimcheck.documents import SYNTAXES as READ

    assert tuple(READ) == SYNTAXES

"""A mistyped option, command or choice: one line on standard error that suggests the right one
(of the command in use), exit status 2 (argparse's ``suggest_on_error`` is Python 3.14 only)."""

from __future__ import annotations

import pytest

from support import run_cli


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ("check", "claims", "--ofline"),
            "claimcheck: unrecognized arguments: --ofline (did you mean --offline?)",
        ),
        (  # PATH is missing too: the mistyped option is said first
            ("check", "--ofline"),
            "claimcheck: unrecognized arguments: --ofline (did you mean --offline?)",
        ),
        (
            ("snapshot", "show", "--txt"),
            "claimcheck: unrecognized arguments: --txt (did you mean --text?)",
        ),
        (
            ("check", "claims", "--fromat=json"),
            "claimcheck: unrecognized arguments: --fromat=json (did you mean --format?)",
        ),
        (
            ("check", "claims", "--ofline", "--verbsoe"),
            "claimcheck: unrecognized arguments: --ofline (did you mean --offline?)"
            " --verbsoe (did you mean --verbose?)",
        ),
        (
            ("audit", "run", "claims", "--falures", "3"),
            "claimcheck: unrecognized arguments: --falures (did you mean --failures?) 3",
        ),
        (
            ("audit", "claims", "--falures", "3"),  # the shorthand of 'audit run'
            "claimcheck: unrecognized arguments: --falures (did you mean --failures?) 3",
        ),
        (
            # (--snapshot would be taken for --snapshots: argparse accepts a unique prefix; and
            # 'store' is taken for the URL 'snapshot list' may be given)
            ("snapshot", "list", "--snapshtos", "store"),
            "claimcheck: unrecognized arguments: --snapshtos (did you mean --snapshots?)",
        ),
    ],
)
def test_a_mistyped_option_suggests_the_right_one(argv: tuple[str, ...], said: str) -> None:
    assert run_cli(*argv) == (2, "", said + "\n")


def test_only_the_options_of_the_command_in_use_are_suggested() -> None:
    # 'extract' has no --offline: nothing close enough to suggest, so the help is named.
    assert run_cli("extract", "statement.md", "--ofline") == (
        2,
        "",
        "claimcheck: unrecognized arguments: --ofline (see 'claimcheck extract --help')\n",
    )
    code, _, err = run_cli("audit", "report", "--ofline")
    assert (code, err.count("\n")) == (2, 1)
    assert "--offline" not in err


def test_a_missing_argument_without_a_mistyped_option_is_said_as_ever() -> None:
    assert run_cli("check", "--zzzzzz") == (
        2,
        "",
        "claimcheck: the following arguments are required: PATH (see 'claimcheck check --help')\n",
    )
    code, _, err = run_cli("check", "--", "--ofline")  # a PATH named like an option
    assert (code, err) == (2, "claimcheck: --ofline: no such file or folder\n")


def test_nothing_close_names_the_help_of_the_command() -> None:
    assert run_cli("check", "claims", "--zzzzzz") == (
        2,
        "",
        "claimcheck: unrecognized arguments: --zzzzzz (see 'claimcheck check --help')\n",
    )


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("chek", "claims"), "argument COMMAND: invalid choice: 'chek' (did you mean 'check'?)"),
        (("snapshot", "lst"), "argument ACTION: invalid choice: 'lst' (did you mean 'list'?)"),
        (
            ("check", "claims", "--format", "jsn"),
            "argument --format: invalid choice: 'jsn' (did you mean 'json'?)",
        ),
        (
            ("audit", "report", "--format", "htm"),
            "argument --format: invalid choice: 'htm' (did you mean 'html'?)",
        ),
    ],
)
def test_a_mistyped_command_or_choice_suggests_the_right_one(
    argv: tuple[str, ...], said: str
) -> None:
    assert run_cli(*argv) == (2, "", f"claimcheck: {said}\n")


def test_a_choice_with_nothing_close_lists_the_choices() -> None:
    code, out, err = run_cli("check", "claims", "--format", "zzz")
    assert (code, out) == (2, "")
    assert err.startswith("claimcheck: argument --format: invalid choice: 'zzz' (choose from ")
    assert "'claimreview'" in err
    assert err.endswith(" (see 'claimcheck check --help')\n")
    assert err.count("\n") == 1


def test_a_mistyped_audit_action_is_suggested() -> None:
    # 'audit WORD' is short for 'audit run WORD' (a claims folder): one named like an action
    # and absent is a mistyped action.
    assert run_cli("audit", "reprot") == (
        2,
        "",
        "claimcheck: reprot: no such file or folder (did you mean 'claimcheck audit report'?)\n",
    )


def test_an_option_is_written_whole() -> None:
    """A prefix is a typo, never the option it starts: '--allow' would otherwise turn on
    --allow-private-addresses."""
    code, out, err = run_cli("check", "claims", "--allow")
    assert (code, out) == (2, "")
    assert "--allow" in err
    assert "did you mean" in err

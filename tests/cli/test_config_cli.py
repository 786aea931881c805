"""The configuration file on the command line: found walking up from the claims files (or named
by ``--config``, or ignored with ``--no-config``), each key the default of the option of its
name (the command line over the file over the built-in default), its values judged by the
option's own rule, a problem said in one line with file, line and key (exit status 2); and the
store that follows the claims file, named in every report."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from support import ROOT, WORKED_EXAMPLE, run_cli

PLACEHOLDER = '[[claim]]\nid = "a"\nkind = "quote"\ntext = "so"\n\n[[claim.source]]\nurl = "#"\n'
EXAMPLE_SUMMARY = (
    "26 claims: 15 verified, 4 drifted, 2 broken, 1 unchecked, 4 unsourced; 2 disputed"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def project(tmp_path: Path, config: str | None = None) -> Path:
    """A project folder with a claims file citing a placeholder (checked in a moment, offline or
    not) in ``claims/``, and ``claimcheck.toml`` when given; returns the claims file."""
    if config is not None:
        write(tmp_path / "claimcheck.toml", config)
    return write(tmp_path / "claims" / "claims.toml", PLACEHOLDER)


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ---------------------------------------------------------------------------------------------
# The store follows the claims file


def copy_example(tmp_path: Path) -> Path:
    """The worked example and its store, copied into ``tmp_path/copy``; returns the claims
    folder."""
    shutil.copytree(WORKED_EXAMPLE.parent, tmp_path / "copy" / "claims")
    shutil.copytree(
        ROOT / "snapshots", tmp_path / "copy" / "snapshots", ignore=shutil.ignore_patterns(".cache")
    )
    return tmp_path / "copy" / "claims"


def test_check_from_another_folder_finds_the_store_beside_the_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run_cli("check", claims, "--offline")
    assert code == 1, err
    assert out.rstrip().splitlines()[-1] == EXAMPLE_SUMMARY
    store = str((claims.parent / "snapshots").absolute())
    assert f"snapshot store: {store}" in out  # the header names it
    code, out, _ = run_cli("check", claims, "--offline", "--format", "json")
    assert json.loads(out)["store"] == store


def test_the_shipped_example_checks_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This repository's pyproject.toml names its store ([tool.claimcheck] snapshots)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("check", ROOT / "claims", "--offline", "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    assert report["store"] == str(ROOT / "snapshots")
    assert report["summary"]["unchecked"] == 1


def test_a_folder_with_no_store_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    claims = copy_example(tmp_path)
    shutil.rmtree(claims.parent / "snapshots")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("check", claims, "--offline")
    assert "claimcheck: warning: no snapshot store found" in err
    assert "snapshot store: none" in out
    assert code == 1, err  # the placeholder links are broken, store or not
    assert "18 unchecked" in out


@pytest.mark.parametrize("form", ["markdown", "html", "junit", "sarif"])
def test_every_report_names_the_store(tmp_path: Path, form: str) -> None:
    claims = copy_example(tmp_path)
    code, out, err = run_cli("check", claims, "--offline", "--format", form)
    assert code == 1, err
    store = str((claims.parent / "snapshots").absolute())
    if form == "sarif":
        assert json.loads(out)["runs"][0]["properties"]["store"] == store
    else:
        assert store in out


def test_the_config_names_the_store_relative_to_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = copy_example(tmp_path)
    (claims.parent / "snapshots").rename(claims.parent / "captures")
    write(claims.parent / "claimcheck.toml", 'snapshots = "captures"\n')
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("check", claims, "--offline", "--format", "json")
    assert code == 1
    assert json.loads(out)["store"] == str((claims.parent / "captures").absolute())
    # --snapshots on the command line is relative to the working folder, and wins
    code, out, _ = run_cli(
        "check", claims, "--offline", "--format", "json", "--snapshots", "copy/captures"
    )
    assert json.loads(out)["summary"]["unchecked"] == 1


def test_snapshot_commands_use_the_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = project(tmp_path, 'snapshots = "captures"\n')
    page = write(tmp_path / "page.html", "<p>so it is</p>")
    monkeypatch.chdir(claims.parent)  # a subfolder: the store is still the project's
    code, _, err = run_cli("snapshot", "add", "https://example.org/", page)
    assert code == 0, err
    assert (tmp_path / "captures" / "warc").is_dir()
    code, out, err = run_cli("snapshot", "list")
    assert code == 0, err
    assert "https://example.org/" in out


# ---------------------------------------------------------------------------------------------
# Discovery, --config, --no-config, precedence


def test_found_from_a_subfolder_and_the_command_line_wins(tmp_path: Path) -> None:
    claims = project(tmp_path, '[check]\nformat = "json"\n')
    code, out, err = run_cli("check", claims, "--offline")
    assert code == 1, err
    assert json.loads(out)["summary"]["broken"] == 1
    code, out, _ = run_cli("check", claims, "--offline", "--format", "markdown")
    assert out.startswith("## claimcheck")


def test_claimcheck_toml_wins_over_pyproject(tmp_path: Path) -> None:
    claims = project(tmp_path, '[check]\nformat = "json"\n')
    write(tmp_path / "pyproject.toml", '[tool.claimcheck.check]\nformat = "markdown"\n')
    _, out, _ = run_cli("check", claims, "--offline")
    assert json.loads(out)["summary"]["total"] == 1
    (tmp_path / "claimcheck.toml").unlink()
    _, out, _ = run_cli("check", claims, "--offline")
    assert out.startswith("## claimcheck")


def test_config_names_one_and_no_config_ignores_them(tmp_path: Path) -> None:
    claims = project(tmp_path, '[check]\nformat = "json"\n')
    other = write(tmp_path / "elsewhere" / "ci.toml", '[check]\nformat = "markdown"\n')
    _, out, _ = run_cli("check", claims, "--offline", "--config", other)
    assert out.startswith("## claimcheck")
    _, out, _ = run_cli("check", claims, "--offline", "--no-config")
    assert "1 claims:" in out  # the built-in default: text


def test_an_archives_only_config_file_still_works(tmp_path: Path) -> None:
    claims = project(tmp_path)
    config = write(tmp_path / "unthrottled.toml", "[archives]\nrequests_per_minute = 6000\n")
    code, _, err = run_cli(
        "check", claims, "--snapshots", tmp_path / "store", "--no-archive", "--config", config
    )
    assert code == 1, err


# ---------------------------------------------------------------------------------------------
# Each key reaches its command


def test_check_keys(tmp_path: Path) -> None:
    claims = project(
        tmp_path,
        '[check]\nfail_on = ["unchecked"]\nformat = "json"\noutput = "out.json"\n'
        "coverage = false\n",
    )
    code, _, err = run_cli("check", claims, "--offline")
    assert code == 0, err  # broken does not fail: fail_on names unchecked only
    # relative to the configuration's folder, not to the working one
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert report["summary"]["broken"] == 1
    code, _, _ = run_cli("check", claims, "--offline", "--fail-on", "broken", "-o", tmp_path / "x")
    assert code == 1


def test_network_keys_reach_check(tmp_path: Path) -> None:
    claims = project(tmp_path, "per_host = 0\n")
    line = one_line_error(*run_cli("check", claims, "--snapshots", tmp_path / "s")[::2])
    assert f"{tmp_path / 'claimcheck.toml'}:1: per_host: " in line
    assert "1 or more" in line  # FetchConfig's own rule, as for --per-host


def test_audit_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    claims = project(
        tmp_path,
        'snapshots = "captures"\n[audit]\ndb = "audit.sqlite"\nformat = "json"\n'
        'failures = 5\n[audit.report]\nformat = "json"\n',
    )
    monkeypatch.chdir(claims.parent)
    code, out, err = run_cli("audit", claims, "--no-archive")
    assert code in (0, 1), err
    json.loads(out)
    db = tmp_path / "audit.sqlite"
    assert db.is_file()
    assert (tmp_path / "captures" / "warc").is_dir()
    with sqlite3.connect(db) as connection:
        (options,) = connection.execute("select options from runs").fetchone()
    assert json.loads(options)["policy"]["failures"] == 5
    code, out, err = run_cli("audit", "report")
    assert code == 0, err
    assert json.loads(out)["schema"] == "claimcheck.audit-report"


def test_audit_values_are_judged_by_the_options_rules(tmp_path: Path) -> None:
    claims = project(tmp_path, "[audit]\n\nspan = -3\n")
    line = one_line_error(*run_cli("audit", claims, "--no-archive")[::2])
    assert "claimcheck.toml:3: audit.span: " in line


def test_extract_key(tmp_path: Path) -> None:
    statement = write(
        tmp_path / "text" / "statement.md", "Die Regierung nannte dreihundert Fälle.\n"
    )
    write(tmp_path / "claimcheck.toml", '[extract]\nlanguage = "en"\n')
    code, out, err = run_cli("extract", statement)
    assert code == 0, err
    assert "dreihundert" not in out  # English number words only
    code, out, err = run_cli("extract", statement, "--language", "de")
    assert "dreihundert Fälle" in out
    write(tmp_path / "claimcheck.toml", '[extract]\nlanguage = "de"\n')
    code, out, err = run_cli("extract", statement)
    assert "dreihundert Fälle" in out


def test_robustify_keys(tmp_path: Path) -> None:
    statement = write(tmp_path / "statement.md", "The [minister](https://example.org/) said so.\n")
    code, _, err = run_cli("robustify", statement)
    assert code == 0, err
    write(tmp_path / "claimcheck.toml", "[robustify]\nstrict = true\n")
    code, _, err = run_cli("robustify", statement)
    assert code == 1, err  # the link has no archived copy
    write(tmp_path / "claimcheck.toml", '[robustify]\nlink_to = "archive"\n')
    line = one_line_error(*run_cli("robustify", statement)[::2])
    assert "claimcheck.toml:2: robustify.link_to: " in line
    assert "original" in line  # the choices


# ---------------------------------------------------------------------------------------------
# Problems: one line, file, line and key


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            "\n[check]\nfial_on = 'broken'\n",
            ":3: unknown key 'check.fial_on' (did you mean 'fail_on'?)",
        ),
        ("fail-on = 'broken'\n", ":1: unknown key 'fail-on' (it belongs in [check])"),
        ("[check]\nformat = 3\n", ":2: check.format: must be a string, not a number"),
        ("[check]\nformat = 'yaml'\n", ":2: check.format: must be one of text, "),
        ("[check]\nfail_on = 'brokn'\n", ":2: check.fail_on: unknown status 'brokn'"),
        ("deadline = -1\n", ":1: deadline: must be a positive number of seconds"),
        ("[archives]\nwayback = 'ftp://x'\n", ":2: archives.wayback: must be an http(s) URL"),
    ],
)
def test_problems_are_one_line_with_file_line_and_key(tmp_path: Path, body: str, said: str) -> None:
    claims = project(tmp_path, body)
    line = one_line_error(*run_cli("check", claims, "--offline")[::2])
    assert line.startswith(f"claimcheck: {tmp_path / 'claimcheck.toml'}:"), line
    assert said in line, line


def test_a_problem_stops_every_command(tmp_path: Path) -> None:
    claims = project(tmp_path, "colour = true\n")
    statement = write(tmp_path / "statement.md", "Text.\n")
    for argv in (
        ["check", claims, "--offline"],
        ["audit", claims],
        ["audit", "report"],
        ["extract", statement],
        ["robustify", statement],
        ["snapshot", "list"],
    ):
        code, _, err = run_cli(*argv, "--config", tmp_path / "claimcheck.toml")
        assert "unknown key 'colour'" in one_line_error(code, err), argv


def test_a_configured_store_that_is_not_there_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = project(tmp_path, '\nsnapshots = "captures"\n')
    claims.write_text(PLACEHOLDER.replace('"#"', '"https://example.org/"'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    line = one_line_error(*run_cli("check", claims, "--offline")[::2])
    assert f"claimcheck.toml:2: snapshots: {tmp_path / 'captures'} is not a snapshot store" in line
    code, out, err = run_cli("check", claims, "--offline", "--no-config")
    assert code == 0, err  # the built-in rule, not the file's: no store anywhere, a warning
    assert "warning: no snapshot store found" in err
    assert "snapshot store: none" in out


def test_several_outputs_in_the_file_and_a_shorthand_of_the_format(tmp_path: Path) -> None:
    """``output`` takes the forms of ``-o`` (a list of ``[FORMAT:]PATH``, relative to the
    file's folder); ``--compact`` on the command line overrides the file's ``format``, and the
    file's ``format`` is never read as the ``--compact`` flag."""
    claims = project(
        tmp_path, '[check]\noutput = ["json:out/r.json", "html:out/r.html", "compact:-"]\n'
    )
    (tmp_path / "out").mkdir()
    code, out, err = run_cli("check", claims, "--offline")
    assert code == 1, err
    assert json.loads((tmp_path / "out" / "r.json").read_text(encoding="utf-8"))
    assert (tmp_path / "out" / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "Found 1 problem" in out
    claims = project(tmp_path, '[check]\nformat = "markdown"\n')
    _, out, _ = run_cli("check", claims, "--offline", "--compact")
    assert "Found 1 problem" in out
    _, out, _ = run_cli("check", claims, "--offline")
    assert out.startswith("## claimcheck")


def test_ignore_entries_of_the_configuration(tmp_path: Path) -> None:
    """A configuration's ``[[ignore]]`` entries dismiss findings in every claims file it
    covers, with their reason; a malformed one is an error at its line and field."""
    folder = tmp_path / "project"
    write(folder / "statement.md", "The bill L 72 passed in 2021.\n")
    claims = write(
        folder / "claims.toml",
        '[statement]\nid = "s"\ntext = "statement.md"\n\n'
        '[[claim]]\nid = "year"\nkind = "date"\ntext = "2021"\nunsourced = "common knowledge"\n',
    )
    write(folder / "claimcheck.toml", '[[ignore]]\ntext = "72"\nreason = "a bill number"\n')
    code, out, err = run_cli("check", claims, "--offline", "--fail-on", "drifted")
    assert code == 0, err
    assert "ignored: a bill number" in out
    _, out, _ = run_cli("check", claims, "--offline", "--no-config")
    assert "ignored" not in out
    write(
        folder / "pyproject.toml", '[tool.claimcheck]\n\n[[tool.claimcheck.ignore]]\ntext = "72"\n'
    )
    (folder / "claimcheck.toml").unlink()
    code, _, err = run_cli("check", claims, "--offline")
    assert code == 2
    assert f"{folder / 'pyproject.toml'}:3: tool.claimcheck.ignore[1].reason: " in err


def test_extract_leaves_out_what_the_configuration_dismisses(tmp_path: Path) -> None:
    statement = write(tmp_path / "statement.md", "The bill L 72 passed with 150 votes.\n")
    write(tmp_path / "claimcheck.toml", '[[ignore]]\ntext = "72"\nreason = "a bill number"\n')
    code, _, err = run_cli("extract", statement, "-o", tmp_path / "claims.toml")
    assert code == 0, err
    proposed = (tmp_path / "claims.toml").read_text(encoding="utf-8")
    assert 'text = "150 votes"' in proposed
    assert '"72"' not in proposed

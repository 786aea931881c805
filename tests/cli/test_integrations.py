"""The pre-commit hook and the GitHub Action run the command lines they declare.

Internals tested directly (private modules): the command line's parser and ``audit`` shorthand
(``claimcheck.cli._app``, ``claimcheck.cli._audit``), to check the workflow's options against
them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimcheck.cli._app import parser
from claimcheck.cli._audit import audit_shorthand
from support import ROOT

WORKED_EXAMPLE = "claims/denmark-syria-2021.toml"


def _run(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    claimcheck = Path(sys.executable).with_name("claimcheck")
    argv = shlex.split(command)
    if argv[0] == "claimcheck":
        argv[0] = str(claimcheck)
    return subprocess.run(
        argv, cwd=ROOT, capture_output=True, text=True, check=False, env=env, timeout=120
    )


def test_pre_commit_hook_checks_the_changed_claims_files() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "claimcheck"
    assert hook["pass_filenames"] is True
    assert re.search(hook["files"], WORKED_EXAMPLE)
    # pre-commit appends the changed files to the entry
    result = _run(f"{hook['entry']} {WORKED_EXAMPLE}")
    assert result.returncode == 1, result.stderr  # the worked example has findings
    assert "26 claims" in result.stdout


def test_github_action_runs_claimcheck_with_annotations(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    install, check = action["runs"]["steps"]
    assert "pip install" in install["run"]
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs["args"] = "--offline"
    command = check["run"]
    for name, value in inputs.items():
        command = command.replace("${{ inputs." + name + " }}", value)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    result = _run(command, env)
    assert result.returncode == 1, result.stderr
    assert "::error file=" in result.stdout
    assert "| claim | status | why | source |" in summary.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# examples/audit-nightly.yml: the nightly audit as a GitHub Actions workflow

AUDIT_WORKFLOW = ROOT / "examples" / "audit-nightly.yml"


def _audit_workflow() -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(AUDIT_WORKFLOW.read_text(encoding="utf-8"))
    return workflow


def _audit_step(name: str) -> dict[str, Any]:
    steps = _audit_workflow()["jobs"]["audit"]["steps"]
    step: dict[str, Any] = next(s for s in steps if s.get("id") == name or s.get("name") == name)
    return step


def _claimcheck_commands(script: str) -> list[list[str]]:
    """The claimcheck command lines of a ``run:`` script (continued lines joined), as argv,
    without what follows ``||``."""
    lines = script.replace("\\\n", " ").splitlines()
    return [
        shlex.split(line.split("||")[0])
        for line in (line.strip() for line in lines)
        if line.startswith("claimcheck ")
    ]


def test_audit_workflow_runs_nightly_one_at_a_time() -> None:
    workflow = _audit_workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "workflow_dispatch" in triggers
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert 0 <= int(minute) < 60
    assert 0 <= int(hour) < 24
    assert (day, month, weekday) == ("*", "*", "*")  # every night, once
    assert workflow["concurrency"]["cancel-in-progress"] is False  # never two audits at once
    assert workflow["permissions"] == {"contents": "read", "issues": "write", "actions": "read"}


def test_audit_workflow_uses_real_claimcheck_options() -> None:
    steps = _audit_workflow()["jobs"]["audit"]["steps"]
    commands = [argv for step in steps for argv in _claimcheck_commands(step.get("run", ""))]
    (audit,) = commands
    args = parser().parse_args(audit_shorthand(audit[1:]))  # exits on an unknown option
    assert (args.command, args.audit_action) == ("audit", "run")
    assert args.paths == [Path("claims")]
    assert args.db == Path("claimcheck-audit.sqlite")
    assert (args.format, args.output) == ("markdown", [(None, Path("audit.md"))])
    help_text = _run("claimcheck audit run --help").stdout
    for option in (word for word in audit if word.startswith("-")):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text), option
    # What the audit reads and writes between runs is what the artifact keeps.
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    kept = upload["with"]["path"].split()
    assert {str(args.db), f"{args.db}-wal", f"{args.snapshots}/"} <= set(kept)
    assert "pip install claimcheck" in _audit_step("Install claimcheck")["run"]


def test_audit_workflow_scripts_are_valid_bash() -> None:
    for step in _audit_workflow()["jobs"]["audit"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]  # expressions go through env:
            result = subprocess.run(
                ["bash", "-n"], input=step["run"], capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, (step["name"], result.stderr)


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _step_env(folder: Path, step: dict[str, Any], **extra: str) -> dict[str, str]:
    """The environment a step's script sees: the workflow's and the step's ``env:`` (their
    expressions replaced by test values), GitHub's variables, and the stubs first on PATH."""
    values = {**_audit_workflow().get("env", {}), **step.get("env", {})}
    env = {
        **os.environ,
        "PATH": f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(folder / "output"),
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "GITHUB_REPOSITORY": "example/statements",
    }
    for name, value in values.items():
        env[name] = re.sub(r"\$\{\{[^}]*\}\}", "x", str(value))
    env.update(extra)
    return env


def _bash(folder: Path, step: dict[str, Any], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=folder,
        env=_step_env(folder, step, **extra),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("artifacts", "newest"),
    [
        ("", None),
        ("2026-03-02T03:20:00Z\t502\n2026-03-03T03:19:00Z\t503\n2026-03-01T03:21:00Z\t501", "503"),
    ],
)
def test_audit_workflow_restores_the_newest_history(
    tmp_path: Path, artifacts: str, newest: str | None
) -> None:
    (tmp_path / "bin").mkdir()
    log = tmp_path / "gh.log"
    _stub(
        tmp_path / "bin",
        "gh",
        f'echo "$*" >> {shlex.quote(str(log))}\n'
        f'if [ "$1" = api ]; then printf {shlex.quote(artifacts)}; fi',
    )
    step = next(
        s for s in _audit_workflow()["jobs"]["audit"]["steps"] if "Restore" in s.get("name", "")
    )
    result = _bash(tmp_path, step)
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("api --paginate repos/example/statements/actions/artifacts?name=")
    if newest is None:
        assert len(calls) == 1
        assert "no earlier audit history" in result.stdout
    else:
        assert calls[1] == (
            f"run download {newest} --repo example/statements --name claimcheck-audit --dir ."
        )


@pytest.mark.parametrize(("status", "writes_report"), [(0, True), (1, True), (2, False)])
def test_audit_workflow_records_the_exit_status_and_the_summary(
    tmp_path: Path, status: int, writes_report: bool
) -> None:
    """The audit step never fails by itself: it records claimcheck's exit status for the later
    steps and appends the report to the job summary."""
    (tmp_path / "bin").mkdir()
    write = 'while [ $# -gt 0 ]; do [ "$1" = -o ] && echo "## report" > "$2"; shift; done'
    _stub(tmp_path / "bin", "claimcheck", (write if writes_report else "") + f"\nexit {status}")
    step = _audit_step("audit")
    result = _bash(tmp_path, step)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output").read_text(encoding="utf-8") == f"status={status}\n"
    summary = tmp_path / "summary.md"
    assert (summary.read_text(encoding="utf-8") if summary.exists() else "") == (
        "## report\n" if writes_report else ""
    )
    # The issue and the failure follow the recorded status.
    assert "steps.audit.outputs.status == '1'" in _audit_step("issue")["if"]
    assert "steps.audit.outputs.status != '0'" in _audit_step("verdict")["if"]


@pytest.mark.parametrize("open_issue", ["", "7"])
def test_audit_workflow_opens_an_issue_or_comments_on_the_open_one(
    tmp_path: Path, open_issue: str
) -> None:
    (tmp_path / "bin").mkdir()
    log = tmp_path / "gh.log"
    _stub(
        tmp_path / "bin",
        "gh",
        f'echo "$*" >> {shlex.quote(str(log))}\n'
        f'if [ "$1 $2" = "issue list" ]; then echo "{open_issue}"; fi',
    )
    (tmp_path / "audit.md").write_text("## newly broken (1)\n", encoding="utf-8")
    result = _bash(tmp_path, _audit_step("issue"))
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("label create claimcheck-audit")
    assert calls[1].startswith("issue list --label claimcheck-audit --state open")
    if open_issue:
        assert calls[2] == "issue comment 7 --body-file issue.md"
    else:
        assert calls[2].startswith("issue create --title")
        assert "--label claimcheck-audit --body-file issue.md" in calls[2]
    body = (tmp_path / "issue.md").read_text(encoding="utf-8")
    assert body.endswith("## newly broken (1)\n")


@pytest.mark.parametrize(("status", "report", "message"), [
    ("1", True, "newly broken or drifted"),
    ("2", False, "did not complete (exit status 2)"),
])  # fmt: skip
def test_audit_workflow_fails_the_job_on_news_and_on_errors(
    tmp_path: Path, status: str, report: bool, message: str
) -> None:
    if report:
        (tmp_path / "audit.md").write_text("## report\n", encoding="utf-8")
    step = _audit_step("verdict")
    result = _bash(tmp_path, step, STATUS=status)
    assert result.returncode == 1
    assert message in result.stdout

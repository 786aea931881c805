"""The pre-commit hook and the GitHub Action run the command lines they declare."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
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

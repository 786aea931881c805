"""Every recipe installs this project (issue 16): "claimcheck" on the package index is an
unrelated project, so no README line, example, Action or error message may tell anyone to
``pip install claimcheck`` (or ``claimcheck[extra]``, ``claimcheck==X``). The distribution is
``claimcheck-citations``; the import name and the command stay ``claimcheck``."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RECIPES = [
    ROOT / "README.md",
    ROOT / "action.yml",
    *sorted((ROOT / "examples").iterdir()),
    *sorted((ROOT / "src" / "claimcheck").rglob("*.py")),
    ROOT / "benchmarks" / "README.md",
]
# "pip install" then its arguments, up to the end of the command (a quote, `, ;, && or a line end)
INSTALL = re.compile(r"pip3? install([^\n`;&|)]*)")
BARE = re.compile(r"""(?:^|\s)['"]?claimcheck(?:\[[^\]]*\])?(?:[=<>~!]=?[^\s'"]*)?['"]?(?=\s|$)""")


def installs_of(text: str) -> list[str]:
    return [match.group(1) for match in INSTALL.finditer(text)]


def test_the_distribution_is_not_the_taken_name() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "claimcheck-citations"
    assert project["scripts"] == {"claimcheck": "claimcheck.cli:main"}


def test_the_check_finds_a_bare_install() -> None:
    for wrong in (
        "pip install claimcheck",
        "pip install 'claimcheck[pandas]'",
        "pip install claimcheck==0.1",
    ):
        assert any(BARE.search(args) for args in installs_of(wrong)), wrong
    for right in (
        "pip install claimcheck-citations",
        "pip install 'claimcheck-citations[dask]'",
        "pip install -e '.[test]'",
    ):
        assert not any(BARE.search(args) for args in installs_of(right)), right


def test_no_recipe_installs_a_bare_claimcheck() -> None:
    found = []
    for path in RECIPES:
        if path.suffix not in (".md", ".yml", ".yaml", ".py", ".ipynb") or not path.is_file():
            continue
        for args in installs_of(path.read_text(encoding="utf-8")):
            if BARE.search(args):
                found.append(f"{path.relative_to(ROOT)}: pip install{args}")
    assert found == []


def test_the_action_installs_its_own_checkout_by_default(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    install = action["runs"]["steps"][0]
    assert action["inputs"]["requirement"]["default"] == ""
    script = install["run"].replace("python -m pip install", "echo")
    env = {"REQUIREMENT": "", "ACTION_PATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    said = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert said.stdout.strip() == str(ROOT)
    env["REQUIREMENT"] = "claimcheck-citations==0.2"
    said = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert said.stdout.strip() == "claimcheck-citations==0.2"
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"

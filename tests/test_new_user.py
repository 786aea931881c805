"""A new user's first statement, as the README's "Your own statement, step by step" walks it:
write a statement with a misquote, ``extract``, edit, ``snapshot add``, ``check`` from another
folder, dismiss a false finding with a reason, fix the misquote.

The commands are read from the README's section and run in order, in fresh processes (the way
a user runs them: ``python -m claimcheck`` with the working folder the section's ``cd`` lines
set); the files are the section's own blocks; each ``text`` block is compared with the output
of the command before it (the store's path, which is the machine's, aside). So the section
cannot drift from what the tool does."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from support import ROOT

SECTION = "## Your own statement, step by step"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    """The section's fenced blocks, in order: (info string, text)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(SECTION)
    end = readme.index("\n## ", start + len(SECTION))
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(readme[start:end])]


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    program, *arguments = shlex.split(line)
    assert program == "claimcheck", line
    environment = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    environment.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _shown(output: str) -> list[str]:
    """The output as the README shows it: the store's path is the machine's."""
    return [
        re.sub(
            r"^snapshot store: .*/letter/snapshots$", "snapshot store: /…/letter/snapshots", line
        )
        for line in output.splitlines()
    ]


def _commands(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_walkthrough_works_as_documented(tmp_path: Path) -> None:
    blocks = _blocks()
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["markdown", "html", "sh", "text", "toml", "sh", "text"], kinds
    (_, statement), (_, page), (_, first), (_, report), (_, ignore), (_, again), (_, fixed) = blocks
    letter = tmp_path / "letter"
    letter.mkdir()
    (letter / "statement.md").write_text(statement, encoding="utf-8")
    (letter / "speech.html").write_text(page, encoding="utf-8")

    cwd = tmp_path
    last: subprocess.CompletedProcess[str] | None = None
    for line in _commands(first):
        if line.startswith("cd "):
            cwd = (cwd / line.removeprefix("cd ")).resolve()
            continue
        if "check" in line.split():
            # The edit the section asks for before checking: the bill number is no claim.
            claims = (letter / "claims.toml").read_text(encoding="utf-8")
            assert 'id = "figure-72"' in claims
            blocks_of = re.split(r"(?=^\[\[claim\]\])", claims, flags=re.MULTILINE)
            kept = [part for part in blocks_of if 'id = "figure-72"' not in part]
            (letter / "claims.toml").write_text("".join(kept), encoding="utf-8")
        last = _run(line, cwd)
        if "check" not in line.split():
            assert last.returncode == 0, (line, last.stderr)
    assert last is not None
    assert cwd == tmp_path  # checked from another folder than the claims file's
    assert (letter / "snapshots").is_dir()  # the store beside the claims file
    assert last.returncode == 1, last.stderr
    assert last.stderr == ""
    assert _shown(last.stdout) == report.splitlines()

    with (letter / "claims.toml").open("a", encoding="utf-8") as claims_file:
        claims_file.write("\n" + ignore)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '`"we will never send anyone back to […] danger"`' in readme
    for name in ("statement.md", "claims.toml"):  # the statement, and the claim's text
        text = (letter / name).read_text(encoding="utf-8")
        marked = text.replace("back to danger", "back to […] danger")
        assert marked != text, name
        (letter / name).write_text(marked, encoding="utf-8")
    (command,) = _commands(again)
    result = _run(command, cwd)
    assert (result.returncode, result.stderr) == (0, "")
    assert _shown(result.stdout) == fixed.splitlines()

"""``claimcheck check`` and a dismissed finding: "72" of "bill L 72", proposed as a figure by
the coverage check, fails ``--fail-on unsourced`` until an ``[[ignore]]`` entry with a reason
dismisses it; the terminal then shows it as ignored, with the reason, and counts it apart. A
stale entry is a warning, never a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimcheck
from support import run_cli

STATEMENT = "Denmark passed bill L 72 in 2019.\n"
CLAIMS = (
    '[statement]\nid = "bill"\ntext = "statement.md"\n\n'
    '[[claim]]\nid = "year"\nkind = "date"\ntext = "2019"\n'
    'unsourced = "common knowledge"\n'
)
ENTRY = '\n[[ignore]]\ntext = "72"\nreason = "the number of bill L 72, not a figure"\n'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "claims.toml").write_text(CLAIMS, encoding="utf-8")
    claimcheck.SnapshotStore(tmp_path / "store", create=True)
    return tmp_path


def check(folder: Path, *more: str) -> tuple[int, str, str]:
    return run_cli(
        "check",
        folder / "claims.toml",
        "--offline",
        "--snapshots",
        folder / "store",
        "--fail-on",
        "unsourced",
        "--format",
        "text",
        *more,
    )


def test_the_finding_fails_until_dismissed(folder: Path) -> None:
    code, out, _ = check(folder)
    assert code == 1
    claims = folder / "claims.toml"
    # the year's claim is unsourced too: it stops failing only when also dismissed
    claims.write_text(
        CLAIMS + ENTRY + '\n[[ignore]]\nclaim = "year"\nreason = "common knowledge"\n',
        encoding="utf-8",
    )
    code, out, err = check(folder)
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    assert "ignored: the number of bill L 72, not a figure" in flat
    assert flat.endswith("2 claims: 0 verified, 0 drifted, 0 broken, 0 unchecked; 2 ignored")


def test_a_stale_entry_warns_and_does_not_fail(folder: Path) -> None:
    stale = '\n[[ignore]]\ntext = "73"\nreason = "was a typo"\n'
    (folder / "claims.toml").write_text(
        CLAIMS + ENTRY + stale + '\n[[ignore]]\nclaim = "year"\nreason = "known"\n',
        encoding="utf-8",
    )
    code, out, _ = check(folder)
    assert code == 0
    assert f"{folder / 'claims.toml'}:15: ignore entry matches no finding" in " ".join(out.split())


def test_an_entry_without_reason_is_a_claims_file_error(folder: Path) -> None:
    (folder / "claims.toml").write_text(CLAIMS + '\n[[ignore]]\ntext = "72"\n', encoding="utf-8")
    code, _out, err = check(folder)
    assert code == 2
    assert f"{folder / 'claims.toml'}:11: ignore[1].reason: missing (required)" in err
    assert "Traceback" not in err

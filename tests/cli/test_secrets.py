"""Save Page Now keys never reach the output: ``snapshot save`` and ``robustify --save`` work
with keys pasted with a trailing line break (a CI secret), refuse malformed keys in one line
that names the variable, and print no key, in full or in part, whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_archive import FakeArchive
from support import run_cli

SECRET = "s3cr3tVALUE"
ACCESS = "acc3ssKEY"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        fake.keys = (ACCESS, SECRET)
        yield fake


def _save(archive: FakeArchive, config: Path) -> tuple[int, str, str]:
    return run_cli(
        "snapshot",
        "save",
        "https://example.org/page",
        "--poll-interval",
        "0",
        "--save-page-now",
        archive.base_url + "/save",
        "--config",
        config,
    )


def _robustify(archive: FakeArchive, config: Path, folder: Path) -> tuple[int, str, str]:
    statement = folder / "letter.md"
    statement.write_text("The [minister](https://example.org/said) said so.\n", encoding="utf-8")
    return run_cli(
        "robustify",
        statement,
        "--online",
        "--save",
        "--wayback",
        archive.base_url,
        "--save-page-now",
        archive.base_url + "/save",
        "--config",
        config,
        "--snapshots",
        folder / "store",
    )


def assert_no_key(*texts: str) -> None:
    for text in texts:
        for secret in (SECRET, ACCESS, "LOW "):
            assert secret not in text, (secret, text)


def test_keys_pasted_with_a_line_break_work_and_stay_secret(
    archive: FakeArchive,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    unthrottled_archives: Path,
) -> None:
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", ACCESS + "\n")
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", SECRET + "\n")
    code, out, err = _save(archive, unthrottled_archives)
    assert code == 0, err
    assert out.startswith("saved https://example.org/page: ")
    assert_no_key(out, err)
    # Save Page Now's answer for a page it saved minutes ago (no job to poll: robustify polls
    # every 5 seconds).
    archive.spn_submit_reply = {"job_id": None, "message": "The same snapshot had been made"}
    archive.requests.clear()
    code, out, err = _robustify(archive, unthrottled_archives, tmp_path)
    assert code == 0, err
    assert_no_key(out, err)
    sent = [r.headers.get("Authorization") for r in archive.requests]
    assert f"LOW {ACCESS}:{SECRET}" in sent  # the keys without their line breaks
    written = [path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()]
    assert all(SECRET.encode() not in data for data in written)


@pytest.mark.parametrize(
    ("access", "secret", "variable"),
    [
        (ACCESS, f"{SECRET}\nX-Injected: {SECRET}", "CLAIMCHECK_IA_SECRET_KEY"),
        (ACCESS, f"{SECRET}\x1b[2J{SECRET}", "CLAIMCHECK_IA_SECRET_KEY"),
        (f"{ACCESS}\n{ACCESS}", SECRET, "CLAIMCHECK_IA_ACCESS_KEY"),
    ],
)
def test_malformed_keys_are_refused_in_one_line_that_quotes_neither(
    archive: FakeArchive,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    unthrottled_archives: Path,
    access: str,
    secret: str,
    variable: str,
) -> None:
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", access)
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", secret)
    for code, out, err in (
        _save(archive, unthrottled_archives),
        _robustify(archive, unthrottled_archives, tmp_path),
    ):
        assert code == 2, err
        assert err.startswith("claimcheck: ")
        assert len(err.splitlines()) == 1
        assert variable in err
        assert_no_key(out, err)
    assert not [r for r in archive.requests if r.headers.get("Authorization")]

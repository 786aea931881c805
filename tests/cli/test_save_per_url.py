"""``snapshot save A B C`` attempts every URL and says each outcome: Save Page Now fails single
URLs with HTTP 520/523 (their own servers failed it) while the others save, and sometimes
archives such a page anyway (internetarchive/wayback#297); the exit status, at the end, is 1
when any was not saved. Keys it refuses stop the run at once (exit 2): every URL would fail
alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_archive import FakeArchive
from support import run_cli

URLS = ("https://example.org/a", "https://example.org/b", "https://example.org/c")


@pytest.fixture
def archive(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", fake.keys[0])
        monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", fake.keys[1])
        yield fake


def _save(archive: FakeArchive, config: Path) -> tuple[int, str, str]:
    endpoint = archive.base_url + "/save"
    return run_cli(
        "snapshot", "save", *URLS, "--poll-interval", "0", "--save-page-now", endpoint,
        "--config", config,
    )  # fmt: skip


def test_every_url_is_attempted_and_each_outcome_said(
    archive: FakeArchive, unthrottled_archives: Path
) -> None:
    archive.spn_origin_errors = {URLS[1]: 523}
    code, out, err = _save(archive, unthrottled_archives)
    assert code == 1, err
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"saved {URLS[0]}: ")
    assert lines[1].startswith(f"not saved {URLS[1]}: http-523: Save Page Now answered HTTP 523")
    assert lines[2].startswith(f"saved {URLS[2]}: ")


def test_a_broken_answer_for_one_url_does_not_stop_the_others(
    archive: FakeArchive, unthrottled_archives: Path
) -> None:
    archive.spn_submit_reply = {"job_id": None}  # no job id and no message: not SPN's protocol
    code, out, _ = _save(archive, unthrottled_archives)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    for line, url in zip(lines, URLS, strict=True):
        assert line.startswith(f"not saved {url}: ")
        assert "no job id" in line


def test_refused_keys_stop_the_run(archive: FakeArchive, unthrottled_archives: Path) -> None:
    archive.keys = ("other", "keys")
    code, out, err = _save(archive, unthrottled_archives)
    assert code == 2
    assert out == ""
    assert "refused the access keys" in err
    assert len(archive.calls_to("/save")) == 1

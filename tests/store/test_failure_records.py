"""Failure records in the snapshot store (issue 14, item 8): what a fetch or an archive lookup
came to when it brought no copy, kept with the guarantees captures have. They round-trip
through the index, are no captures (``snapshots``, ``find``), are re-derived by
``rebuild_index`` and checked by ``verify``, are written atomically, are never replayed as the
page by a WARC tool, and a store from before them reads as it did.

Internals tested directly (private modules): the store module's ``os`` calls, patched to crash
mid-write (``claimcheck.store._snapshots``)."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from claimcheck import Reason, SnapshotStore
from claimcheck.errors import SnapshotStoreError
from claimcheck.store import FailureRecord
from servers import LocalServer, page
from support import WORKED_EXAMPLE_STORE, claim_toml, run_cli

URL = "https://example.org/report"
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "snapshots", create=True)


def test_a_failure_round_trips_and_is_no_capture(store: SnapshotStore) -> None:
    capture = store.add(URL, b"<p>words</p>", media_type="text/html", captured=T0)
    failure = store.add_failure(
        URL,
        Reason.DNS_FAILURE,
        "the host name example.org does not resolve",
        origin="live",
        recorded=T0 + dt.timedelta(days=1, microseconds=5),
    )
    assert failure == FailureRecord(
        url=URL,
        recorded=T0 + dt.timedelta(days=1),
        reason=Reason.DNS_FAILURE,
        message="the host name example.org does not resolve",
        origin="live",
        path=failure.path,
        digest=failure.digest,
        length=failure.length,
    )
    reopened = SnapshotStore(store.root)
    assert reopened.failures() == reopened.failures("http://www.example.org/report") == [failure]
    assert reopened.snapshots() == [capture]
    assert reopened.find(URL) == capture
    assert reopened.verify() == []


def test_the_index_line_of_a_failure_is_not_a_captures(store: SnapshotStore) -> None:
    """No ``captured`` or ``mime``: a claimcheck from before failure records refuses the line
    rather than read a failure as a capture of JSON text."""
    store.add_failure(URL, Reason.NO_ARCHIVE, "no web archive holds a copy", origin="archive")
    (line,) = (store.root / "index.cdxj").read_text("utf-8").splitlines()
    key, stamp, payload = line.split(" ", 2)
    fields = json.loads(payload)
    assert key == "org,example)/report"
    assert len(stamp) == 14
    assert fields["failure"] == "no-archive"
    assert fields["origin"] == "archive"
    assert "captured" not in fields
    assert "mime" not in fields


def test_a_failure_record_is_a_metadata_record_warc_tools_never_replay(
    store: SnapshotStore,
) -> None:
    failure = store.add_failure(URL, Reason.TLS_ERROR, "the TLS handshake failed", origin="live")
    with (store.root / failure.path).open("rb") as handle:
        records = list(ArchiveIterator(handle, check_digests="raise"))
    assert [record.rec_type for record in records] == ["warcinfo", "metadata"]
    with (store.root / failure.path).open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            if record.rec_type == "metadata":
                headers = record.rec_headers
                assert headers.get_header("WARC-Target-URI") == URL
                assert headers.get_header("Content-Type") == "application/json"
                assert headers.get_header("Claimcheck-Failure") == "tls-error"
                body = json.loads(record.content_stream().read())
    assert body == {"reason": "tls-error", "message": "the TLS handshake failed", "origin": "live"}


def test_rebuild_index_re_derives_failures(store: SnapshotStore) -> None:
    capture = store.add(URL, b"<p>words</p>", media_type="text/html", status=200, captured=T0)
    failure = store.add_failure(URL, Reason.HTTP_404, "the server answered 404", origin="live")
    archive = store.add_failure(
        URL, Reason.NO_ARCHIVE, "no web archive holds a copy", origin="archive"
    )
    (store.root / "index.cdxj").unlink()
    assert store.rebuild_index() == 3
    reopened = SnapshotStore(store.root)
    assert [s.path for s in reopened.snapshots()] == [capture.path]
    assert sorted(reopened.failures(), key=lambda f: f.origin) == [archive, failure]
    assert reopened.verify() == []


def test_verify_finds_a_damaged_or_edited_failure(store: SnapshotStore) -> None:
    damaged = store.add_failure(URL, Reason.TIMEOUT, "no answer", origin="live")
    edited = store.add_failure(
        "https://example.org/other", Reason.CONNECTION_REFUSED, "refused", origin="live"
    )
    path = store.root / damaged.path
    path.write_bytes(path.read_bytes()[:-10])
    index = store.root / "index.cdxj"
    index.write_text(
        index.read_text("utf-8").replace('"connection-refused"', '"http-404"'), "utf-8"
    )
    problems = SnapshotStore(store.root).verify()
    assert len(problems) == 2
    assert any(damaged.path in problem and "digest" in problem for problem in problems)
    assert any(edited.path in problem and "differs" in problem for problem in problems)


def test_a_failure_body_that_is_not_one_is_left_out_by_rebuild(store: SnapshotStore) -> None:
    failure = store.add_failure(URL, Reason.TIMEOUT, "no answer", origin="live")
    forged = gzip.decompress((store.root / failure.path).read_bytes()).replace(
        b'"origin": "live"', b'"origin": "xxxx"'
    )
    (store.root / failure.path).unlink()
    data = gzip.compress(forged)
    (store.root / "warc" / f"{hashlib.sha256(data).hexdigest()}.warc.gz").write_bytes(data)
    skipped: list[str] = []
    assert store.rebuild_index(skipped=skipped) == 0
    assert len(skipped) == 1


@pytest.mark.parametrize(
    ("url", "origin"),
    [("ftp://example.org/x", "live"), ("not a url", "live"), (URL, "elsewhere")],
)
def test_a_failure_that_cannot_be_recorded_is_refused(
    store: SnapshotStore, url: str, origin: str
) -> None:
    with pytest.raises(SnapshotStoreError):
        store.add_failure(url, Reason.TIMEOUT, "no answer", origin=origin)
    assert store.failures() == []


def test_a_crash_while_writing_a_failure_leaves_the_store_as_it_was(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = store.add_failure(URL, Reason.TIMEOUT, "no answer", origin="live")
    index_before = (store.root / "index.cdxj").read_bytes()
    files_before = sorted((store.root / "warc").iterdir())
    calls: list[str] = []

    def crash(source: str, target: str) -> None:
        calls.append(Path(target).name)
        raise OSError("simulated crash")

    monkeypatch.setattr("claimcheck.store._snapshots.os.replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        store.add_failure("https://example.org/lost", Reason.TIMEOUT, "no answer", origin="live")

    monkeypatch.undo()
    real_write = os.write

    def crash_mid_line(descriptor: int, data: bytes) -> int:
        if data.startswith(b"org,example)/orphan "):  # the index line, cut short
            real_write(descriptor, data[:30])
            raise OSError("simulated crash")
        return real_write(descriptor, data)

    monkeypatch.setattr("claimcheck.store._snapshots.os.write", crash_mid_line)
    with pytest.raises(OSError, match="simulated crash"):
        store.add_failure("https://example.org/orphan", Reason.TIMEOUT, "none", origin="live")
    monkeypatch.undo()

    assert calls[0].endswith(".warc.gz")
    assert (store.root / "index.cdxj").read_bytes().startswith(index_before)
    assert len(sorted((store.root / "warc").iterdir())) == len(files_before) + 1  # the orphan
    reopened = SnapshotStore(store.root)
    assert reopened.failures() == [kept]
    assert reopened.rebuild_index() == 2  # the orphan, complete, is indexed again
    assert {f.url for f in reopened.failures()} == {URL, "https://example.org/orphan"}


def test_a_store_from_before_failure_records_reads_as_it_did(tmp_path: Path) -> None:
    copy = tmp_path / "snapshots"
    shutil.copytree(WORKED_EXAMPLE_STORE, copy, ignore=shutil.ignore_patterns(".cache"))
    store = SnapshotStore(copy)
    assert store.failures() == []
    assert len(store.snapshots()) > 0
    assert store.verify() == []


def test_the_cli_lists_verifies_and_rebuilds_failures(store: SnapshotStore) -> None:
    store.add(URL, b"<p>words</p>", media_type="text/html", status=200, captured=T0)
    store.add_failure(
        URL, Reason.DNS_FAILURE, "does not resolve", origin="live", recorded=T0 + dt.timedelta(1)
    )
    code, out, err = run_cli("snapshot", "list", "--snapshots", store.root)
    assert (code, err) == (0, "")
    capture, failure = (line.split(" ", 1)[1] for line in out.splitlines())  # after the ID
    assert capture.startswith("2026-03-01T02:00:00Z text/html")
    assert failure.startswith("2026-03-02T02:00:00Z failed dns-failure")
    assert failure.split()[-2:] == ["live", URL]
    assert run_cli("snapshot", "verify", "--snapshots", store.root) == (
        0,
        "1 captures, 1 failure records, 0 problems\n",
        "",
    )
    assert run_cli("snapshot", "rebuild-index", "--snapshots", store.root) == (
        0,
        "index rebuilt: 1 captures, 1 failure records\n",
        "",
    )


@pytest.mark.slow  # a few dozen processes
def test_sigkill_while_recording_failures_leaves_a_consistent_store(tmp_path: Path) -> None:
    """``snapshot fetch`` of sources that all fail (nothing listens at their ports) records a
    failure each; killed at random moments, it leaves a store whose index parses, whose every
    entry verifies, and whose index ``rebuild-index`` re-derives whole."""
    rng = random.Random(20260301)
    ports = [closed_port() for _ in range(120)]
    # One host answers (404): else a run where every host refuses, with no archive consulted,
    # is a run without a network, which records nothing (tests/checking/test_check_no_network).
    answering = LocalServer({"*": page("<h1>Not found</h1>", status=404)})
    urls = [f"http://127.0.0.1:{port}/page" for port in ports] + [answering.url + "/gone"]
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "refused"\n'
        + "".join(claim_toml(f"c{n}", "quote", "words", url) for n, url in enumerate(urls)),
        encoding="utf-8",
    )
    store = tmp_path / "snapshots"
    command = [
        *[sys.executable, "-m", "claimcheck", "snapshot", "fetch", str(claims)],
        *["--snapshots", str(store), "--no-archive", "--allow-private-addresses"],
    ]
    with answering:
        kills, torn = _kill_while_recording(command, store, urls, rng, tmp_path)
    assert kills >= 6
    assert torn >= 1  # killed while recording, at least once
    indexed = {failure.path for failure in SnapshotStore(store).failures()}
    assert SnapshotStore(store).rebuild_index() >= len(indexed)
    assert indexed <= {failure.path for failure in SnapshotStore(store).failures()}
    assert SnapshotStore(store).verify() == []


def _kill_while_recording(
    command: list[str], store: Path, urls: list[str], rng: random.Random, folder: Path
) -> tuple[int, int]:
    """Run ``command`` to its end once, then kill it at random moments: how many runs were
    killed, and how many of them were killed while recording (some failures recorded, not
    all); every time, the store verifies and holds failures of ``urls`` only.

    Recording is the last, short stretch of a run (each record is one WARC file and one
    appended index line: a fifth of a second for a hundred), too short for a kill timed by the
    clock to land in on a busy machine. So every other kill waits for a random number of new
    WARC files to appear instead; the rest land anywhere in the run."""
    began = time.perf_counter()
    subprocess.run(command, cwd=folder, capture_output=True, check=False, timeout=120)
    whole = time.perf_counter() - began
    kills = torn = 0
    for attempt in range(16):
        before = len(SnapshotStore(store).failures())
        process = subprocess.Popen(
            command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if attempt % 2:
            _wait_for_new_files(process, store / "warc", rng.randrange(3, len(urls) // 2))
        else:
            time.sleep(rng.uniform(0.4, 1.0) * whole)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        kills += process.returncode == -signal.SIGKILL
        reopened = SnapshotStore(store)
        assert reopened.verify() == []
        assert {failure.url for failure in reopened.failures()} <= set(urls)
        recorded = len(reopened.failures()) - before
        torn += process.returncode == -signal.SIGKILL and 0 < recorded < len(urls)
    return kills, torn


def _wait_for_new_files(process: subprocess.Popen[bytes], warc: Path, count: int) -> None:
    """Wait until ``count`` new WARC files (temporary files left out) are in ``warc``, or
    ``process`` has ended."""
    known = set(os.listdir(warc))
    while process.poll() is None:
        new = {name for name in os.listdir(warc) if not name.startswith(".")} - known
        if len(new) >= count:
            return
        time.sleep(0.001)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

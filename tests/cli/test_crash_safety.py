"""Crash safety: ``snapshot fetch``, ``check`` and ``audit`` killed with SIGKILL at random points.

Thirty local origins (one page each, so the per-host spacing of requests does not serialise the
run; a few pages answer slowly) are captured over and over by subprocesses that are killed at a
random moment: during the imports, while fetching, while writing captures, the index or the text
cache, while printing. After every kill the store must open, its index parse, every capture and
every WARC file with a final name match its digests, every text-cache entry load, and every URL
the killed ``snapshot fetch`` had reported as fetched be in the store. Temporary files
(``.tmp-*``) may be left behind; they are ignored. Each page's text changes with every request,
so every run writes new captures and new cache entries (there is always something to interrupt).

``audit`` is killed the same way, mid-run: after every kill its history must pass ``PRAGMA
integrity_check``, every observation seen after an earlier kill must still be there unchanged,
and the next audit must resume the run that died; every run that completes has exactly one
observation per citation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import itertools
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck import SnapshotStore
from servers import LocalServer, RequestHandler, Route

pytestmark = pytest.mark.slow

PAGES = 30
MIN_KILLS = 55
MAX_RUNS = 140
WARC_NAME = re.compile(r"[0-9a-f]{64}\.warc\.gz")
REPORTED = re.compile(r"live\s+(\S+): 200")


def _quote(number: int) -> str:
    return f"the river rose by {number} metres overnight"


def _origin(number: int) -> Route:
    """A page quoting claim ``number``; its text changes with every request (a new capture and
    a new cache entry each time); every tenth page is slow, the others take a few ms."""
    editions = itertools.count()
    delay = 0.08 if number % 10 == 0 else 0.002 * (number % 5)

    def route(handler: RequestHandler) -> None:
        edition = next(editions)
        time.sleep(delay)
        body = (
            f"<!doctype html><html lang='en'><head><title>Flood report {number}</title></head>"
            f"<body><article><h1>Flood report {number}, edition {edition}</h1>"
            f"<p>Residents said that {_quote(number)} in the valley.</p>"
            f"<p>Updated {edition} times since the first report.</p></article></body></html>"
        )
        handler.send(200, body)

    return route


@contextlib.contextmanager
def _origins() -> Iterator[list[str]]:
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(LocalServer({"/": _origin(n)})) for n in range(PAGES)]
        yield [server.url + "/" for server in servers]


def _claims_file(folder: Path, urls: list[str]) -> Path:
    statement = "# Floods\n\n" + "".join(f"Residents said {_quote(n)}.\n" for n in range(PAGES))
    (folder / "floods.md").write_text(statement, encoding="utf-8")
    claims = '[statement]\nid = "floods"\ntext = "floods.md"\n' + "".join(
        f'\n[[claim]]\nid = "rise-{n}"\nkind = "quote"\ntext = "{_quote(n)}"\n'
        f'\n[[claim.source]]\nurl = "{url}"\n'
        for n, url in enumerate(urls)
    )
    path = folder / "floods.toml"
    path.write_text(claims, encoding="utf-8")
    return path


def _command(mode: str, claims: Path, store: Path) -> list[str]:
    base = [sys.executable, "-m", "claimcheck"]
    network = ["--no-archive", "--deadline", "5", "--per-host", "4", "--allow-private-addresses"]
    if mode == "fetch":
        return [*base, "snapshot", "fetch", str(claims), "--snapshots", str(store), *network]
    if mode == "check":
        return [*base, "check", str(claims), "--snapshots", str(store), *network]
    return [*base, "check", str(claims), "--snapshots", str(store), "--offline", "--format", "json"]


def _audit_command(claims: Path, store: Path, history: Path) -> list[str]:
    return [
        *[sys.executable, "-m", "claimcheck", "audit", str(claims)],
        *["--db", str(history), "--snapshots", str(store), "--format", "json"],
        *["--no-archive", "--deadline", "5", "--per-host", "4", "--allow-private-addresses"],
    ]


def _environment() -> dict[str, str]:
    # Unbuffered: a line the command printed is in the output file the moment it is printed,
    # so the kill cannot hide a report (nor invent one).
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _reported(output: str) -> set[str]:
    """The URLs a ``snapshot fetch`` reported as captured (complete lines only)."""
    lines = output.split("\n")[:-1]  # the last piece is an unfinished line, or ""
    return {match[1] for line in lines if (match := REPORTED.fullmatch(line))}


def _check_files(store: Path) -> None:
    """Every WARC file with a final name matches its digest; every cache entry loads."""
    for path in (store / "warc").iterdir():
        if path.name.startswith(".tmp-"):
            continue
        assert WARC_NAME.fullmatch(path.name), f"unexpected file in warc/: {path.name}"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == path.name.removesuffix(".warc.gz"), f"{path.name} fails its digest"
    cache = store / ".cache" / "text"
    if cache.is_dir():
        for path in cache.iterdir():
            if path.name.startswith(".tmp-"):
                continue
            # a JSON header line, then the sections it lists, whole
            header, body = gzip.decompress(path.read_bytes()).split(b"\n", 1)
            entry = json.loads(header)
            assert {"digest", "text", "sections"} <= set(entry), path.name
            assert sum(size for _, _, size in entry["sections"]) == len(body), path.name


def _check_store(
    store: Path, read: set[str], reported: set[str], started: dt.datetime, *, full: bool
) -> None:
    """The store after a kill: readable, consistent, holding everything reported."""
    if not (store / "warc").is_dir():  # killed before the store was created
        assert not reported
        return
    snapshots = SnapshotStore(store)
    entries = snapshots.snapshots()  # the index parses
    for entry in entries:  # captures are never rewritten: read each new one once
        if entry.path not in read:
            snapshots.read(entry)
            read.add(entry.path)
    if full:
        assert snapshots.verify() == []
    _check_files(store)
    for url in reported:
        live = snapshots.find(url, origin="live")
        assert live is not None, f"{url} was reported as fetched but is not in the store"
        assert live.status == 200
        assert live.captured >= started, f"{url}: the capture reported is missing"


def _run_to_end(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=60
    )


def _check_offline(claims: Path, store: Path, cwd: Path) -> None:
    done = _run_to_end(_command("offline", claims, store), cwd)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.startswith("{"), done.stderr  # a report, not a traceback
    report = json.loads(done.stdout)
    modelled = [c for c in report["claims"] if c["reason"] != "not-in-claims-file"]
    assert len(modelled) == PAGES


def test_sigkill_leaves_the_store_and_the_cache_consistent(tmp_path: Path) -> None:
    rng = random.Random(20240917)
    store = tmp_path / "snapshots"
    output = tmp_path / "output.txt"
    read: set[str] = set()
    kills = runs = reported_total = 0
    modes = {"fetch": 0, "check": 0, "offline": 0}
    with _origins() as urls:
        claims = _claims_file(tmp_path, urls)
        while kills < MIN_KILLS:
            assert runs < MAX_RUNS, f"only {kills} of {runs} runs were killed before they ended"
            runs += 1
            mode = rng.choices(["fetch", "check", "offline"], weights=[5, 3, 2])[0]
            # Start-up (imports) takes ~0.35 s, a whole run ~0.5-0.7 s: kills land in every
            # phase, and some runs end (and report everything) before their kill.
            delay = rng.uniform(0.0, 0.8)
            started = dt.datetime.now(dt.UTC).replace(microsecond=0)
            with output.open("wb") as sink:
                process = subprocess.Popen(
                    _command(mode, claims, store),
                    cwd=tmp_path,
                    env=_environment(),
                    stdout=sink,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
            if process.returncode == -signal.SIGKILL:
                kills += 1
                modes[mode] += 1
            else:
                assert process.returncode in (0, 1), f"{mode} failed: {process.returncode}"
            reported = _reported(output.read_text(encoding="utf-8", errors="replace"))
            if mode != "fetch":
                reported = set()
            reported_total += len(reported)
            _check_store(store, read, reported, started, full=runs % 10 == 0)

        # A run left alone reports every page, and finds each of them in the store.
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        done = _run_to_end(_command("fetch", claims, store), tmp_path)
        assert done.returncode == 0, done.stderr
        reported = _reported(done.stdout)
        assert reported == set(urls)
        _check_store(store, read, reported, started, full=True)

    # The next offline check works on whatever the kills left, cache included.
    _check_offline(claims, store, tmp_path)
    # A cache entry cut short under its final name (a power loss before the data reached the
    # disk) and an empty one are re-derived, not fatal.
    entries: list[Path] = []
    for url in urls[:2]:
        latest = SnapshotStore(store).find(url)
        assert latest is not None
        hexdigest = latest.digest.removeprefix("sha256:")
        entries.extend((store / ".cache" / "text").glob(f"{hexdigest}-*.json.gz"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[: entries[0].stat().st_size // 2])
    entries[1].write_bytes(b"")
    _check_offline(claims, store, tmp_path)

    # Nothing the index names was lost: re-deriving it from the WARC files keeps every entry.
    indexed = {entry.path for entry in SnapshotStore(store).snapshots()}
    SnapshotStore(store).rebuild_index()
    assert indexed <= {entry.path for entry in SnapshotStore(store).snapshots()}
    assert SnapshotStore(store).verify() == []
    assert kills >= 50
    print(f"{runs} runs, {kills} killed {modes}, {reported_total} reported captures checked")


def _history_after_kill(path: Path, seen: dict[int, tuple[object, ...]]) -> tuple[int, int] | None:
    """Check the history a killed audit left; return the running run's id and how many
    observations it holds (``None`` when no run is running)."""
    if not path.exists():  # killed before it was created
        assert not seen
        return None
    connection = sqlite3.connect(path)  # recovers the write-ahead log the kill left
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = {row[0]: row for row in connection.execute("SELECT * FROM observations")}
        for identifier, row in seen.items():
            assert rows.get(identifier) == row, f"observation {identifier} was lost or changed"
        seen.update(rows)
        running = connection.execute("SELECT id FROM runs WHERE state = 'running'").fetchall()
        assert len(running) <= 1, "a second run started instead of resuming the first"
        if not running:
            return None
        (count,) = connection.execute(
            "SELECT count(*) FROM observations WHERE run_id = ?", running[0]
        ).fetchone()
        return int(running[0][0]), int(count)
    finally:
        connection.close()


def test_sigkill_mid_audit_resumes_and_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20260301)
    store = tmp_path / "snapshots"
    history = tmp_path / "audit.sqlite"
    seen: dict[int, tuple[object, ...]] = {}
    interrupted: set[int] = set()  # runs killed with some but not all of their observations
    runs = kills = 0
    with _origins() as urls:
        claims = _claims_file(tmp_path, urls)
        command = _audit_command(claims, store, history)
        # One audit left alone, timed: start-up is about half of it (~0.45 s of ~1 s here),
        # so kills between 45% and 105% of its length land mostly while observations are
        # being committed. The window then follows what the kills find (a busy machine runs
        # slower, a quiet one faster): it moves later when a kill came before the run had
        # observed anything, earlier when the audit finished first.
        started = time.monotonic()
        assert _run_to_end(command, tmp_path).returncode == 0
        length = time.monotonic() - started
        _history_after_kill(history, seen)
        low, high = 0.45, 1.05
        while len(interrupted) < 4:
            assert runs < 60, f"only {len(interrupted)} runs were killed mid-run in {runs}"
            runs += 1
            delay = rng.uniform(low, high) * length
            process = subprocess.Popen(
                command,
                cwd=tmp_path,
                env=_environment(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            if process.returncode == -signal.SIGKILL:
                kills += 1
            else:
                assert process.returncode == 0, f"audit failed: {process.returncode}"
            running = _history_after_kill(history, seen)
            if running is not None and 0 < running[1] < PAGES:
                interrupted.add(running[0])
            elif process.returncode == 0:
                low, high = low * 0.85, high * 0.85  # too late: the audit had finished
            elif running is None or running[1] == 0:
                low, high = low * 1.15, high * 1.15  # too early: nothing observed yet
            _check_store(store, set(), set(), dt.datetime.now(dt.UTC), full=False)

        done = _run_to_end(command, tmp_path)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["run"]["state"] == "complete"

    assert _history_after_kill(history, seen) is None  # nothing left running
    connection = sqlite3.connect(history)
    try:
        states = dict(connection.execute("SELECT id, state FROM runs").fetchall())
        assert set(states.values()) == {"complete"}, states  # every killed run was resumed
        assert interrupted <= set(states)
        for run_id in states:
            citations = connection.execute(
                "SELECT statement, claim_id, url, accessed FROM observations WHERE run_id = ?",
                (run_id,),
            ).fetchall()
            assert len(citations) == PAGES, f"run {run_id}: {len(citations)} observations"
            assert len(set(citations)) == PAGES
    finally:
        connection.close()
    print(f"{runs} audits, {kills} killed, {len(interrupted)} mid-run, {len(states)} runs")

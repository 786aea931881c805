"""The snapshot store's index grows by appends (issue 17): an add writes its own line at the end
of ``index.cdxj`` and nothing else, so adding the 100,000th capture costs what adding the 100th
does (``benchmarks/store_add.py``). What must hold with it: a line cut short by a kill is
skipped without a warning and repaired by the next write, readers (other objects, other
processes) see every complete line, compaction keeps every entry, and two processes adding at
once lose nothing.

Internals tested directly: ``claimcheck.store._index.entry_from_line`` is counted, to show that
a reader parses only the lines appended since it last read (an observable of cost, not of
results)."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import claimcheck.store._index as _index
from claimcheck import SnapshotStore
from claimcheck.errors import SnapshotStoreWarning
from claimcheck.model import Reason

START = dt.datetime(2021, 3, 5, 12, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "snapshots", create=True)


@pytest.fixture(autouse=True)
def no_store_warnings() -> Iterator[None]:
    """Nothing in this file may warn unless a test says so (a torn last line is not warned)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SnapshotStoreWarning)
        yield


def index_of(store: SnapshotStore) -> bytes:
    return (store.root / "index.cdxj").read_bytes()


def add(store: SnapshotStore, number: int, url: str | None = None) -> Any:
    return store.add(
        url or f"https://example.org/{number}",
        f"capture {number}".encode(),
        media_type="text/plain",
        captured=START + dt.timedelta(minutes=number),
    )


# ------------------------------------------------------------------------------------------
# Appends


def test_an_add_appends_its_line_and_leaves_the_earlier_bytes_unchanged(
    store: SnapshotStore, tmp_path: Path
) -> None:
    # Each new URL sorts before the ones already there: a sorted rewrite would move every line.
    add(store, 1, "https://z.example/")
    add(store, 2, "https://y.example/")
    before = index_of(store)
    add(store, 3, "https://a.example/")
    after = index_of(store)
    assert after[: len(before)] == before
    assert after[len(before) :].count(b"\n") == 1
    store.add_failure("https://b.example/", Reason.DNS_FAILURE, "no such host", origin="live")
    again = index_of(store)
    assert again[: len(after)] == after
    assert again[len(after) :].count(b"\n") == 1
    scratch = SnapshotStore(tmp_path / "scratch", create=True, durable=False)
    made = [add(scratch, n, f"https://{chr(ord('a') + n)}.example/x") for n in range(3)]
    store.add_captures((snapshot, scratch.warc(snapshot)) for snapshot in made)
    last = index_of(store)
    assert last[: len(again)] == again
    assert last[len(again) :].count(b"\n") == 3
    assert len(SnapshotStore(store.root).snapshots()) == 6


def test_adding_a_capture_the_index_holds_appends_nothing(store: SnapshotStore) -> None:
    first = add(store, 1)
    before = index_of(store)
    assert store.add_captures([(first, store.warc(first))]) == [first]
    assert index_of(store) == before
    assert SnapshotStore(store.root).snapshots() == [first]


def test_captures_are_listed_in_index_order_whatever_the_order_of_the_lines(
    store: SnapshotStore,
) -> None:
    made = [
        add(store, n, url) for n, url in enumerate(["https://z.example/", "https://a.example/"], 1)
    ]
    made.append(add(store, 0, "https://z.example/"))  # older than the first capture of z
    expected = [made[1], made[2], made[0]]  # by SURT key, then by date
    assert store.snapshots() == expected
    assert SnapshotStore(store.root).snapshots() == expected
    assert store.snapshots("https://z.example/") == [made[2], made[0]]


def test_a_reader_parses_only_the_lines_appended_since_it_last_read(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(20):
        add(store, number)
    reader = SnapshotStore(store.root)
    assert len(reader.snapshots()) == 20
    parsed: list[str] = []
    real = _index.entry_from_line

    def counting(line: str) -> Any:
        parsed.append(line)
        return real(line)

    monkeypatch.setattr(_index, "entry_from_line", counting)
    add(store, 20)  # the writer knows its own line: nothing to parse
    assert parsed == []
    assert len(reader.snapshots()) == 21  # the reader parses the one new line
    assert len(parsed) == 1
    assert reader.find("https://example.org/20") is not None
    assert len(parsed) == 1


# ------------------------------------------------------------------------------------------
# A line cut short


def torn(store: SnapshotStore, tail: bytes) -> bytes:
    """Cut a line short at the end of the index, as a kill or a power cut mid-write leaves it;
    the index before."""
    before = index_of(store)
    with (store.root / "index.cdxj").open("ab") as index:
        index.write(tail)
    return before


@pytest.mark.parametrize("kind", ["half a line", "zeros", "one byte"])
def test_a_torn_last_line_is_skipped_silently_and_repaired_by_the_next_add(
    store: SnapshotStore, tmp_path: Path, kind: str
) -> None:
    kept = [add(store, n) for n in range(3)]
    scratch = SnapshotStore(tmp_path / "scratch", create=True, durable=False)
    add(scratch, 9)
    line = index_of(scratch)
    tail = {"half a line": line[: len(line) // 2], "zeros": bytes(300), "one byte": line[:1]}
    before = torn(store, tail[kind])
    reopened = SnapshotStore(store.root)
    assert reopened.snapshots() == kept  # no warning: the autouse fixture makes it an error
    assert reopened.verify() == []
    fourth = add(reopened, 4)
    after = index_of(store)
    assert after.startswith(before)
    assert after.count(b"\n") == 4
    assert after.endswith(b"\n")
    assert SnapshotStore(store.root).snapshots() == [*kept, fourth]
    assert reopened.snapshots() == [*kept, fourth]


def test_a_torn_last_line_is_repaired_by_compaction_too(store: SnapshotStore) -> None:
    kept = [add(store, n) for n in range(3)]
    torn(store, b'org,example)/9 20210305120900 {"url": "https://exa')
    assert store.compact() == 3
    assert index_of(store).count(b"\n") == 3
    assert index_of(store).endswith(b"\n")
    assert SnapshotStore(store.root).snapshots() == kept


def test_a_last_line_without_its_newline_that_reads_is_an_entry(
    store: SnapshotStore,
) -> None:
    # A hand edit may leave the last line without its "\n": it is a whole line all the same.
    made = [add(store, n) for n in range(2)]
    index = store.root / "index.cdxj"
    index.write_bytes(index.read_bytes().rstrip(b"\n"))
    assert SnapshotStore(store.root).snapshots() == made
    third = add(SnapshotStore(store.root), 2)
    assert index.read_bytes().count(b"\n") == 3
    assert SnapshotStore(store.root).snapshots() == [*made, third]


def test_a_torn_line_in_a_crash_mid_write_leaves_the_capture_for_rebuild_index(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = add(store, 1)
    before = index_of(store)
    real_write = os.write

    def cut_short(descriptor: int, data: Any) -> int:
        if data.startswith(b"org,example)/2 "):
            real_write(descriptor, bytes(data)[:40])
            raise OSError("simulated crash")
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", cut_short)
    with pytest.raises(OSError, match="simulated crash"):
        add(store, 2)
    monkeypatch.undo()
    assert index_of(store).startswith(before)
    assert index_of(store) != before
    reopened = SnapshotStore(store.root)
    assert reopened.snapshots() == [kept]
    assert reopened.verify() == []
    # the capture's file was complete: rebuilding the index recovers it
    assert reopened.rebuild_index() == 2
    assert reopened.read(reopened.find("https://example.org/2")) == b"capture 2"  # type: ignore[arg-type]


_ADDER = """
import datetime as dt, os, sys, time
from claimcheck import SnapshotStore

real_write = os.write

def slow_write(descriptor, data):
    # A slow disk: an index line is written in two halves, and the process says when it is
    # between them, so that the test can kill it there.
    if bytes(data[:13]) != b"org,example)/":
        return real_write(descriptor, data)
    half = len(data) // 2
    real_write(descriptor, bytes(data[:half]))
    print("mid-write", flush=True)
    time.sleep(0.05)
    return half + real_write(descriptor, bytes(data[half:]))

os.write = slow_write
store = SnapshotStore(sys.argv[1])
for number in range(int(sys.argv[2]), int(sys.argv[2]) + 1000):
    store.add(
        f"https://example.org/{number}", f"capture {number}".encode(), media_type="text/plain",
        captured=dt.datetime(2021, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=number),
    )
    print(number, flush=True)
"""


@pytest.mark.slow  # subprocesses
def test_a_kill_mid_append_leaves_a_store_that_reads_every_complete_capture(
    store: SnapshotStore,
) -> None:
    """A process adding captures is killed now in the middle of writing an index line (it
    writes each in two halves, as a slow disk might, and says when it is between them), now at
    a random moment; every capture it said it added is read, nothing is warned, ``verify``
    finds nothing wrong, and the next add repairs the line cut short."""
    rng = random.Random(20261207)
    reported: set[str] = set()
    torn_tails = 0
    for run in range(6):
        process = subprocess.Popen(
            [sys.executable, "-c", _ADDER, str(store.root), str(run * 1000)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        mid_write, added = run % 3 != 2, rng.randint(1, 30)
        for line in process.stdout:
            if line.strip().isdigit():
                reported.add(f"https://example.org/{line.strip()}")
                added -= 1
            elif added <= 0 and mid_write:
                break  # between the two halves of a line
            if added <= 0 and not mid_write:
                time.sleep(rng.uniform(0, 0.05))
                break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
        torn_tails += not index_of(store).endswith(b"\n")
        reopened = SnapshotStore(store.root)
        assert reported <= {snapshot.url for snapshot in reopened.snapshots()}
        assert reopened.verify() == []
    assert torn_tails >= 4
    add(store, 99_999)
    lines = index_of(store).split(b"\n")
    assert lines[-1] == b""
    assert len(lines) - 1 == len(SnapshotStore(store.root).snapshots())


# ------------------------------------------------------------------------------------------
# Compaction


def test_compaction_keeps_every_entry_and_the_newest_outcome_wins(store: SnapshotStore) -> None:
    url = "https://example.org/report"
    older = add(store, 1, url)
    store.add_failure(url, Reason.DNS_FAILURE, "no host", origin="live", recorded=START)
    newest = store.add_failure(
        url, Reason.CONNECTION_REFUSED, "refused", origin="live", recorded=START + dt.timedelta(1)
    )
    add(store, 2, "https://a.example/")
    store.add_captures([(attrs.evolve(older, language="da"), store.warc(older))])  # a dead line
    before_snapshots, before_failures = store.snapshots(), store.failures()
    newest_before = max(
        [*store.snapshots(url), *store.failures(url)],
        key=lambda e: getattr(e, "captured", None) or e.recorded,
    )
    assert newest_before == newest
    lines_before = index_of(store).count(b"\n")
    assert store.compact() == len(before_snapshots) + len(before_failures)
    text = index_of(store)
    assert text.count(b"\n") == len(before_snapshots) + len(before_failures) < lines_before
    assert text.split(b"\n")[:-1] == sorted(text.split(b"\n")[:-1], key=lambda x: x.split(b" {")[0])
    for reader in (store, SnapshotStore(store.root)):
        assert reader.snapshots() == before_snapshots
        assert reader.failures() == before_failures
        assert reader.failures(url)[-1] == newest
    assert store.verify() == []


def test_the_same_file_indexed_again_the_later_line_wins(store: SnapshotStore) -> None:
    first = add(store, 1)
    data = store.warc(first)
    variant = attrs.evolve(first, origin="live")
    store.add_captures([(variant, data)])
    assert index_of(store).count(b"\n") == 2
    for reader in (store, SnapshotStore(store.root)):
        assert reader.snapshots() == [variant]
    assert store.compact() == 1
    assert SnapshotStore(store.root).snapshots() == [variant]


def test_lines_past_a_factor_of_the_live_entries_are_compacted(store: SnapshotStore) -> None:
    first = add(store, 1)
    data = store.warc(first)
    for number in range(400):  # the one file indexed again and again: dead lines pile up
        store.add_captures([(attrs.evolve(first, language=f"l{number}"), data)])
    lines = index_of(store).count(b"\n")
    assert lines < 400
    assert SnapshotStore(store.root).snapshots() == [attrs.evolve(first, language="l399")]


def test_unreadable_lines_are_kept_by_appends_and_compaction_and_dropped_by_rebuild(
    store: SnapshotStore,
) -> None:
    add(store, 1)
    index = store.root / "index.cdxj"
    with index.open("ab") as file:
        file.write(b"not an index line\n")
    with pytest.warns(SnapshotStoreWarning, match=r"index.cdxj:2: unreadable index entry"):
        assert len(store.snapshots()) == 1
    add(store, 2)
    assert b"not an index line\n" in index.read_bytes()
    assert store.compact() == 2  # no warning: this object has read the line before
    assert b"not an index line\n" in index.read_bytes()
    with pytest.warns(SnapshotStoreWarning, match="unreadable index entry"):
        assert len(SnapshotStore(store.root).snapshots()) == 2
    assert store.rebuild_index() == 2
    assert b"not an index line" not in index.read_bytes()
    assert len(SnapshotStore(store.root).snapshots()) == 2


def test_a_crash_while_compacting_keeps_the_old_index(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [add(store, n) for n in (2, 1)]
    before = index_of(store)

    def crash(source: object, target: object) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        store.compact()
    monkeypatch.undo()
    assert index_of(store) == before
    assert not list(store.root.rglob(".tmp-*"))
    assert sorted(SnapshotStore(store.root).snapshots(), key=lambda s: s.url) == sorted(
        made, key=lambda s: s.url
    )


# ------------------------------------------------------------------------------------------
# Several writers


def test_a_store_sees_another_objects_appends_and_compaction(store: SnapshotStore) -> None:
    other = SnapshotStore(store.root)
    first = add(store, 1)
    assert other.snapshots() == [first]
    second = add(other, 2)
    assert store.snapshots() == [first, second]
    assert other.compact() == 2  # a new file in the index's place
    third = add(store, 3)
    assert other.snapshots() == store.snapshots() == [first, second, third]
    assert index_of(store).count(b"\n") == 3


def _add_or_compact(root: str, worker: int, count: int, barrier: Any) -> None:
    store = SnapshotStore(root, durable=False)
    barrier.wait()
    for number in range(count):
        if worker == 0:
            store.compact()
        else:
            add(store, worker * 1000 + number)


@pytest.mark.slow  # several processes
def test_two_processes_adding_while_a_third_compacts_lose_nothing(store: SnapshotStore) -> None:
    context = multiprocessing.get_context("spawn")
    workers, count = 3, 60
    barrier = context.Barrier(workers)
    processes = [
        context.Process(target=_add_or_compact, args=(str(store.root), worker, count, barrier))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * workers
    urls = {snapshot.url for snapshot in SnapshotStore(store.root).snapshots()}
    expected = {
        f"https://example.org/{worker * 1000 + n}" for worker in (1, 2) for n in range(count)
    }
    assert urls == expected
    assert index_of(store).count(b"\n") == len(expected)
    assert json.loads(index_of(store).split(b"\n")[0].split(b" ", 2)[2])["url"]

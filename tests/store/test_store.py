"""The WARC snapshot store: round trips, replay in warcio, digests, paths, atomicity, locking.

Internals tested directly (private modules): the store module's file-name pattern and its ``os``
calls, patched to crash mid-write (``claimcheck.store._snapshots``)."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

import claimcheck.store._snapshots as _store
from claimcheck import Snapshot, SnapshotStore
from claimcheck.errors import CorruptSnapshotError, SnapshotStoreError, SnapshotStoreWarning
from claimcheck.model import surt
from support import WORKED_EXAMPLE_STORE

HTML = b"<html><head><title>T</title></head><body><p>Around 189 Syrians.</p></body></html>"
UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "snapshots", create=True)


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def records(path: Path) -> list[dict[str, Any]]:
    """Every record of a WARC file, as warcio's own reader sees it (digests checked)."""
    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            payload = record.content_stream().read()
            found.append(
                {
                    "type": record.rec_type,
                    "headers": record.rec_headers,
                    "http": record.http_headers,
                    "payload": payload,
                }
            )
    return found


# ------------------------------------------------------------------------------------------
# Round trips


def test_resource_round_trip(store: SnapshotStore) -> None:
    snapshot = store.add(
        "https://example.org/page",
        b"plain words",
        media_type="text/plain",
        captured=at(2021, 3, 5, 12),
        published=dt.date(2021, 3, 1),
        language="da",
    )
    assert snapshot.status is None
    assert snapshot.headers == ()
    assert snapshot.digest == "sha256:" + hashlib.sha256(b"plain words").hexdigest()
    assert snapshot.length == len(b"plain words")
    assert _store.WARC_NAME.fullmatch(snapshot.path)
    assert snapshot.origin == "local"
    assert not snapshot.excerpt

    found = store.find("https://example.org/page")
    assert found == snapshot
    assert store.read(found) == b"plain words"
    # a second handle on the same folder reads the same index
    again = SnapshotStore(store.root)
    assert again.snapshots() == [snapshot]
    found = again.find("https://example.org/page")
    assert found == snapshot
    assert found is not None
    assert found.published == dt.date(2021, 3, 1)
    assert found.language == "da"


def test_response_round_trip(store: SnapshotStore) -> None:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Server", "test")]
    snapshot = store.add(
        "https://example.org/news?id=7",
        HTML,
        media_type="text/html",
        captured=at(2021, 4, 1, 9),
        status=200,
        headers=headers,
        request_headers=[("User-Agent", "claimcheck-test"), ("Accept", "text/html")],
        origin="live",
    )
    assert snapshot.status == 200
    assert snapshot.headers == tuple(headers)
    assert snapshot.origin == "live"
    reopened = SnapshotStore(store.root)
    found = reopened.find("https://example.org/news?id=7")
    assert found == snapshot
    assert reopened.read(snapshot) == HTML

    warc = records(store.root / snapshot.path)
    types = [record["type"] for record in warc]
    assert types == ["warcinfo", "request", "response"]
    request = warc[1]
    assert request["http"].protocol == "GET"
    assert request["http"].get_header("User-Agent") == "claimcheck-test"
    assert request["headers"].get_header("WARC-Target-URI") == "https://example.org/news?id=7"
    response = warc[2]
    assert response["http"].get_statuscode() == "200"
    assert response["http"].get_header("Server") == "test"
    assert response["payload"] == HTML


def test_response_without_headers_records_the_media_type(store: SnapshotStore) -> None:
    snapshot = store.add(
        "http://example.org/x", b"%PDF-1.4 not really", media_type="application/pdf", status=404
    )
    response = records(store.root / snapshot.path)[-1]
    assert response["http"].get_statuscode() == "404"
    assert response["http"].get_header("Content-Type") == "application/pdf"


def test_captured_defaults_to_now_and_dates_are_utc(store: SnapshotStore) -> None:
    before = dt.datetime.now(UTC).replace(microsecond=0)
    snapshot = store.add("https://example.org/now", b"x", media_type="text/plain")
    after = dt.datetime.now(UTC)
    assert before <= snapshot.captured <= after
    assert snapshot.captured.tzinfo is not None
    naive = store.add(
        "https://example.org/naive",
        b"y",
        media_type="text/plain",
        captured=dt.datetime(2020, 1, 2, 3, 4, 5),
    )
    assert naive.captured == at(2020, 1, 2, 3).replace(minute=4, second=5)
    other_zone = dt.timezone(dt.timedelta(hours=2))
    zoned = store.add(
        "https://example.org/zoned",
        b"z",
        media_type="text/plain",
        captured=dt.datetime(2020, 1, 2, 3, 0, tzinfo=other_zone),
    )
    assert zoned.captured == at(2020, 1, 2, 1)


# ------------------------------------------------------------------------------------------
# Finding by date


def test_find_picks_the_capture_as_cited(store: SnapshotStore) -> None:
    url = "https://example.org/story"
    march = store.add(url, b"march", media_type="text/plain", captured=at(2021, 3, 1))
    april = store.add(url, b"april", media_type="text/plain", captured=at(2021, 4, 1, 15))
    june = store.add(url, b"june", media_type="text/plain", captured=at(2021, 6, 1))

    assert store.find(url) == june  # no date: the latest
    assert store.find(url, at=dt.date(2021, 5, 20)) == april  # latest at or before
    assert store.find(url, at=dt.date(2021, 4, 1)) == april  # the whole day counts
    assert store.find(url, at=at(2021, 4, 1, 14)) == march  # a moment: strictly by time
    assert store.find(url, at=at(2021, 4, 1, 15)) == april
    assert store.find(url, at=dt.date(2021, 2, 1)) == march  # none before: the earliest after
    assert store.find(url, at=dt.date(2030, 1, 1)) == june
    assert store.find("https://example.org/other") is None
    assert store.snapshots(url) == [march, april, june]


def test_find_prefers_full_captures_to_excerpts_of_the_same_moment(store: SnapshotStore) -> None:
    url = "https://example.org/both"
    excerpt = store.add(
        url, b"some", media_type="text/plain", captured=at(2021, 1, 1), excerpt=True
    )
    full = store.add(url, b"all of it", media_type="text/plain", captured=at(2021, 1, 1))
    assert store.find(url) == full
    assert store.find(url, at=dt.date(2021, 1, 1)) == full
    assert store.find(url, at=dt.date(2020, 1, 1)) == full
    assert excerpt.excerpt
    assert store.read(excerpt) == b"some"


def test_find_matches_url_variants(store: SnapshotStore) -> None:
    snapshot = store.add("https://www.Example.org/a/b?z=1&a=2#top", b"x", media_type="text/plain")
    for variant in (
        "http://example.org/a/b?a=2&z=1",
        "https://example.org:443/a/b?z=1&a=2",
        "HTTPS://WWW.EXAMPLE.ORG/a/b?a=2&z=1#elsewhere",
    ):
        assert store.find(variant) == snapshot, variant
    assert store.find("https://example.org/a/b") is None
    assert store.find("https://example.org/a/c?a=2&z=1") is None


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.Example.com:443/a/b?z=1&a=2#top", "com,example)/a/b?a=2&z=1"),
        ("http://example.com/a/b?a=2&z=1", "com,example)/a/b?a=2&z=1"),
        ("http://www2.example.com/", "com,example)/"),
        ("http://example.com", "com,example)/"),
        ("http://news.bbc.co.uk/x", "uk,co,bbc,news)/x"),
        ("https://example.com:8080/p", "com,example:8080)/p"),
        ("http://example.com:80/p", "com,example)/p"),
        ("https://Example.COM/Path/Page.HTML", "com,example)/path/page.html"),
        ("https://example.com/p?b=2&a=1&a=0", "com,example)/p?a=0&a=1&b=2"),
        ("https://example.com/p#fragment", "com,example)/p"),
        ("https://example.com./p", "com,example)/p"),
        ("http://x/../../a", "x)/../../a"),
    ],
)
def test_surt(url: str, key: str) -> None:
    assert surt(url) == key


def test_surt_keys_sort_the_index(store: SnapshotStore) -> None:
    for url in ("https://b.example/1", "https://a.example/2", "https://a.example/1"):
        store.add(url, url.encode(), media_type="text/plain", captured=at(2021, 1, 1))
    assert [snapshot.url for snapshot in store.snapshots()] == [
        "https://a.example/1",
        "https://a.example/2",
        "https://b.example/1",
    ]
    # An add appends its line (tests/store/test_store_append.py); compaction sorts the file.
    assert store.compact() == 3
    keys = [
        line.split(" ", 1)[0]
        for line in (store.root / "index.cdxj").read_text(encoding="utf-8").splitlines()
    ]
    assert keys == sorted(keys) == ["example,a)/1", "example,a)/2", "example,b)/1"]


# ------------------------------------------------------------------------------------------
# Replay in warcio


def test_every_file_replays_in_warcio(store: SnapshotStore) -> None:
    full = store.add(
        "https://example.org/full",
        HTML,
        media_type="text/html",
        captured=at(2021, 5, 7, 8),
        status=200,
        headers=[("Content-Type", "text/html")],
    )
    excerpt = store.add(
        "https://example.org/excerpt",
        b"only a paragraph",
        media_type="text/plain; charset=utf-8",
        captured=at(2021, 5, 8),
        excerpt=True,
        published=dt.date(2021, 5, 1),
        language="en",
    )
    files = sorted((store.root / "warc").glob("*.warc.gz"))
    assert {f"warc/{path.name}" for path in files} == {full.path, excerpt.path}
    for path in files:
        # the file is named by its own SHA-256
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name.removesuffix(".warc.gz")
        found = records(path)
        assert found[0]["type"] == "warcinfo"
        assert b"claimcheck/" in found[0]["payload"]
        captures = [r for r in found if r["type"] in ("response", "resource")]
        assert len(captures) == 1
        capture = captures[0]
        headers = capture["headers"]
        payload = capture["payload"]
        assert headers.get_header("WARC-Payload-Digest") == sha1_b32(payload)
        if path.name == full.path.removeprefix("warc/"):
            assert capture["type"] == "response"
            assert headers.get_header("WARC-Target-URI") == "https://example.org/full"
            assert headers.get_header("WARC-Date") == "2021-05-07T08:00:00Z"
            assert capture["http"].get_statuscode() == "200"
            assert capture["http"].get_header("Content-Type") == "text/html"
            assert headers.get_header("Claimcheck-Excerpt") is None
            assert payload == HTML
        else:
            assert capture["type"] == "resource"
            assert headers.get_header("WARC-Target-URI") == "https://example.org/excerpt"
            assert headers.get_header("WARC-Date") == "2021-05-08T00:00:00Z"
            assert headers.get_header("Content-Type") == "text/plain; charset=utf-8"
            assert headers.get_header("Claimcheck-Excerpt") == "true"
            assert headers.get_header("Claimcheck-Published") == "2021-05-01"
            assert headers.get_header("Claimcheck-Language") == "en"
            assert payload == b"only a paragraph"


def test_the_worked_example_store_replays_in_warcio() -> None:
    root = WORKED_EXAMPLE_STORE
    if not (root / "warc").is_dir():
        pytest.skip("no worked-example store")
    store = SnapshotStore(root)
    for snapshot in store.snapshots():
        found = records(root / snapshot.path)
        capture = next(r for r in found if r["type"] in ("response", "resource"))
        assert capture["headers"].get_header("WARC-Target-URI") == snapshot.url
        digest = "sha256:" + hashlib.sha256(capture["payload"]).hexdigest()
        assert digest == snapshot.digest


# ------------------------------------------------------------------------------------------
# Digests


@pytest.fixture
def two(store: SnapshotStore) -> tuple[Snapshot, Snapshot]:
    victim = store.add("https://example.org/victim", HTML, media_type="text/html")
    other = store.add("https://example.org/other", b"fine", media_type="text/plain")
    return victim, other


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def delete(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize("damage", [truncate, flip_byte, delete])
def test_damage_is_detected(
    store: SnapshotStore, two: tuple[Snapshot, Snapshot], damage: Any
) -> None:
    victim, other = two
    damage(store.root / victim.path)
    with pytest.raises(CorruptSnapshotError):
        store.read(victim)
    problems = store.verify()
    assert len(problems) == 1
    assert victim.path in problems[0]
    # the rest of the store still works
    assert store.read(other) == b"fine"
    assert store.find("https://example.org/other") == other
    added = store.add("https://example.org/new", b"new", media_type="text/plain")
    assert store.read(added) == b"new"
    # the rebuilt index leaves the bad file out and keeps the good ones
    assert store.rebuild_index() == 2
    assert {s.url for s in store.snapshots()} == {
        "https://example.org/other",
        "https://example.org/new",
    }
    assert store.verify() == []


def test_a_record_whose_payload_fails_its_warc_digest_is_corrupt(store: SnapshotStore) -> None:
    """A file whose name matches its bytes but whose record was altered inside (re-written
    uncompressed, so that the file digest is right) still fails the WARC payload digest."""
    good = store.add("https://example.org/p", b"the payload", media_type="text/plain")
    raw = gzip.decompress((store.root / good.path).read_bytes())
    altered = raw.replace(b"the payload", b"the pAyload")
    name = f"warc/{hashlib.sha256(altered).hexdigest()}.warc.gz"
    (store.root / name).write_bytes(altered)
    forged = Snapshot(
        url=good.url,
        captured=good.captured,
        media_type=good.media_type,
        digest=good.digest,
        path=name,
        length=good.length,
    )
    with pytest.raises(CorruptSnapshotError, match="digest"):
        store.read(forged)
    # and the rebuilt index leaves it out
    assert store.rebuild_index() == 1
    assert [s.path for s in store.snapshots()] == [good.path]


def test_an_index_digest_that_differs_from_the_payload_is_corrupt(store: SnapshotStore) -> None:
    snapshot = store.add("https://example.org/p", b"payload", media_type="text/plain")
    index = store.root / "index.cdxj"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace(snapshot.digest, "sha256:" + "0" * 64), encoding="utf-8")
    reopened = SnapshotStore(store.root)
    with pytest.raises(CorruptSnapshotError, match="differs from the index"):
        reopened.read(reopened.snapshots()[0])
    assert len(reopened.verify()) == 1


# ------------------------------------------------------------------------------------------
# Paths


def index_line(filename: str) -> str:
    fields = {
        "url": "https://example.org/",
        "captured": "2021-01-01T00:00:00Z",
        "mime": "text/plain",
        "digest": "sha256:" + "0" * 64,
        "length": 1,
        "filename": filename,
    }
    return f"org,example)/ 20210101000000 {json.dumps(fields)}\n"


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd",
        "warc/../x",
        "warc/../../" + "a" * 64 + ".warc.gz",
        "/etc/passwd",
        "warc/" + "A" * 64 + ".warc.gz",
        "warc/" + "a" * 63 + ".warc.gz",
        "warc/" + "a" * 64 + ".warc.gz/../../x",
    ],
)
def test_index_entries_cannot_name_paths_outside_the_store(
    store: SnapshotStore, filename: str
) -> None:
    (store.root / "index.cdxj").write_text(index_line(filename), encoding="utf-8")
    with pytest.warns(SnapshotStoreWarning, match=r"index.cdxj:1: unreadable index entry"):
        assert store.snapshots() == []
    assert store.find("https://example.org/") is None


def test_reading_a_hand_made_snapshot_outside_the_store_is_refused(store: SnapshotStore) -> None:
    outside = Snapshot(
        url="https://example.org/",
        captured=at(2021, 1, 1),
        media_type="text/plain",
        digest="sha256:" + "0" * 64,
        path="../../etc/passwd",
        length=1,
    )
    with pytest.raises(SnapshotStoreError, match="outside"):
        store.read(outside)


@pytest.mark.parametrize(
    "broken",
    ["not an index line", "a b {not json", 'a b ["list"]', 'a b {"filename": 5}', "\xff\xfe"],
)
def test_an_unreadable_index_line_is_skipped_with_a_warning_not_a_crash(
    store: SnapshotStore, broken: str
) -> None:
    (store.root / "index.cdxj").write_text(broken + "\n", encoding="utf-8")
    with pytest.warns(SnapshotStoreWarning, match="rebuild-index"):
        assert store.snapshots() == []
    (problem,) = store.verify()
    assert problem.startswith(f"{store.root / 'index.cdxj'}:1: unreadable index entry (")


def test_an_index_line_that_is_not_utf8_is_skipped_with_a_warning(store: SnapshotStore) -> None:
    good = store.add("https://example.org/good", b"words", media_type="text/plain")
    index = store.root / "index.cdxj"
    index.write_bytes(b"\xff\xfe\x00garbage\n" + index.read_bytes())
    with pytest.warns(SnapshotStoreWarning, match=r"index.cdxj:1: .*rebuild-index"):
        assert SnapshotStore(store.root).snapshots() == [good]


def test_file_names_come_from_digests_never_from_urls(store: SnapshotStore) -> None:
    snapshot = store.add("http://x/../../a", b"escape?", media_type="text/plain")
    assert _store.WARC_NAME.fullmatch(snapshot.path)
    inside = sorted(p.relative_to(store.root).as_posix() for p in store.root.rglob("*"))
    assert inside == [".gitignore", "index.cdxj", "index.lock", "warc", snapshot.path]
    assert not (store.root.parent / "a").exists()
    assert store.find("http://x/../../a") == snapshot


# ------------------------------------------------------------------------------------------
# Atomic writes


def test_a_crash_while_writing_a_capture_leaves_no_partial_file(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = store.add("https://example.org/kept", b"kept", media_type="text/plain")
    index_before = (store.root / "index.cdxj").read_bytes()
    files_before = sorted((store.root / "warc").iterdir())

    def crash(source: object, target: object) -> None:
        assert Path(str(source)).exists()  # the temporary file was written in full
        raise OSError("simulated crash")

    monkeypatch.setattr("claimcheck.store._snapshots.os.replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        store.add("https://example.org/lost", b"lost", media_type="text/plain")
    monkeypatch.undo()

    assert sorted((store.root / "warc").iterdir()) == files_before
    assert (store.root / "index.cdxj").read_bytes() == index_before
    reopened = SnapshotStore(store.root)
    assert reopened.snapshots() == [kept]
    assert reopened.verify() == []


def test_a_crash_while_writing_the_index_keeps_the_old_index(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = store.add("https://example.org/kept", b"kept", media_type="text/plain")
    index_before = (store.root / "index.cdxj").read_bytes()
    real_write = os.write

    def crash_mid_line(descriptor: int, data: bytes) -> int:
        if data.startswith(b"org,example)/orphan "):  # the index line, cut short
            real_write(descriptor, data[:30])
            raise OSError("simulated crash")
        return real_write(descriptor, data)

    monkeypatch.setattr("claimcheck.store._snapshots.os.write", crash_mid_line)
    with pytest.raises(OSError, match="simulated crash"):
        store.add("https://example.org/orphan", b"orphan", media_type="text/plain")
    monkeypatch.undo()

    assert (store.root / "index.cdxj").read_bytes().startswith(index_before)
    assert not list(store.root.rglob(".tmp-*"))
    reopened = SnapshotStore(store.root)
    assert reopened.snapshots() == [kept]  # the line cut short is no entry, and not warned
    # the capture itself was complete: rebuilding the index recovers it
    assert reopened.rebuild_index() == 2
    orphan = reopened.find("https://example.org/orphan")
    assert orphan is not None
    assert reopened.read(orphan) == b"orphan"


def test_leftover_temporary_files_are_ignored(store: SnapshotStore) -> None:
    kept = store.add("https://example.org/kept", b"kept", media_type="text/plain")
    (store.root / "warc" / ".tmp-abc123.gz").write_bytes(b"half a file")
    (store.root / "warc" / ("b" * 64 + ".warc.gz.tmp")).write_bytes(b"junk")
    (store.root / ".tmp-xyz.cdxj").write_bytes(b"half an index")
    assert store.snapshots() == [kept]
    assert store.verify() == []
    assert store.rebuild_index() == 1
    assert SnapshotStore(store.root).snapshots() == [kept]


# ------------------------------------------------------------------------------------------
# Concurrency


def _add_many(root: str, worker: int, count: int, barrier: Any) -> None:
    store = SnapshotStore(root)
    barrier.wait()
    for number in range(count):
        store.add(
            f"https://example.org/w{worker}/{number}",
            f"worker {worker} capture {number}".encode(),
            media_type="text/plain",
            captured=dt.datetime(2021, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=number),
        )


@pytest.mark.slow  # several processes
def test_concurrent_adds_from_several_processes(store: SnapshotStore) -> None:
    context = multiprocessing.get_context("spawn")
    workers, count = 4, 25
    barrier = context.Barrier(workers)
    processes = [
        context.Process(target=_add_many, args=(str(store.root), worker, count, barrier))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * workers

    reopened = SnapshotStore(store.root)
    entries = reopened.snapshots()
    assert len(entries) == workers * count
    assert len({entry.path for entry in entries}) == workers * count
    for worker in range(workers):
        for number in range(count):
            found = reopened.find(f"https://example.org/w{worker}/{number}")
            assert found is not None
            assert reopened.read(found) == f"worker {worker} capture {number}".encode()
    assert reopened.verify() == []
    assert len(list((store.root / "warc").glob("*.warc.gz"))) == workers * count
    assert not list(store.root.rglob(".tmp-*"))


# ------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "#",
        "",
        "javascript:void(0)",
        "file:///etc/passwd",
        "https://",
        "http://[::1/",
        "example.org/page",
    ],
)
def test_only_http_urls_can_be_captured(store: SnapshotStore, url: str) -> None:
    with pytest.raises(SnapshotStoreError):
        store.add(url, b"x", media_type="text/plain")
    assert store.snapshots() == []
    assert list((store.root / "warc").iterdir()) == []


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SnapshotStoreError, match="not a snapshot store"):
        SnapshotStore(tmp_path)
    with pytest.raises(SnapshotStoreError):
        SnapshotStore(tmp_path / "missing")
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(SnapshotStoreError):
        SnapshotStore(file)
    with pytest.raises(SnapshotStoreError, match="cannot create"):
        SnapshotStore(file / "store", create=True)


def test_a_new_store_is_empty_and_has_a_gitignore(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "new", create=True)
    assert store.snapshots() == []
    assert store.find("https://example.org/") is None
    assert store.verify() == []
    assert store.rebuild_index() == 0
    assert ".tmp-*" in (store.root / ".gitignore").read_text(encoding="utf-8")
    # opening it again without create works
    assert SnapshotStore(store.root).snapshots() == []


# ------------------------------------------------------------------------------------------
# Captures made in another store (a Dask worker's scratch store)


def test_captures_move_between_stores_with_their_names_and_entries(
    store: SnapshotStore, tmp_path: Path
) -> None:
    scratch = SnapshotStore(tmp_path / "scratch", create=True, durable=False)
    for number in range(3):
        scratch.add(
            f"https://example.org/{number}",
            HTML + str(number).encode(),
            media_type="text/html",
            status=200,
            headers=[("Content-Type", "text/html")],
            captured=at(2026, 3, number + 1),
        )
    scratch.add(
        "https://example.org/0",
        HTML,
        media_type="text/html",
        status=200,
        captured=at(2021, 4, 20),
        origin="archive",
        archive_url="https://web.archive.org/web/20210420000000/https://example.org/0",
    )
    made = scratch.snapshots()
    added = store.add_captures((snapshot, scratch.warc(snapshot)) for snapshot in made)
    assert sorted(added, key=lambda s: s.path) == sorted(made, key=lambda s: s.path)
    assert store.snapshots() == made  # the same names and entries, in the same order
    assert SnapshotStore(store.root).snapshots() == made
    assert store.read(made[1]) == scratch.read(made[1])
    assert store.verify() == []
    assert store.find("https://example.org/0", origin="archive") == made[0]
    assert store.rebuild_index() == 4  # the files stand on their own
    assert store.add_captures([]) == []


def test_a_capture_whose_file_does_not_match_its_name_is_refused(
    store: SnapshotStore, tmp_path: Path
) -> None:
    scratch = SnapshotStore(tmp_path / "scratch", create=True, durable=False)
    one = scratch.add("https://example.org/1", b"one", media_type="text/plain")
    two = scratch.add("https://example.org/2", b"two", media_type="text/plain")
    with pytest.raises(SnapshotStoreError, match="does not name the file"):
        store.add_captures([(one, scratch.warc(one)), (two, scratch.warc(one))])
    assert store.snapshots() == []
    assert list((store.root / "warc").iterdir()) == []


def test_a_scratch_store_does_not_flush_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[int] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        flushed.append(descriptor)
        real_fsync(descriptor)

    monkeypatch.setattr("claimcheck.store._snapshots.os.fsync", fsync)
    scratch = SnapshotStore(tmp_path / "scratch", create=True, durable=False)
    scratch.add("https://example.org/a", b"a", media_type="text/plain")
    assert flushed == []
    durable = SnapshotStore(tmp_path / "durable", create=True)
    durable.add("https://example.org/a", b"a", media_type="text/plain")
    assert len(flushed) == 4  # the capture and the index, each with its folder


def test_a_store_sees_what_another_writer_added_after_it_wrote(store: SnapshotStore) -> None:
    other = SnapshotStore(store.root)
    first = store.add("https://example.org/a", b"a", media_type="text/plain")
    second = other.add("https://example.org/b", b"b", media_type="text/plain")
    assert store.snapshots() == other.snapshots() == [first, second]
    third = store.add("https://example.org/c", b"c", media_type="text/plain")
    assert other.snapshots() == [first, second, third]

"""What a snapshot store refuses to trust in its own folder (issue 13): links leading out of it
(nothing is read or written through them), WARC files that inflate beyond its bound (refused in
bounded memory, by reads, ``verify`` and ``rebuild_index`` alike), WARC records without a date
or a URL (``rebuild_index`` leaves them out and says so), index entries of the wrong types."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import tracemalloc
import uuid
import zlib
from pathlib import Path

import pytest

from claimcheck import SnapshotStore
from claimcheck.errors import CorruptSnapshotError, SnapshotStoreError, SnapshotStoreWarning
from claimcheck.model import surt, utc_timestamp
from support import run_cli

URL = "https://example.org/page"
CAPTURED = dt.datetime(2021, 3, 5, 12, tzinfo=dt.UTC)
MiB = 2**20


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "snapshots", create=True)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def entries(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


def warc_record(headers: dict[str, str], payload_size: int, *, fill: bytes = b"\0") -> bytes:
    """One gzipped WARC record of ``payload_size`` bytes of ``fill``, made a megabyte at a time
    so that a payload of gigabytes costs no memory (zeros deflate about a thousand times)."""
    head = "WARC/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head += f"Content-Length: {payload_size}\r\n\r\n"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(head.encode("utf-8"))]
    block = fill * MiB
    whole, rest = divmod(payload_size, MiB)
    parts.extend(compressor.compress(block) for _ in range(whole))
    parts.append(compressor.compress(fill * rest + b"\r\n\r\n"))
    parts.append(compressor.flush())
    return b"".join(parts)


def record_headers(**changes: str | None) -> dict[str, str]:
    headers: dict[str, str | None] = {
        "WARC-Type": "resource",
        "WARC-Record-ID": f"<urn:uuid:{uuid.uuid4()}>",
        "WARC-Target-URI": URL,
        "WARC-Date": "2021-03-05T12:00:00Z",
        "Content-Type": "text/plain",
    }
    headers.update(changes)
    return {name: value for name, value in headers.items() if value is not None}


def plant(store: SnapshotStore, data: bytes, *, length: int, digest: str | None = None) -> str:
    """Put a WARC file into the store by hand, with an index entry for it; its name."""
    name = f"warc/{hashlib.sha256(data).hexdigest()}.warc.gz"
    (store.root / name).write_bytes(data)
    fields = {
        "url": URL,
        "captured": "2021-03-05T12:00:00Z",
        "mime": "text/plain",
        "digest": digest or "sha256:" + "0" * 64,
        "length": length,
        "filename": name,
        "status": None,
        "excerpt": False,
        "origin": "local",
    }
    line = f"{surt(URL)} {utc_timestamp(CAPTURED)} {json.dumps(fields)}\n"
    with (store.root / "index.cdxj").open("a", encoding="utf-8") as index:
        index.write(line)
    return name


def zeros_digest(size: int) -> str:
    digest = hashlib.sha256()
    block = bytes(MiB)
    whole, rest = divmod(size, MiB)
    for _ in range(whole):
        digest.update(block)
    digest.update(bytes(rest))
    return "sha256:" + digest.hexdigest()


def peak_while(action: object) -> int:
    """The most memory Python held while ``action()`` ran (its exception, if any, swallowed:
    the caller checks what it raised on its own)."""
    tracemalloc.start()
    try:
        with contextlib.suppress(Exception):
            action()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------------------------------
# Links leading out of the store


def test_a_warc_folder_linked_out_of_the_store_is_refused(
    store: SnapshotStore, outside: Path
) -> None:
    (store.root / "warc").rmdir()
    (store.root / "warc").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SnapshotStoreError, match="outside"):
        SnapshotStore(store.root).add(URL, b"words", media_type="text/plain")
    assert entries(outside) == []


def test_a_warc_file_linked_out_of_the_store_is_not_read(
    store: SnapshotStore, outside: Path
) -> None:
    snapshot = store.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    inside = store.root / snapshot.path
    moved = outside / inside.name
    inside.rename(moved)
    inside.symlink_to(moved)  # the same bytes, the same name: only the place differs
    with pytest.raises(SnapshotStoreError, match="outside"):
        store.read(snapshot)
    (problem,) = store.verify()
    assert snapshot.path in problem
    assert "outside" in problem
    assert store.rebuild_index() == 0


def test_a_warc_file_linked_to_a_device_is_not_read(store: SnapshotStore) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    snapshot = store.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    inside = store.root / snapshot.path
    inside.unlink()
    inside.symlink_to("/dev/zero")
    with pytest.raises(SnapshotStoreError):
        store.read(snapshot)
    assert len(store.verify()) == 1


def test_a_link_within_the_store_is_followed(store: SnapshotStore) -> None:
    snapshot = store.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    inside = store.root / snapshot.path
    kept = store.root / "kept.warc.gz"
    inside.rename(kept)
    inside.symlink_to(kept)
    assert store.read(snapshot) == b"words"


def test_a_store_named_through_a_link_works(store: SnapshotStore, tmp_path: Path) -> None:
    snapshot = store.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    (tmp_path / "link").symlink_to(store.root, target_is_directory=True)
    linked = SnapshotStore(tmp_path / "link")
    assert linked.read(linked.snapshots()[0]) == b"words"
    assert linked.verify() == []
    added = linked.add(URL, b"more words", media_type="text/plain")
    assert (store.root / added.path).is_file()
    assert snapshot in linked.snapshots()


def test_an_index_linked_out_of_the_store_is_refused(
    store: SnapshotStore, outside: Path, tmp_path: Path
) -> None:
    elsewhere = SnapshotStore(tmp_path / "elsewhere", create=True)
    elsewhere.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    (store.root / "index.cdxj").symlink_to(elsewhere.root / "index.cdxj")
    with pytest.raises(SnapshotStoreError, match="outside"):
        SnapshotStore(store.root).snapshots()


def test_a_lock_linked_out_of_the_store_creates_nothing_outside(
    store: SnapshotStore, outside: Path
) -> None:
    (store.root / "index.lock").symlink_to(outside / "created")
    with pytest.raises(SnapshotStoreError, match=r"index\.lock"):
        store.add(URL, b"words", media_type="text/plain")
    assert entries(outside) == []


def test_a_gitignore_linked_out_of_the_store_is_not_written(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "snapshots"
    (root / "warc").mkdir(parents=True)
    (root / ".gitignore").symlink_to(outside / "written")
    SnapshotStore(root, create=True)
    assert entries(outside) == []


# ------------------------------------------------------------------------------------------
# WARC files that inflate beyond the store's bound


def test_a_warc_inflating_beyond_the_bound_is_refused_in_bounded_memory(
    tmp_path: Path,
) -> None:
    size = 64 * MiB
    store = SnapshotStore(tmp_path / "snapshots", create=True, max_bytes=MiB)
    data = warc_record(record_headers(), size)
    assert len(data) < MiB // 8  # a small file ...
    plant(store, data, length=size, digest=zeros_digest(size))
    (snapshot,) = store.snapshots()
    with pytest.raises(CorruptSnapshotError, match=r"(larger|more) than"):
        store.read(snapshot)
    assert peak_while(lambda: store.read(snapshot)) < 8 * MiB  # ... never inflated whole
    (problem,) = store.verify()
    assert snapshot.path in problem
    skipped: list[str] = []
    assert store.rebuild_index(skipped=skipped) == 0
    assert len(skipped) == 1
    assert snapshot.path in skipped[0]


def test_the_default_bound_keeps_a_bomb_from_filling_memory(store: SnapshotStore) -> None:
    # The case in small: a WARC file of a few hundred kilobytes that inflates to
    # 160 MiB, over the default bound (64 MiB), read with no bound given.
    size = 160 * MiB
    plant(store, warc_record(record_headers(), size), length=size, digest=zeros_digest(size))
    (snapshot,) = store.snapshots()
    with pytest.raises(CorruptSnapshotError):
        store.read(snapshot)
    assert peak_while(lambda: store.read(snapshot)) < 100 * MiB


def test_an_index_length_smaller_than_the_payload_bounds_the_read(store: SnapshotStore) -> None:
    size = 8 * MiB
    plant(store, warc_record(record_headers(), size), length=10, digest=zeros_digest(size))
    (snapshot,) = store.snapshots()
    with pytest.raises(CorruptSnapshotError, match=r"(larger|more) than"):
        store.read(snapshot)
    assert peak_while(lambda: store.read(snapshot)) < 4 * MiB


def test_a_payload_over_the_bound_is_not_added(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True, max_bytes=1000)
    with pytest.raises(SnapshotStoreError, match="larger than"):
        store.add(URL, b"x" * 1001, media_type="text/plain")
    assert store.read(store.add(URL, b"x" * 1000, media_type="text/plain")) == b"x" * 1000


def test_a_response_whose_content_encoding_inflates_is_bounded(tmp_path: Path) -> None:
    # A response record may declare its payload gzip-encoded; warcio decodes it on reading.
    store = SnapshotStore(tmp_path / "snapshots", create=True, max_bytes=MiB)
    size = 64 * MiB
    encoded = gzip.compress(bytes(size), compresslevel=9)
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(encoded)}\r\n\r\n".encode()
    )
    block = http + encoded
    head = "".join(
        f"{name}: {value}\r\n"
        for name, value in record_headers(
            **{"WARC-Type": "response", "Content-Type": "application/http; msgtype=response"}
        ).items()
    )
    raw = f"WARC/1.1\r\n{head}Content-Length: {len(block)}\r\n\r\n".encode() + block + b"\r\n\r\n"
    plant(store, gzip.compress(raw), length=size, digest=zeros_digest(size))
    (snapshot,) = store.snapshots()
    with pytest.raises(CorruptSnapshotError):
        store.read(snapshot)
    assert peak_while(lambda: store.read(snapshot)) < 16 * MiB


def test_the_cli_reports_a_bomb_without_a_traceback(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    size = 80 * MiB
    plant(store, warc_record(record_headers(), size), length=size, digest=zeros_digest(size))
    code, out, err = run_cli("snapshot", "verify", "--snapshots", store.root)
    assert code == 1
    assert "Traceback" not in err
    assert "MemoryError" not in err
    assert "1 captures, 1 problems" in out


# ------------------------------------------------------------------------------------------
# rebuild-index: records it cannot index are left out, and said


@pytest.mark.parametrize("missing", ["WARC-Date", "WARC-Target-URI"])
def test_rebuild_index_leaves_out_a_record_without_date_or_url(
    store: SnapshotStore, missing: str
) -> None:
    good = store.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    bad = warc_record(record_headers(**{missing: None}), 5, fill=b"x")
    name = f"warc/{hashlib.sha256(bad).hexdigest()}.warc.gz"
    (store.root / name).write_bytes(bad)
    skipped: list[str] = []
    assert store.rebuild_index(skipped=skipped) == 1
    assert store.snapshots() == [good]
    (message,) = skipped
    assert name in message
    assert missing in message
    code, out, err = run_cli("snapshot", "rebuild-index", "--snapshots", store.root)
    assert code == 1
    assert "Traceback" not in err
    assert name in err
    assert "index rebuilt: 1 captures (1 files left out)" in out


@pytest.mark.parametrize("date", ["yesterday", "2021-03-05", "0001-01-01T00:00:00Z"])
def test_rebuild_index_leaves_out_a_record_with_a_bad_date(store: SnapshotStore, date: str) -> None:
    bad = warc_record(record_headers(**{"WARC-Date": date}), 5, fill=b"x")
    (store.root / f"warc/{hashlib.sha256(bad).hexdigest()}.warc.gz").write_bytes(bad)
    skipped: list[str] = []
    assert store.rebuild_index(skipped=skipped) == 0
    assert len(skipped) == 1


def test_rebuild_index_leaves_out_a_url_it_cannot_store(store: SnapshotStore) -> None:
    bad = warc_record(record_headers(**{"WARC-Target-URI": "file:///etc/passwd"}), 5, fill=b"x")
    (store.root / f"warc/{hashlib.sha256(bad).hexdigest()}.warc.gz").write_bytes(bad)
    skipped: list[str] = []
    assert store.rebuild_index(skipped=skipped) == 0
    assert len(skipped) == 1


# ------------------------------------------------------------------------------------------
# Index entries of the wrong types (issue 13, item 9)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("archive_url", 5),
        ("archive_url", ["https://web.archive.org/"]),
        ("language", 7),
        ("published", 20210101),
        ("url", 5),
        ("mime", None),
        ("digest", 1),
        ("origin", 3),
        ("excerpt", "yes"),
        ("headers", [["a", 1]]),
        ("headers", "ab"),
        ("length", "5"),
        ("status", "200"),
        ("length", True),
    ],
)
def test_an_index_entry_of_the_wrong_type_is_an_error_naming_the_line(
    store: SnapshotStore, field: str, value: object
) -> None:
    store.add(URL, b"words", media_type="text/plain", captured=CAPTURED)
    index = store.root / "index.cdxj"
    key, stamp, payload = index.read_text(encoding="utf-8").rstrip("\n").split(" ", 2)
    fields = json.loads(payload)
    fields[field] = value
    index.write_text(f"{key} {stamp} {json.dumps(fields)}\n", encoding="utf-8")
    with pytest.warns(SnapshotStoreWarning, match=r"index.cdxj:1: unreadable index entry"):
        assert SnapshotStore(store.root).snapshots() == []
    code, out, err = run_cli("snapshot", "list", "--snapshots", store.root)
    assert code == 0
    assert err.startswith(f"claimcheck: warning: {index}:1: unreadable index entry skipped (")
    code, out, err = run_cli("snapshot", "verify", "--snapshots", store.root)
    assert code == 1
    assert f"{index}:1: unreadable index entry (" in out + err
    assert "Traceback" not in err


def test_an_index_linked_out_is_not_written_through(store: SnapshotStore, outside: Path) -> None:
    # os.replace on a link replaces the link, not what it points to: an index that is a link
    # out of the store is refused before it is written through, and nothing outside changes.
    (outside / "index.cdxj").write_text("", encoding="utf-8")
    (store.root / "index.cdxj").symlink_to(outside / "index.cdxj")
    with pytest.raises(SnapshotStoreError):
        store.add(URL, b"words", media_type="text/plain")
    assert (outside / "index.cdxj").read_text(encoding="utf-8") == ""
    assert os.path.islink(store.root / "index.cdxj")


def test_a_non_string_archive_url_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    # The report of issue 13: an offline check's HTML report crashed on it (TypeError).
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    store.add(
        URL,
        b"<p>we will review every permit</p>",
        media_type="text/html",
        origin="archive",
        archive_url=f"https://web.archive.org/web/2021/{URL}",
    )
    index = store.root / "index.cdxj"
    key, stamp, payload = index.read_text(encoding="utf-8").rstrip("\n").split(" ", 2)
    index.write_text(f"{key} {stamp} {json.dumps({**json.loads(payload), 'archive_url': 5})}\n")
    (tmp_path / "statement.md").write_text("He said we will review every permit.\n")
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "s"\ntext = "statement.md"\n\n[[claim]]\nid = "q"\nkind = "quote"\n'
        f'text = "we will review every permit"\n\n[[claim.source]]\nurl = "{URL}"\n'
        "accessed = 2021-01-01\n",
        encoding="utf-8",
    )
    for form in ("text", "json", "html", "sarif"):
        code, out, err = run_cli(
            "check", "--offline", claims, "--snapshots", store.root, "--format", form
        )
        # Issue 14: the line is skipped with a warning, the check goes on without that capture.
        assert code == 0
        assert "unchecked" in out
        assert f"{index}:1: unreadable index entry skipped (archive_url must be a string" in err
        assert "Traceback" not in err


def test_an_offline_check_reads_a_bomb_as_an_unchecked_source(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    size = 80 * MiB
    plant(store, warc_record(record_headers(), size), length=size, digest=zeros_digest(size))
    (tmp_path / "statement.md").write_text("He said we will review every permit.\n")
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "s"\ntext = "statement.md"\n\n[[claim]]\nid = "q"\nkind = "quote"\n'
        f'text = "we will review every permit"\n\n[[claim.source]]\nurl = "{URL}"\n',
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "check", "--offline", claims, "--snapshots", store.root, "--format", "json"
    )
    assert (code, err) == (0, "")
    (verdict,) = json.loads(out)["claims"][0]["sources"]
    assert (verdict["status"], verdict["reason"]) == ("unchecked", "corrupt-snapshot")
    assert "more than" in verdict["message"]

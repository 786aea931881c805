"""The snapshot store: captured copies of sources, as standard web-archive files.

A store is a folder::

    snapshots/
        index.cdxj                      one line per capture, sorted: SURT key, timestamp, JSON
        warc/<sha256>.warc.gz           one gzipped WARC file per capture, named by its digest
        .cache/                         derived data (extracted text by payload digest), disposable

Each capture is a WARC file written with ``warcio``: a ``warcinfo`` record, then the capture
itself, a ``response`` record (with the HTTP status and headers) when it was fetched over HTTP,
or a ``resource`` record for a document recorded from a local file. A capture that holds only
excerpts of a page is marked ``Claimcheck-Excerpt: true`` and is reported as such, never as the
full page. Any WARC tool (warcio, pywb, the Wayback Machine's own) replays these files.

Safety:

- Writes are atomic: a WARC file is written under a temporary name, flushed to disk and renamed
  into place; so is the index. A crash leaves at most an orphan temporary file, never a
  half-written capture (``rebuild_index`` re-derives the index from the WARC files). A scratch
  store (``durable=False``) skips the flushing: atomic if the process dies, not the machine.
- Two processes adding at once serialise on an exclusive lock of ``index.lock``.
- File names come from digests, never from URLs, and index entries that name anything but
  ``warc/<64 hex digits>.warc.gz`` are refused: nothing read from the index or a source can make
  the store touch a path outside itself.
- Every read checks the file's SHA-256 against its name and the WARC record's payload digest
  (``CorruptSnapshotError`` when either fails).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .._version import __version__
from ..errors import CorruptSnapshotError, SnapshotStoreError
from ..model import Snapshot, as_utc, surt, utc_timestamp

__all__ = ["DEFAULT_STORE", "SnapshotStore", "open_store", "write_atomically"]

_WARC_NAME = re.compile(r"warc/[0-9a-f]{64}\.warc\.gz")
_EXCERPT_HEADER = "Claimcheck-Excerpt"
_ORIGIN_HEADER = "Claimcheck-Origin"
_ARCHIVE_URL_HEADER = "Claimcheck-Archive-URL"
_PUBLISHED_HEADER = "Claimcheck-Published"
_LANGUAGE_HEADER = "Claimcheck-Language"
_SOFTWARE = "claimcheck"


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_atomically(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either absent, as before, or complete.
    With ``sync`` (the default) the file and its folder are flushed to disk, so that this holds
    after a power cut too; without, after a crash of the process only."""
    _replace(path, data, sync=sync)
    if sync:
        _fsync_directory(path.parent)


def _replace(path: Path, data: bytes, *, sync: bool) -> None:
    """Write ``data`` under a temporary name (flushed to disk with ``sync``) and rename it to
    ``path``; the folder is not flushed."""
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=".tmp-", suffix=path.suffix, delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
            os.chmod(handle.name, 0o644)  # temporary files are private; the store's are not
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


DEFAULT_STORE = Path("snapshots")
"""Where the snapshot store is when none is named: ``./snapshots``."""


def open_store(
    location: SnapshotStore | str | os.PathLike[str] | None, *, create: bool = False
) -> SnapshotStore | None:
    """The snapshot store at ``location``: the one rule for finding a store.

    A store object is itself. A named location must be a store (``SnapshotStoreError`` when it
    is not), or is made one with ``create`` (to record captures in). With no location, the
    default store (:data:`DEFAULT_STORE`) is read when it exists, else there is none (``None``:
    every source is then unchecked, never guessed); nothing is ever recorded into a store nobody
    named, so with ``create`` and no location there is none either (record into a temporary
    store).
    """
    if isinstance(location, SnapshotStore):
        return location
    if location is None:
        exists = (DEFAULT_STORE / "warc").is_dir()
        return SnapshotStore(DEFAULT_STORE) if exists and not create else None
    return SnapshotStore(location, create=create)


class SnapshotStore:
    """A folder of captured sources: add captures, find them by URL and date, read them back.

    ``SnapshotStore(path)`` opens an existing store or, with ``create=True``, makes one.
    ``durable=False`` is for a scratch store (a Dask worker's, thrown away after its task):
    nothing is flushed to disk, so writes stay atomic if the process dies, not if the machine
    does.
    """

    def __init__(
        self, root: str | os.PathLike[str], *, create: bool = False, durable: bool = True
    ) -> None:
        self.root = Path(root)
        self.durable = durable
        if create:
            try:
                (self.root / "warc").mkdir(parents=True, exist_ok=True)
                gitignore = self.root / ".gitignore"
                if not gitignore.exists():
                    gitignore.write_text(".cache/\n.tmp-*\nindex.lock\n", encoding="utf-8")
            except OSError as error:
                message = f"cannot create a snapshot store at {root}: {error}"
                raise SnapshotStoreError(message) from None
        elif not (self.root / "warc").is_dir():
            raise SnapshotStoreError(f"{root} is not a snapshot store (no warc/ folder)")
        self._entries: list[Snapshot] | None = None
        self._by_key: dict[str, list[Snapshot]] = {}
        self._index_stat: tuple[int, int] | None = None
        # Each entry as last read or written, with its index line and sort key, by path: an
        # index write re-sorts and re-serialises only what changed.
        self._lines: dict[str, _Indexed] = {}

    def __repr__(self) -> str:
        return f"SnapshotStore({str(self.root)!r})"

    @property
    def cache_dir(self) -> Path:
        """Where derived data (extracted text) is cached; safe to delete."""
        return self.root / ".cache"

    # ---------------------------------------------------------------------------------------
    # Adding

    def add(
        self,
        url: str,
        payload: bytes,
        *,
        media_type: str,
        captured: dt.datetime | dt.date | None = None,
        status: int | None = None,
        headers: Iterable[tuple[str, str]] = (),
        excerpt: bool = False,
        origin: str = "local",
        archive_url: str | None = None,
        request_headers: Iterable[tuple[str, str]] | None = None,
        published: dt.date | None = None,
        language: str | None = None,
    ) -> Snapshot:
        """Record ``payload`` as a capture of ``url`` and return its :class:`Snapshot`.

        With ``status`` (and ``headers``) it is written as an HTTP ``response`` record, preceded
        by a ``request`` record when ``request_headers`` are given; without, as a ``resource``
        record. ``captured`` defaults to now.
        """
        try:
            parts = urlsplit(url)
        except ValueError:  # "http://[x/": an unbalanced IPv6 bracket
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise SnapshotStoreError(f"only http(s) URLs can be captured, not {url!r}")
        try:
            moment = as_utc(captured or dt.datetime.now(dt.UTC))
        except OverflowError:  # 0001-01-01T00:00+05:00 is before the calendar starts in UTC
            moment = dt.datetime.min.replace(tzinfo=dt.UTC)
        if moment.year < 1000:  # WARC-Date and the index write a four-digit year
            raise SnapshotStoreError(
                f"a capture date must be in the years 1000 to 9999 (UTC), not {captured}"
            )
        headers = tuple(headers)
        extra = {_ORIGIN_HEADER: origin}
        if excerpt:
            extra[_EXCERPT_HEADER] = "true"
        if archive_url:
            extra[_ARCHIVE_URL_HEADER] = archive_url
        if published:
            extra[_PUBLISHED_HEADER] = published.isoformat()
        if language:
            extra[_LANGUAGE_HEADER] = language
        warc = self._warc_bytes(
            url, payload, media_type, moment, status, headers, extra, request_headers
        )
        file_digest = hashlib.sha256(warc).hexdigest()
        relative = f"warc/{file_digest}.warc.gz"
        target = self.root / relative
        if not target.exists():
            write_atomically(target, warc, sync=self.durable)
        snapshot = Snapshot(
            url=url,
            captured=moment.replace(microsecond=0),
            media_type=media_type,
            digest="sha256:" + hashlib.sha256(payload).hexdigest(),
            path=relative,
            length=len(payload),
            status=status,
            headers=headers,
            excerpt=excerpt,
            origin=origin,
            archive_url=archive_url,
            published=published,
            language=language,
        )
        with self._locked():
            entries = [entry for entry in self._read_index() if entry.path != relative]
            entries.append(snapshot)
            self._write_index(entries)
        return snapshot

    def add_captures(self, captures: Iterable[tuple[Snapshot, bytes]]) -> list[Snapshot]:
        """Add captures another store made, each as that store indexed it and as the WARC
        file it wrote (:meth:`warc`); return them. A Dask worker captures into a scratch store
        and the audit's client adds the captures to its store this way, so a capture has the
        same file name and index entry, and an observation the same ``snapshot``, wherever it
        was made. Each file must be named by its SHA-256 (else
        :class:`~claimcheck.SnapshotStoreError`, before anything is added); the index is
        written once for all of them."""
        captures = list(captures)
        for snapshot, data in captures:
            if snapshot.path != f"warc/{hashlib.sha256(data).hexdigest()}.warc.gz":
                raise SnapshotStoreError(f"{snapshot.path} does not name the file given for it")
        if not captures:
            return []
        for snapshot, data in captures:
            target = self.root / snapshot.path
            if not target.exists():
                _replace(target, data, sync=self.durable)
        if self.durable:
            _fsync_directory(self.root / "warc")  # once for all the files
        paths = {snapshot.path for snapshot, _ in captures}
        added = [snapshot for snapshot, _ in captures]
        with self._locked():
            kept = [entry for entry in self._read_index() if entry.path not in paths]
            self._write_index(kept + added)
        return added

    def _warc_bytes(
        self,
        url: str,
        payload: bytes,
        media_type: str,
        moment: dt.datetime,
        status: int | None,
        headers: tuple[tuple[str, str], ...],
        extra_headers: dict[str, str],
        request_headers: Iterable[tuple[str, str]] | None,
    ) -> bytes:

        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        warc_date = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        info = writer.create_warcinfo_record(
            f"{hashlib.sha256(payload).hexdigest()}.warc.gz",
            {"software": f"{_SOFTWARE}/{__version__}", "format": "WARC File Format 1.1"},
        )
        writer.write_record(info)
        extra = {"WARC-Date": warc_date, **extra_headers}
        if status is not None:
            if request_headers is not None:
                parts = urlsplit(url)
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                request = writer.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(b""),
                    http_headers=StatusAndHeaders(
                        f"GET {target} HTTP/1.1", list(request_headers), is_http_request=True
                    ),
                    warc_headers_dict={"WARC-Date": warc_date},
                )
                writer.write_record(request)
            http_headers = StatusAndHeaders(
                f"{status} {_reason_phrase(status)}",
                [(name, value) for name, value in headers if name.lower() != "transfer-encoding"]
                or [("Content-Type", media_type)],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(payload),
                length=len(payload),
                http_headers=http_headers,
                warc_headers_dict=extra,
            )
        else:
            record = writer.create_warc_record(
                url,
                "resource",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type=media_type,
                warc_headers_dict=extra,
            )
        writer.write_record(record)
        return buffer.getvalue()

    # ---------------------------------------------------------------------------------------
    # Index

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / "index.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read_index(self) -> list[Snapshot]:
        index = self.root / "index.cdxj"
        try:
            stat = index.stat()
        except FileNotFoundError:
            self._entries, self._by_key, self._index_stat = [], {}, None
            return []
        signature = (stat.st_mtime_ns, stat.st_size)
        if self._entries is not None and self._index_stat == signature:
            return list(self._entries)
        try:
            lines = index.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise SnapshotStoreError(
                f"{index}: unreadable index ({error}); "
                "run 'claimcheck snapshot rebuild-index' to re-derive the index"
            ) from None
        entries = []
        self._lines = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = _entry_from_line(line)
            except (ValueError, KeyError, TypeError) as error:
                raise SnapshotStoreError(
                    f"{index}:{number}: unreadable index entry ({error}); "
                    "run 'claimcheck snapshot rebuild-index' to re-derive the index"
                ) from None
            entries.append(entry)
            self._lines[entry.path] = _Indexed(entry, line)
        self._remember(entries, signature)
        return list(entries)

    def _remember(self, entries: list[Snapshot], signature: tuple[int, int] | None) -> None:
        self._entries, self._index_stat = entries, signature
        self._by_key = {}
        for entry in entries:
            self._by_key.setdefault(self._indexed(entry).order[0], []).append(entry)

    def _indexed(self, entry: Snapshot) -> _Indexed:
        known = self._lines.get(entry.path)
        if known is None or (known.entry is not entry and known.entry != entry):
            known = self._lines[entry.path] = _Indexed(entry, _entry_to_line(entry))
        return known

    def _write_index(self, entries: list[Snapshot]) -> None:
        """Write the index (under the lock), and keep it as this object's view of the index:
        the next read need not parse it again, nor this write serialise the unchanged lines."""
        indexed = sorted((self._indexed(entry) for entry in entries), key=lambda i: i.order)
        text = "".join(item.line + "\n" for item in indexed)
        index = self.root / "index.cdxj"
        write_atomically(index, text.encode("utf-8"), sync=self.durable)
        self._lines = {item.entry.path: item for item in indexed}
        stat = index.stat()
        self._remember([item.entry for item in indexed], (stat.st_mtime_ns, stat.st_size))

    def snapshots(self, url: str | None = None) -> list[Snapshot]:
        """Every capture in the store (of ``url`` only, when given), oldest first per URL."""
        entries = self._read_index()
        if url is None:
            return entries
        return list(self._by_key.get(surt(url), ()))

    def find(
        self, url: str, *, at: dt.datetime | dt.date | None = None, origin: str | None = None
    ) -> Snapshot | None:
        """The capture of ``url`` to use: with ``at``, the latest at or before it (the copy "as
        cited"), else the earliest after it; without, the latest. Full captures are preferred
        to excerpts captured at the same time. ``origin`` keeps only captures of that origin
        (``"archive"``, ``"live"``, ``"local"``)."""
        captures = self.snapshots(url)
        if origin is not None:
            captures = [capture for capture in captures if capture.origin == origin]
        if not captures:
            return None
        if at is None:
            return max(captures, key=lambda c: (c.captured, not c.excerpt))
        moment = as_utc(at)
        if not isinstance(at, dt.datetime):
            moment += dt.timedelta(days=1) - dt.timedelta(seconds=1)  # the whole day counts
        before = [c for c in captures if c.captured <= moment]
        if before:
            return max(before, key=lambda c: (c.captured, not c.excerpt))
        return min(captures, key=lambda c: (c.captured, c.excerpt))

    # ---------------------------------------------------------------------------------------
    # Reading

    def read(self, snapshot: Snapshot) -> bytes:
        """The captured payload, after checking the file's and the record's digests."""
        payload = _payload_of(self.warc(snapshot), snapshot.path)
        if "sha256:" + hashlib.sha256(payload).hexdigest() != snapshot.digest:
            raise CorruptSnapshotError(f"{snapshot.path}: payload differs from the index")
        return payload

    def warc(self, snapshot: Snapshot) -> bytes:
        """The capture's WARC file as stored (its digest checked), for :meth:`add_captures` of
        another store."""
        path = self._path_of(snapshot.path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CorruptSnapshotError(f"{snapshot.path} is missing from the store") from None
        except OSError as error:
            raise SnapshotStoreError(f"cannot read {snapshot.path}: {error}") from None
        if hashlib.sha256(data).hexdigest() != path.name.removesuffix(".warc.gz"):
            raise CorruptSnapshotError(f"{snapshot.path} does not match its digest (truncated?)")
        return data

    def _path_of(self, relative: str) -> Path:
        if not _WARC_NAME.fullmatch(relative):
            raise SnapshotStoreError(
                f"refusing a path outside the store's warc/ files: {relative!r}"
            )
        return self.root / relative

    # ---------------------------------------------------------------------------------------
    # Maintenance

    def verify(self) -> list[str]:
        """Check every capture; return one message per problem (none when all is well)."""
        problems = []
        for snapshot in self.snapshots():
            try:
                self.read(snapshot)
            except SnapshotStoreError as error:
                problems.append(str(error))
        return problems

    def rebuild_index(self) -> int:
        """Re-derive the index from the WARC files (after a crash or a hand edit); return how
        many captures it holds. Files that fail their digest are left out."""
        entries = []
        for path in sorted((self.root / "warc").glob("*.warc.gz")):
            relative = f"warc/{path.name}"
            if not _WARC_NAME.fullmatch(relative):
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != path.name.removesuffix(".warc.gz"):
                continue
            with contextlib.suppress(CorruptSnapshotError):
                entries.append(_entry_from_warc(data, relative))
        with self._locked():
            self._write_index(entries)
        return len(entries)


class _Indexed:
    """An index entry with its line in the index and its sort key."""

    __slots__ = ("entry", "line", "order")

    def __init__(self, entry: Snapshot, line: str) -> None:
        self.entry = entry
        self.line = line
        self.order = (entry.key, entry.captured, entry.path)


def _capture_record_types() -> tuple[str, ...]:
    return ("response", "resource")


def _records(data: bytes) -> contextlib.closing[ArchiveIterator]:
    """The records of a WARC file, closed when the ``with`` block ends: the iterator and its
    generator refer to each other, so left open, the decompressed buffers of a read (as large
    as the capture) would wait for the garbage collector, and pile up over many captures."""
    return contextlib.closing(ArchiveIterator(io.BytesIO(data), check_digests="raise"))


def _payload_of(data: bytes, name: str) -> bytes:
    try:
        with _records(data) as records:
            for record in records:
                if record.rec_type in _capture_record_types():
                    return bytes(record.content_stream().read())
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        raise CorruptSnapshotError(f"{name}: {error}") from None
    raise CorruptSnapshotError(f"{name}: no capture record in the WARC file")


def _entry_from_warc(data: bytes, relative: str) -> Snapshot:
    try:
        with _records(data) as records:
            for record in records:
                if record.rec_type not in _capture_record_types():
                    continue
                headers = record.rec_headers
                payload = bytes(record.content_stream().read())
                http = record.http_headers if record.rec_type == "response" else None
                media_type = (
                    (http.get_header("Content-Type") if http is not None else None)
                    or headers.get_header("Content-Type")
                    or "application/octet-stream"
                )
                date = dt.datetime.strptime(headers.get_header("WARC-Date"), "%Y-%m-%dT%H:%M:%SZ")
                return Snapshot(
                    url=headers.get_header("WARC-Target-URI"),
                    captured=date.replace(tzinfo=dt.UTC),
                    media_type=media_type,
                    digest="sha256:" + hashlib.sha256(payload).hexdigest(),
                    path=relative,
                    length=len(payload),
                    status=int(http.get_statuscode()) if http is not None else None,
                    headers=tuple(http.headers) if http is not None else (),
                    excerpt=headers.get_header(_EXCERPT_HEADER) == "true",
                    origin=headers.get_header(_ORIGIN_HEADER) or "local",
                    archive_url=headers.get_header(_ARCHIVE_URL_HEADER),
                    published=_date_or_none(headers.get_header(_PUBLISHED_HEADER)),
                    language=headers.get_header(_LANGUAGE_HEADER),
                )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        raise CorruptSnapshotError(f"{relative}: {error}") from None
    raise CorruptSnapshotError(f"{relative}: no capture record in the WARC file")


def _entry_to_line(entry: Snapshot) -> str:
    fields = {
        "url": entry.url,
        "captured": entry.captured.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mime": entry.media_type,
        "digest": entry.digest,
        "length": entry.length,
        "filename": entry.path,
        "status": entry.status,
        "excerpt": entry.excerpt,
        "origin": entry.origin,
    }
    if entry.headers:
        fields["headers"] = [list(pair) for pair in entry.headers]
    if entry.archive_url:
        fields["archive_url"] = entry.archive_url
    if entry.published:
        fields["published"] = entry.published.isoformat()
    if entry.language:
        fields["language"] = entry.language
    return f"{entry.key} {utc_timestamp(entry.captured)} {json.dumps(fields, ensure_ascii=False)}"


def _entry_from_line(line: str) -> Snapshot:
    _key, _stamp, payload = line.split(" ", 2)
    fields = json.loads(payload)
    filename = fields["filename"]
    if not isinstance(filename, str) or not _WARC_NAME.fullmatch(filename):
        raise ValueError(f"filename {filename!r} is not a warc/<sha256>.warc.gz name")
    captured = dt.datetime.strptime(fields["captured"], "%Y-%m-%dT%H:%M:%SZ")
    return Snapshot(
        url=str(fields["url"]),
        captured=captured.replace(tzinfo=dt.UTC),
        media_type=str(fields["mime"]),
        digest=str(fields["digest"]),
        path=filename,
        length=int(fields["length"]),
        status=None if fields.get("status") is None else int(fields["status"]),
        headers=tuple((str(n), str(v)) for n, v in fields.get("headers", ())),
        excerpt=bool(fields.get("excerpt", False)),
        origin=str(fields.get("origin", "local")),
        archive_url=fields.get("archive_url"),
        published=_date_or_none(fields.get("published")),
        language=fields.get("language"),
    )


def _date_or_none(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"

"""The snapshot store: captured copies of sources, as standard web-archive files.

A store is a folder::

    snapshots/
        index.cdxj                      one line per capture: SURT key, timestamp, JSON (an
                                        add appends its line; compaction sorts the file)
        warc/<sha256>.warc.gz           one gzipped WARC file per capture (or failure record),
                                        named by its digest
        .cache/                         derived data (extracted text by payload digest), disposable

Each capture is a WARC file written with ``warcio``: a ``warcinfo`` record, then the capture
itself, a ``response`` record (with the HTTP status and headers) when it was fetched over HTTP,
or a ``resource`` record for a document recorded from a local file. A capture that holds only
excerpts of a page is marked ``Claimcheck-Excerpt: true`` and is reported as such, never as the
full page. Any WARC tool (warcio, pywb, the Wayback Machine's own) replays these files.

A fetch or an archive lookup that brought no copy is kept as a *failure record*, a WARC file
with a ``metadata`` record, indexed beside the captures (:meth:`SnapshotStore.add_failure`;
why this shape: ``_failures.py``). :meth:`SnapshotStore.failures` lists them; they are not
captures (:meth:`SnapshotStore.snapshots` and :meth:`SnapshotStore.find` never return one).

Safety:

- Writes are atomic: a WARC file is written under a temporary name, flushed to disk and renamed
  into place, before its index line is appended (one write, flushed to disk); compaction
  rewrites the index the same way as a WARC file is written. A crash leaves at most an orphan
  temporary file, never a half-written capture, and at most a last index line cut short,
  which is no entry, is not warned about and is cut off by the next write (its capture is
  complete: ``rebuild_index`` re-derives the index from the WARC files). Why the index grows
  by appends, and how readers follow it: ``_index_file.py``. A scratch store
  (``durable=False``) skips the flushing: atomic if the process dies, not the machine.
- Two processes adding at once serialise on an exclusive lock of ``index.lock``; each reads
  the other's appended lines before it appends its own.
- File names come from digests, never from URLs, and index entries that name anything but
  ``warc/<64 hex digits>.warc.gz`` are refused: nothing read from the index or a source can make
  the store touch a path outside itself.
- Nor can a link in the store: every file is read and written by its path with links resolved,
  and only when that is inside the store (its root resolved once, on opening: a store may be
  named through a link); a link leading out is an error, never followed. Files are read only
  when they are regular files (never a device or a FIFO put in the store's place).
- Every read checks the file's SHA-256 against its name and the WARC record's payload digest
  (``CorruptSnapshotError`` when either fails), and is bounded: a WARC file is inflated (gzip)
  to at most its capture's length (as indexed, and at most ``max_bytes``, 64 MiB by default)
  plus room for its headers, and a capture larger than that is refused as corrupt, so a small
  file that would inflate to gigabytes is never inflated whole. A capture larger than
  ``max_bytes`` is not added.
- The index is validated entry by entry (every field of its type); a line that fails is
  skipped with a :class:`~claimcheck.errors.SnapshotStoreWarning` naming it (one bad line
  must not make every capture unreadable), kept as it is by appends and compaction,
  reported by ``verify`` and dropped only by ``rebuild_index``, which re-derives it.
  ``rebuild_index`` leaves out, and reports, each file it cannot index (a
  digest that fails, a record without a date or an http(s) URL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urlsplit

from warcio.statusandheaders import StatusAndHeaders

from ..documents import read_regular_file, resolve_within
from ..errors import (
    ConfigurationError,
    CorruptSnapshotError,
    SnapshotStoreError,
    SnapshotStoreWarning,
)
from ..model import Reason, Snapshot, as_utc, surt, well_formed
from ._atomic import fsync_directory, replace_file, write_atomically
from ._failures import (
    FailureRecord,
    failure_from_body,
    new_failure,
)
from ._index import WARC_NAME, Entry, date_or_none
from ._index_file import IndexFile
from ._warc import (
    HEADROOM,
    ascii_header,
    gzip_bytes,
    gzip_chunks,
    indexed_record,
    inflate,
    is_failure,
    new_warc,
    payload_of,
    url_problem,
)

__all__ = ["DEFAULT_STORE", "SnapshotStore", "open_store", "write_atomically"]

_CACHE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_WARC_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z")
_MAX_BYTES = 64 * 2**20
T = TypeVar("T")
_EXCERPT_HEADER = "Claimcheck-Excerpt"
_ORIGIN_HEADER = "Claimcheck-Origin"
_ARCHIVE_URL_HEADER = "Claimcheck-Archive-URL"
_PUBLISHED_HEADER = "Claimcheck-Published"
_LANGUAGE_HEADER = "Claimcheck-Language"
_REDIRECTED_TO_HEADER = "Claimcheck-Redirected-To"
# What a request line keeps as written (RFC 3986 reserved characters, and "%" for the escapes a
# URL already has); the rest (non-ASCII, spaces) is percent-encoded as UTF-8, as HTTP clients
# send it.
_REQUEST_TARGET_SAFE = "!#$%&'()*+,/:;=?@[]~"


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
    does. ``max_bytes`` is the largest capture (payload) the store adds and reads back (64 MiB
    unless told): see the module documentation.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        create: bool = False,
        durable: bool = True,
        max_bytes: int = _MAX_BYTES,
    ) -> None:
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ConfigurationError(f"max_bytes must be a whole number, 1 or more: {max_bytes!r}")
        self.root = Path(root)
        self.durable = durable
        self.max_bytes = max_bytes
        if create:
            try:
                (self.root / "warc").mkdir(parents=True, exist_ok=True)
            except OSError as error:
                message = f"cannot create a snapshot store at {root}: {error}"
                raise SnapshotStoreError(message) from None
        elif not (self.root / "warc").is_dir():
            raise SnapshotStoreError(f"{root} is not a snapshot store (no warc/ folder)")
        # Where the store is, a link naming it followed once, here: no path in it may lead
        # out of this folder.
        self._real = Path(os.path.realpath(self.root))
        self._inside("warc")
        if create:
            self._write_gitignore()
        # The index as this object last read or wrote it (appended to, followed, compacted).
        self._cdxj = IndexFile(
            self.root / "index.cdxj", lambda: self._inside("index.cdxj"), durable=durable
        )

    def _inside(self, relative: str) -> Path:
        """The store's file ``relative``, links resolved: :class:`SnapshotStoreError` when that
        leads out of the store.

        The store's own folder is resolved once; where no part of ``relative`` is a link (the
        usual case, asked for every capture read or written), the file is that folder joined
        with it, found with one ``lstat`` a part instead of resolving the whole path again
        (which cost a tenth of an audit's CPU)."""
        candidate = self._real
        parts = Path(relative).parts
        for part in parts:
            if part in ("..", ".") or os.path.isabs(part):
                break
            candidate = candidate / part
            if os.path.islink(candidate):
                break
        else:
            if parts:
                return candidate
        try:
            return resolve_within(self.root / relative, self._real)
        except PermissionError as error:
            raise SnapshotStoreError(
                f"{self.root / relative} leads outside the snapshot store ({error})"
            ) from None

    def _write_gitignore(self) -> None:
        gitignore = self.root / ".gitignore"
        if os.path.lexists(gitignore):  # a link too: never written through
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            descriptor = os.open(gitignore, flags, 0o644)
        except FileExistsError:
            return
        except OSError as error:
            message = f"cannot create a snapshot store at {self.root}: {error}"
            raise SnapshotStoreError(message) from None
        with os.fdopen(descriptor, "wb") as file:
            file.write(b".cache/\n.tmp-*\nindex.lock\n")

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
        redirected_to: str | None = None,
    ) -> Snapshot:
        """Record ``payload`` as a capture of ``url`` and return its :class:`Snapshot`.

        With ``status`` (and ``headers``) it is written as an HTTP ``response`` record, preceded
        by a ``request`` record when ``request_headers`` are given; without, as a ``resource``
        record. ``captured`` defaults to now. Text is stored well-formed
        (:func:`~claimcheck.model.well_formed`): the WARC file and the index are UTF-8.
        """
        url = well_formed(url)
        problem = url_problem(url)
        if problem is not None:
            raise SnapshotStoreError(problem)
        try:
            moment = as_utc(captured or dt.datetime.now(dt.UTC))
        except OverflowError:  # 0001-01-01T00:00+05:00 is before the calendar starts in UTC
            moment = dt.datetime.min.replace(tzinfo=dt.UTC)
        if moment.year < 1000:  # WARC-Date and the index write a four-digit year
            raise SnapshotStoreError(
                f"a capture date must be in the years 1000 to 9999 (UTC), not {captured}"
            )
        if len(payload) > self.max_bytes:
            raise SnapshotStoreError(
                f"the capture of {url} is larger than {self.max_bytes:,} bytes, "
                "the largest this store holds"
            )
        headers = tuple((ascii_header(name), ascii_header(value)) for name, value in headers)
        extra = _record_headers(
            origin,
            excerpt=excerpt,
            archive_url=archive_url,
            published=published,
            language=language,
            redirected_to=redirected_to,
        )
        warc = self._warc_bytes(
            url, payload, media_type, moment, status, headers, extra, request_headers
        )
        file_digest = hashlib.sha256(warc).hexdigest()
        relative = f"warc/{file_digest}.warc.gz"
        target = self._inside(relative)
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
            redirected_to=redirected_to or None,
        )
        self._index(snapshot)
        return snapshot

    def _index(self, entry: Entry) -> None:
        """Add ``entry`` to the index (under the lock), in place of any entry of its file."""
        with self._locked():
            self._cdxj.append([entry])

    def add_failure(
        self,
        url: str,
        reason: Reason,
        message: str,
        *,
        origin: str,
        recorded: dt.datetime | None = None,
    ) -> FailureRecord:
        """Record that the live fetch (``origin="live"``) or the archive lookup
        (``origin="archive"``) of ``url`` failed, for ``reason`` (the message saying it for
        people), at ``recorded`` (now by default); return the record's index entry. Written as
        a capture is (see the module documentation and ``_failures.py``)."""
        url = well_formed(url)
        problem = url_problem(url)
        if problem is not None:
            raise SnapshotStoreError(problem)
        moment = as_utc(recorded or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        try:
            if moment.year < 1000:  # WARC-Date and the index write a four-digit year
                raise ValueError(f"a failure's date must be in the years 1000 to 9999: {moment}")
            warc, failure = new_failure(url, reason, message, origin, moment)
        except ValueError as error:  # the date, or an origin other than "live" or "archive"
            raise SnapshotStoreError(str(error)) from None
        target = self._inside(failure.path)
        if not target.exists():
            write_atomically(target, warc, sync=self.durable)
        self._index(failure)
        return failure

    def add_captures(self, captures: Iterable[tuple[Snapshot, bytes]]) -> list[Snapshot]:
        """Add captures another store made, each as that store indexed it and as the WARC
        file it wrote (:meth:`warc`); return them. A Dask worker captures into a scratch store
        and the audit's client adds the captures to its store this way, so a capture has the
        same file name and index entry, and an observation the same ``snapshot``, wherever it
        was made. Each file must be named by its SHA-256 (else
        :class:`~claimcheck.SnapshotStoreError`, before anything is added); their index lines
        are appended in one write."""
        captures = list(captures)
        for snapshot, data in captures:
            if snapshot.path != f"warc/{hashlib.sha256(data).hexdigest()}.warc.gz":
                raise SnapshotStoreError(f"{snapshot.path} does not name the file given for it")
        if not captures:
            return []
        for snapshot, data in captures:
            target = self._inside(snapshot.path)
            if not target.exists():
                replace_file(target, data, sync=self.durable)
        if self.durable:
            fsync_directory(self._inside("warc"))  # once for all the files
        added = [snapshot for snapshot, _ in captures]
        with self._locked():
            self._cdxj.append(added)
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

        buffer, writer = new_warc(hashlib.sha256(payload).hexdigest())
        warc_date = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        extra = {"WARC-Date": warc_date, **extra_headers}
        if status is not None:
            if request_headers is not None:
                parts = urlsplit(url)
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                target = quote(target, safe=_REQUEST_TARGET_SAFE)
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
        path = self._inside("index.lock")
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            descriptor = os.open(path, flags, 0o644)
        except OSError as error:
            raise SnapshotStoreError(f"cannot lock {self.root / 'index.lock'}: {error}") from None
        with os.fdopen(descriptor, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def compact(self) -> int:
        """Rewrite the index sorted, one line per entry (see ``_index_file.py``), atomically;
        return how many entries it holds. Lines an add left cut short are left out; lines
        that cannot be read are kept (``rebuild_index`` re-derives them). An add compacts the
        index itself when it holds more than twice as many lines as entries."""
        with self._locked():
            self._cdxj.rewrite()
        return len(self._cdxj.entries())

    def snapshots(self, url: str | None = None) -> list[Snapshot]:
        """Every capture in the store (of ``url`` only, when given), oldest first per URL."""
        self._cdxj.refresh()
        entries = self._cdxj.entries() if url is None else self._cdxj.entries_of(surt(url))
        return [entry for entry in entries if isinstance(entry, Snapshot)]

    def failures(self, url: str | None = None) -> list[FailureRecord]:
        """Every failure record in the store (of ``url`` only, when given: of every URL with
        its SURT key, as :meth:`snapshots`), oldest first per URL."""
        self._cdxj.refresh()
        entries = self._cdxj.entries() if url is None else self._cdxj.entries_of(surt(url))
        return [entry for entry in entries if isinstance(entry, FailureRecord)]

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
        """The captured payload, after checking the file's and the record's digests. A payload
        larger than the index says, or than the store's ``max_bytes``, is refused as corrupt
        (:class:`~claimcheck.CorruptSnapshotError`) without being inflated whole."""
        limit = min(max(snapshot.length, 0), self.max_bytes)
        payload = payload_of(self.warc(snapshot), snapshot.path, limit)
        if "sha256:" + hashlib.sha256(payload).hexdigest() != snapshot.digest:
            raise CorruptSnapshotError(f"{snapshot.path}: payload differs from the index")
        return payload

    def warc(self, snapshot: Snapshot) -> bytes:
        """The capture's WARC file as stored (its digest checked), for :meth:`add_captures` of
        another store."""
        return self._warc_file(self._path_of(snapshot.path))

    def _warc_file(self, relative: str) -> bytes:
        """A WARC file of the store, read only when it is a regular file inside the store, no
        larger than a capture may be, and named by its digest."""
        try:
            data = read_regular_file(
                self._inside(relative), max_bytes=self.max_bytes + HEADROOM, resolved=True
            )
        except FileNotFoundError:
            raise CorruptSnapshotError(f"{relative} is missing from the store") from None
        except SnapshotStoreError as error:
            raise CorruptSnapshotError(str(error)) from None
        except OSError as error:
            raise CorruptSnapshotError(f"cannot read {relative}: {error}") from None
        if hashlib.sha256(data).hexdigest() != relative.removeprefix("warc/")[:64]:
            raise CorruptSnapshotError(f"{relative} does not match its digest (truncated?)")
        return data

    def _path_of(self, relative: str) -> str:
        if not WARC_NAME.fullmatch(relative):
            raise SnapshotStoreError(
                f"refusing a path outside the store's warc/ files: {relative!r}"
            )
        return relative

    # ---------------------------------------------------------------------------------------
    # Derived data

    def read_cache(self, name: str, *, max_bytes: int) -> bytes | None:
        """The derived data ``name`` (a path such as ``"text/<file>.json.gz"`` in
        :attr:`cache_dir`), gzip-inflated; ``None`` when it is absent, or cannot be trusted to
        be read: a link leading out of the store, not a regular file, damaged, or more than
        ``max_bytes`` inflated. (Derived data is derived again, then.)"""
        try:
            path = self._cache_path(name)
            data = read_regular_file(path, max_bytes=max_bytes, resolved=True)
            return inflate(data, max_bytes, name)
        except (OSError, CorruptSnapshotError):  # SnapshotStoreError is an OSError
            return None

    def write_cache(self, name: str, data: bytes | Iterable[bytes | memoryview]) -> None:
        """Keep ``data`` (gzipped) as the derived data ``name`` (see :meth:`read_cache`),
        atomically; nothing when it cannot be written (a read-only store: derived data is an
        optimisation) or its folder would lead out of the store. ``data`` may come in chunks,
        compressed and written one by one: large derived data is never held whole."""
        try:
            path = self._cache_path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._cache_path(name)  # the folders just made are still inside
            replace_file(
                path,
                gzip_bytes(data) if isinstance(data, bytes) else gzip_chunks(data),
                sync=False,
            )
        except OSError:
            pass

    def cache_names(self, folder: str) -> list[str]:
        """The names of the derived data in ``folder`` of :attr:`cache_dir` (``"text"``), for
        :meth:`read_cache`; none when the folder leads out of the store."""
        try:
            path = self._cache_path(folder)
            found = sorted(entry.name for entry in path.iterdir())
        except OSError:
            return []
        return [f"{folder}/{name}" for name in found if _CACHE_NAME.fullmatch(name)]

    def _cache_path(self, name: str) -> Path:
        if not _CACHE_NAME.fullmatch(name) or ".." in name.split("/"):
            raise SnapshotStoreError(f"not a name of derived data: {name!r}")
        return self._inside(f".cache/{name}")

    # ---------------------------------------------------------------------------------------
    # Maintenance

    def verify(self) -> list[str]:
        """Check every capture and failure record; return one message per problem (none when
        all is well)."""
        problems = []
        with warnings.catch_warnings():  # each is one of the problems returned
            warnings.simplefilter("ignore", SnapshotStoreWarning)
            self._cdxj.refresh()
        entries = self._cdxj.entries()
        problems += [
            f"{item.where}: unreadable index entry ({item.why}); "
            "run 'claimcheck snapshot rebuild-index' to re-derive the index"
            for item in self._cdxj.unreadable
        ]
        for entry in entries:
            try:
                if isinstance(entry, Snapshot):
                    self.read(entry)
                else:
                    self._check_failure(entry)
            except SnapshotStoreError as error:
                problems.append(str(error))
        return problems

    def _check_failure(self, failure: FailureRecord) -> None:
        """:class:`CorruptSnapshotError` unless the failure record's file holds what its index
        entry says (read as the index is built from it: :meth:`rebuild_index`)."""
        data = self._warc_file(self._path_of(failure.path))
        if _entry_from_warc(data, failure.path, self) != failure:
            raise CorruptSnapshotError(f"{failure.path}: the failure record differs from the index")

    def rebuild_index(self, *, skipped: list[str] | None = None) -> int:
        """Re-derive the index from the WARC files (after a crash or a hand edit); return how
        many entries it holds (captures and failure records). Files it cannot index are left
        out: one that fails its digest, leads out of the store, inflates beyond the store's
        bound, or holds no capture or failure record with a date and an http(s) URL; given a
        ``skipped`` list, why each was left out is appended to it."""
        entries = []
        for path in sorted(self._inside("warc").glob("*.warc.gz")):
            relative = f"warc/{path.name}"
            if not WARC_NAME.fullmatch(relative):
                continue
            try:
                entries.append(_entry_from_warc(self._warc_file(relative), relative, self))
            except CorruptSnapshotError as error:
                if skipped is not None:
                    skipped.append(str(error))
        with self._locked():
            self._cdxj.rewrite(entries, keep_unreadable=False)
        return len(self._cdxj.entries())


def _record_headers(
    origin: str,
    *,
    excerpt: bool,
    archive_url: str | None,
    published: dt.date | None,
    language: str | None,
    redirected_to: str | None,
) -> dict[str, str]:
    """The WARC headers claimcheck adds to a capture's record: its origin, and those of the
    rest it has (read back by :func:`_entry_from_warc`)."""
    optional = {
        _EXCERPT_HEADER: "true" if excerpt else None,
        _ARCHIVE_URL_HEADER: archive_url,
        _PUBLISHED_HEADER: published.isoformat() if published else None,
        _LANGUAGE_HEADER: language,
        _REDIRECTED_TO_HEADER: redirected_to,
    }
    return {_ORIGIN_HEADER: origin, **{name: value for name, value in optional.items() if value}}


def _entry_from_warc(data: bytes, relative: str, store: SnapshotStore) -> Entry:
    """The index entry of a WARC file (for :meth:`SnapshotStore.rebuild_index`), or
    :class:`CorruptSnapshotError` saying why there can be none."""
    record, payload = indexed_record(data, relative, store.max_bytes)
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    date = headers.get_header("WARC-Date")
    if not url or url_problem(url):
        raise CorruptSnapshotError(f"{relative}: no http(s) WARC-Target-URI ({url!r})")
    if not date or not _WARC_DATE.fullmatch(date) or date < "1000":
        raise CorruptSnapshotError(f"{relative}: no WARC-Date of a capture ({date!r})")
    http = record.http_headers if record.rec_type == "response" else None
    try:
        status = int(http.get_statuscode()) if http is not None else None
        published = date_or_none(headers.get_header(_PUBLISHED_HEADER))
    except (ValueError, TypeError) as error:
        raise CorruptSnapshotError(f"{relative}: {error}") from None
    media_type = (
        (http.get_header("Content-Type") if http is not None else None)
        or headers.get_header("Content-Type")
        or "application/octet-stream"
    )
    try:
        captured = dt.datetime.fromisoformat(date[:19]).replace(tzinfo=dt.UTC)
    except ValueError:
        raise CorruptSnapshotError(f"{relative}: no WARC-Date of a capture ({date!r})") from None
    if is_failure(record):
        return failure_from_body(payload, relative, url, captured)
    return Snapshot(
        url=url,
        captured=captured,
        media_type=media_type,
        digest="sha256:" + hashlib.sha256(payload).hexdigest(),
        path=relative,
        length=len(payload),
        status=status,
        headers=tuple(http.headers) if http is not None else (),
        excerpt=headers.get_header(_EXCERPT_HEADER) == "true",
        origin=headers.get_header(_ORIGIN_HEADER) or "local",
        archive_url=headers.get_header(_ARCHIVE_URL_HEADER),
        published=published,
        language=headers.get_header(_LANGUAGE_HEADER),
        redirected_to=headers.get_header(_REDIRECTED_TO_HEADER),
    )


def _reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"

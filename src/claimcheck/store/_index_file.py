"""The snapshot store's index file, ``index.cdxj``, as one process knows it: read whole once,
then followed by the lines appended to it; an add appends its own line; compaction rewrites it
sorted.

Why this shape (issue 17): rewriting the whole index on every add made adding the n-th capture
cost O(n) (13 ms at 4,000 captures), quadratic for a long-lived store or a one-process audit.
Web-archive indexers (pywb's ``wb-manager``, ``cdxj-indexer``) write CDXJ lines and sort
later; here every add appends one line, so an add costs the same at 100 captures as at 100,000
(``benchmarks/store_add.py``):

- **An append** is made under the store's lock (``index.lock``), to a file opened with
  ``O_APPEND``, the whole line (or the lines of one :meth:`IndexFile.append`) in one
  ``write``, flushed to disk as the store's WARC files are (``durable``). Another process's
  lines are read first, under the same lock, so two processes adding at once lose nothing and
  a capture indexed already is not indexed again.
- **A line cut short** (a kill or a power cut in mid-write leaves bytes after the last
  ``"\\n"`` that do not read, zeros after a power cut) is no entry, and is not warned about:
  every line claimcheck writes ends with its ``"\\n"`` in the same write, so such bytes can
  only be a write that did not finish, and the capture's WARC file, written and renamed
  before its line, is complete (``rebuild-index`` indexes it again, as after a crash before
  the index was written). The next append, made under the lock, cuts them off first
  (``ftruncate``), and compaction leaves them out. A last line without its ``"\\n"`` that
  reads (a hand edit) is an entry, and the next append writes the ``"\\n"`` first. A line
  that does not read and is followed by others is an unreadable line, as before: skipped
  with one :class:`~claimcheck.errors.SnapshotStoreWarning`, kept by appends and compaction,
  dropped by ``rebuild-index``.
- **A reader** keeps what it read (every entry by file name, and by SURT key) and, when the
  file has grown, reads only the bytes after the last whole line it read (its view is
  updated in place). It reads the file whole again when the file is another one (compaction
  renamed a new file into place), shorter, or changed without growing, or when the last
  4 KiB it read before that point differ (an edit, not an append).
- **The later line of a file wins**: the same WARC file indexed twice (:meth:`add_captures`
  with another entry for it) is the entry of its later line. Failure records keep their
  meaning, as their order is by date, not by line (the newest outcome of a URL wins:
  :func:`claimcheck.checking.stored_copies`).
- **Compaction** rewrites the index sorted (SURT key, date, file name), one line per entry,
  the unreadable lines kept at its end, atomically (a temporary file renamed into place), under
  the lock: on :meth:`~claimcheck.store.SnapshotStore.compact`, on ``rebuild-index`` (which
  re-derives the entries), and when an append leaves more than twice as many lines as
  entries (plus :data:`COMPACT_SLACK`): lines of a file indexed again are dead lines. So the
  file never grows past a bound of its entries, and compaction, O(n), comes at most once per
  n dead lines: O(1) an add, amortised. Plain adds make no dead lines and never compact; the
  index is then sorted up to its appended lines (claimcheck reads it whole and needs no
  order; a tool that binary-searches a CDXJ file needs it compacted first).
"""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import SnapshotStoreError
from ._atomic import fsync_directory, write_atomically
from ._index import Entry, Indexed, Unreadable, entry_to_line, parse_line, parse_lines
from ._index import warn_unreadable as _warn

__all__ = ["COMPACT_FACTOR", "COMPACT_SLACK", "MAX_INDEX_BYTES", "IndexFile"]

MAX_INDEX_BYTES = 2**30
COMPACT_FACTOR = 2
"""Compaction comes when the index has more lines than this many times its entries ..."""
COMPACT_SLACK = 100
"""... plus this many (so that a small index is not rewritten for a few dead lines)."""
_CHECKED = 4096  # bytes before the end of what was read that tell an append from an edit
_READ = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
_APPEND = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


class IndexFile:
    """The index ``index.cdxj`` of one store, as this object last read or wrote it.

    ``name`` is the index as messages name it; ``locate()`` gives its path, links resolved
    (:class:`~claimcheck.SnapshotStoreError` when that leads out of the store), asked for
    every read and write. An index that cannot be read is a :class:`SnapshotStoreError`
    saying to rebuild it; an error writing it is the :class:`OSError` as it came.
    :meth:`append` and :meth:`rewrite` are called under the store's lock."""

    def __init__(self, name: Path, locate: Callable[[], Path], *, durable: bool) -> None:
        self.name = name
        self._locate = locate
        self._durable = durable
        self._clear()

    def _clear(self) -> None:
        self._by_path: dict[str, Indexed] = {}
        self._by_key: dict[str, list[Indexed]] = {}
        self._sorted: list[Entry] | None = None
        self.unreadable: list[Unreadable] = []
        # What was read: the file (device, inode, size, mtime), how far (through its last
        # whole line), how many lines that was, the bytes just before, the bytes after it, and
        # whether those were a last line that reads without its "\n".
        self._seen: tuple[int, int, int, int] | None = None
        self._offset = 0
        self._lines = 0
        self._before = b""
        self._tail = b""
        self._open_line = False

    # ---------------------------------------------------------------------------------------
    # What the index holds

    def entries(self) -> list[Entry]:
        """Every entry, sorted by SURT key, date and file name (this object's list: copy it
        before handing it out)."""
        if self._sorted is None:
            ordered = sorted(self._by_path.values(), key=lambda item: item.order)
            self._sorted = [item.entry for item in ordered]
        return self._sorted

    def entries_of(self, key: str) -> list[Entry]:
        """The entries of the SURT key ``key``, sorted by date and file name."""
        return [item.entry for item in self._by_key.get(key, ())]

    def holds(self, entry: Entry) -> bool:
        known = self._by_path.get(entry.path)
        return known is not None and (known.entry is entry or known.entry == entry)

    def _put(self, item: Indexed) -> None:
        """Make ``item`` the entry of its file (a later line of a file wins)."""
        known = self._by_path.get(item.entry.path)
        if known is not None:
            self._by_key[known.order[0]].remove(known)
        self._by_path[item.entry.path] = item
        same_key = self._by_key.setdefault(item.order[0], [])
        if not same_key or same_key[-1].order <= item.order:  # in order, as a sorted file is
            same_key.append(item)
        else:
            bisect.insort(same_key, item, key=lambda i: i.order)
        self._sorted = None

    # ---------------------------------------------------------------------------------------
    # Reading

    def refresh(self) -> None:
        """Bring this view up to date with the file: nothing to read when it has not changed
        (one ``stat``), the appended lines when it has grown, else the whole file."""
        path = self._locate()
        try:
            seen = os.stat(path)
        except FileNotFoundError:
            if self._seen is not None or self._by_path or self.unreadable:
                self._clear()
            return
        if self._seen == _signature(seen):
            return
        try:
            descriptor = os.open(path, _READ)
        except OSError as error:
            raise self._unreadable(error) from None
        try:
            self._follow(descriptor)
        finally:
            os.close(descriptor)

    def _unreadable(self, error: OSError) -> SnapshotStoreError:
        return SnapshotStoreError(
            f"{self.name}: unreadable index ({error}); "
            "run 'claimcheck snapshot rebuild-index' to re-derive the index"
        )

    def _follow(self, descriptor: int) -> None:
        """Read what is new in the open index file (:class:`SnapshotStoreError` when it
        cannot be read)."""
        try:
            self._read_new(descriptor)
        except SnapshotStoreError:
            raise
        except OSError as error:
            raise self._unreadable(error) from None

    def _read_new(self, descriptor: int) -> None:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise OSError(f"{self.name} is not a regular file")
        if opened.st_size > MAX_INDEX_BYTES:
            raise OSError(f"{self.name} is larger than {MAX_INDEX_BYTES:,} bytes")
        signature = _signature(opened)
        if signature == self._seen:
            return
        appended = (
            self._seen is not None
            and signature[:2] == self._seen[:2]
            and signature[2] > self._seen[2]
            and _read(descriptor, self._offset - len(self._before), len(self._before))
            == self._before
        )
        if not appended:
            self._clear()
        data = _read(descriptor, self._offset, opened.st_size - self._offset)
        self._seen = signature
        self._take(data, warn=True)

    def _take(self, data: bytes, *, warn: bool) -> None:
        """Take in the index bytes ``data``, read from where this view ends."""
        end = data.rfind(b"\n") + 1
        read, unreadable, lines = parse_lines(data[:end], self._lines + 1, self.name)
        for item in read:
            self._put(item)
        self._advance(data[:end], lines)
        self._tail = data[end:]
        # Bytes after the last "\n": a line that reads without its "\n" (a hand edit) is an
        # entry; anything else is a write cut short, no entry and nothing to warn about.
        last = parse_line(self._tail) if self._tail else None
        self._open_line = isinstance(last, Indexed)
        if isinstance(last, Indexed):
            self._put(last)
        self.unreadable += unreadable
        if unreadable and warn:
            _warn(self.name, unreadable)

    def _advance(self, data: bytes, lines: int) -> None:
        """Move this view's end past ``data``, ``lines`` whole lines read."""
        self._offset += len(data)
        self._lines += lines
        self._before = (self._before + data)[-_CHECKED:]

    # ---------------------------------------------------------------------------------------
    # Writing (under the store's lock)

    def append(self, entries: Sequence[Entry]) -> None:
        """Add ``entries`` at the end of the index, one line each, in one write; those it
        holds already are left out. Another process's appends are read first; a line cut
        short at the end is cut off; the index is compacted when it has grown past
        :data:`COMPACT_FACTOR` times its entries."""
        path = self._locate()
        created = not os.path.lexists(path)
        descriptor = os.open(path, _APPEND, 0o644)
        try:
            self._follow(descriptor)
            items = [Indexed(entry, entry_to_line(entry)) for entry in entries]
            items = [item for item in items if not self.holds(item.entry)]
            if not items:
                return
            data = "".join(item.line + "\n" for item in items).encode("utf-8")
            if self._open_line:  # its "\n" first: a hand edit left the last line without one
                _write(descriptor, b"\n")
                self._advance(self._tail + b"\n", 1)
            elif os.fstat(descriptor).st_size > self._offset:  # a line cut short: cut it off
                os.ftruncate(descriptor, self._offset)
            _write(descriptor, data)
            if self._durable:
                os.fsync(descriptor)
            self._seen = _signature(os.fstat(descriptor))
            self._advance(data, len(items))
            self._open_line, self._tail = False, b""
            for item in items:
                self._put(item)
        finally:
            os.close(descriptor)
        if created and self._durable:
            fsync_directory(path.parent)
        live = len(self._by_path) + len(self.unreadable)
        if self._lines > COMPACT_FACTOR * live + COMPACT_SLACK:
            self.rewrite()

    def rewrite(
        self, entries: Sequence[Entry] | None = None, *, keep_unreadable: bool = True
    ) -> None:
        """Compact the index: write it sorted, one line per entry, atomically (``entries``
        in place of those it holds, for ``rebuild-index``), with the unreadable lines at its
        end unless told otherwise."""
        if entries is None:
            self.refresh()
            items = sorted(self._by_path.values(), key=lambda item: item.order)
        else:
            known = self._by_path
            items = [
                known[entry.path] if self.holds(entry) else Indexed(entry, entry_to_line(entry))
                for entry in entries
            ]
            items.sort(key=lambda item: item.order)
        kept = self.unreadable if keep_unreadable else []
        data = "".join(item.line + "\n" for item in items).encode("utf-8")
        data += b"".join(item.raw + b"\n" for item in kept)
        path = self._locate()
        write_atomically(path, data, sync=self._durable)
        if entries is None:  # the entries are those this view holds: only the file is new
            views = self._by_path, self._by_key
            self._clear()
            self._by_path, self._by_key = views
        else:
            self._clear()
            for item in items:
                self._put(item)
        self._sorted = [item.entry for item in items]
        self.unreadable = list(kept)
        self._seen = _signature(os.stat(path))
        self._advance(data, data.count(b"\n"))


def _signature(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _read(descriptor: int, offset: int, size: int) -> bytes:
    """``size`` bytes of the open file from ``offset`` (fewer if it is shorter)."""
    chunks = []
    while size > 0:
        chunk = os.pread(descriptor, min(size, 1 << 24), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write(descriptor: int, data: bytes) -> None:
    """Write ``data`` at the end of the file: one ``write`` (a regular file takes it whole
    unless the disk is full or the process is killed mid-way; the rest is written after)."""
    while data:
        data = data[os.write(descriptor, data) :]

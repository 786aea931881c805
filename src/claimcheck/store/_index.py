"""The index of the snapshot store (``index.cdxj``): one line per entry, a capture or a failure
record, as ``<SURT key> <14-digit timestamp> <JSON>``; how an entry becomes its line and a line
its entry (every field checked: a hand-edited index is read by everything that reports on its
captures), and what is said of a line that cannot be read (skipped, with one warning: one bad
line must not make every capture unreadable)."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path
from typing import Any, TypeVar, cast

from ..errors import SnapshotStoreWarning
from ..model import Snapshot, utc_timestamp
from ._failures import FailureRecord, failure_from_line, failure_line

__all__ = [
    "WARC_NAME",
    "Entry",
    "Indexed",
    "Unreadable",
    "date_or_none",
    "entry_from_line",
    "entry_to_line",
    "parse_line",
    "parse_lines",
    "warn_unreadable",
]

WARC_NAME = re.compile(r"warc/[0-9a-f]{64}\.warc\.gz")
T = TypeVar("T")


class Unreadable:
    """An index line the store could not read: where (``index.cdxj:N``), its bytes, and why."""

    __slots__ = ("raw", "where", "why")

    def __init__(self, where: str, raw: bytes, why: str) -> None:
        self.where = where
        self.raw = raw
        self.why = why


def warn_unreadable(index: Path, unreadable: list[Unreadable]) -> None:
    """One warning for the unreadable lines of one read of the index: the first named."""
    more = len(unreadable) - 1
    warnings.warn(
        SnapshotStoreWarning(
            f"{unreadable[0].where}: unreadable index entry skipped ({unreadable[0].why})"
            + (f", and {more} more" if more else "")
            + "; the other captures are read as usual; run 'claimcheck snapshot rebuild-index' "
            "to re-derive the index"
        ),
        stacklevel=7,  # the caller of SnapshotStore.snapshots()
    )


Entry = Snapshot | FailureRecord
"""An index entry: a capture, or a failure record."""


class Indexed:
    """An index entry with its line in the index and its sort key."""

    __slots__ = ("entry", "line", "order")

    def __init__(self, entry: Entry, line: str) -> None:
        self.entry = entry
        self.line = line
        moment = entry.captured if isinstance(entry, Snapshot) else entry.recorded
        self.order = (entry.key, moment, entry.path)


def entry_to_line(entry: Entry) -> str:
    if isinstance(entry, FailureRecord):
        return f"{entry.key} {utc_timestamp(entry.recorded)} {failure_line(entry)}"
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
    if entry.redirected_to:
        fields["redirected_to"] = entry.redirected_to
    return f"{entry.key} {utc_timestamp(entry.captured)} {json.dumps(fields, ensure_ascii=False)}"


def entry_from_line(line: str) -> Entry:
    """An index line's entry; :class:`ValueError` (or :class:`KeyError`) saying what is wrong
    with it: every field must be there when required and of its type, since a hand-edited
    index is read by everything that reports on its captures."""
    _key, _stamp, payload = line.split(" ", 2)
    fields = json.loads(payload)
    if not isinstance(fields, dict):
        raise ValueError("not a JSON object")
    filename = fields["filename"]
    if not isinstance(filename, str) or not WARC_NAME.fullmatch(filename):
        raise ValueError(f"filename {filename!r} is not a warc/<sha256>.warc.gz name")
    if "failure" in fields:
        return failure_from_line(fields, filename)
    captured = dt.datetime.strptime(_typed(fields, "captured", str), "%Y-%m-%dT%H:%M:%SZ")
    headers = _typed(fields, "headers", list, [])
    if not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        for pair in headers
    ):
        raise ValueError("headers must be a list of [name, value] strings")
    length = _typed(fields, "length", int)
    if length < 0:
        raise ValueError(f"length must not be negative, not {length}")
    return Snapshot(
        url=_typed(fields, "url", str),
        captured=captured.replace(tzinfo=dt.UTC),
        media_type=_typed(fields, "mime", str),
        digest=_typed(fields, "digest", str),
        path=filename,
        length=length,
        status=_typed(fields, "status", int, None),
        headers=tuple((name, value) for name, value in headers),
        excerpt=_typed(fields, "excerpt", bool, False),
        origin=_typed(fields, "origin", str, "local"),
        archive_url=_typed(fields, "archive_url", str, None),
        published=date_or_none(_typed(fields, "published", str, None)),
        language=_typed(fields, "language", str, None),
        redirected_to=_typed(fields, "redirected_to", str, None),
    )


def parse_lines(
    data: bytes, first: int, index: Path
) -> tuple[list[Indexed], list[Unreadable], int]:
    """The entries of the whole lines of ``data`` (index bytes that end at a line's end; the
    first is line ``first`` of ``index``), the lines that cannot be read, and how many lines
    there were (blank ones included)."""
    read: list[Indexed] = []
    unreadable = []
    # Lines end at "\n" only: splitlines() would also break at the U+2028, U+0085 and other
    # line separators a URL or header may hold inside its JSON.
    lines = data.split(b"\n")[:-1]
    for number, raw in enumerate(lines, start=first):
        indexed = parse_line(raw)
        if isinstance(indexed, Indexed):
            read.append(indexed)
        elif indexed is not None:
            unreadable.append(Unreadable(f"{index}:{number}", raw, indexed))
    return read, unreadable, len(lines)


def parse_line(raw: bytes) -> Indexed | str | None:
    """An index line's entry, or why it cannot be read, or ``None`` for a blank line."""
    try:
        line = raw.decode("utf-8")
        if not line.strip():
            return None
        return Indexed(entry_from_line(line), line)
    except (ValueError, KeyError, TypeError) as error:  # UnicodeDecodeError included
        return str(error)


_REQUIRED: Any = object()


def _typed(fields: dict[str, Any], name: str, kind: type[T], default: Any = _REQUIRED) -> T:
    """The index field ``name``, which must be a ``kind`` (``null`` or absent: ``default``,
    when it has one); :class:`ValueError` when it is not."""
    value = fields.get(name)
    if value is None and default is not _REQUIRED:
        return cast(T, default)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        kinds = {str: "a string", int: "a whole number", bool: "true or false", list: "a list"}
        raise ValueError(f"{name} must be {kinds.get(kind, kind.__name__)}, not {value!r:.60}")
    return value


def date_or_none(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None

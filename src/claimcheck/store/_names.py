"""How a person names an entry of the store (a capture or a failure record): by a prefix of a
digest, as git names a commit by a prefix of its hash.

An entry's *id* is the first :data:`SHORT_ID` hex digits of its WARC file's SHA-256 (the file's
name, ``warc/<sha256>.warc.gz``): one per entry, since every WARC file records its own
capture time. ``claimcheck snapshot list`` shows it, ``claimcheck snapshot show`` takes it, and
a report can print it (``claimcheck snapshot show <id>``). A name may also be a prefix of the
payload's digest (``Snapshot.digest``, ``sha256:`` optional, as the JSON report gives it), or
the WARC file's path (the JSON report's ``file``): a payload digest names every entry holding
that payload, the same content stored more than once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Final

from ..model import Snapshot
from ._failures import FailureRecord

__all__ = ["MIN_PREFIX", "SHORT_ID", "capture_id", "digest_prefix", "entries_named"]

SHORT_ID: Final = 12
"""The hex digits of an entry's id: enough to tell millions of entries apart."""
MIN_PREFIX: Final = 4
"""The fewest hex digits a name may have (git's shortest abbreviation too)."""

_NAME = re.compile(
    rf"(?:sha256:)?(?P<hex>[0-9a-f]{{{MIN_PREFIX},64}})|warc/(?P<file>[0-9a-f]{{64}})\.warc\.gz"
)


def capture_id(entry: Snapshot | FailureRecord) -> str:
    """The id of a capture or failure record: its WARC file's SHA-256, shortened."""
    return entry.path.removeprefix("warc/")[:SHORT_ID]


def digest_prefix(name: str) -> str | None:
    """The hex digits ``name`` gives when it names an entry by a digest (any case), else
    ``None``."""
    match = _NAME.fullmatch(name.strip().lower())
    if match is None:
        return None
    return match.group("hex") or match.group("file")


def _moment(entry: Snapshot | FailureRecord) -> dt.datetime:
    return entry.captured if isinstance(entry, Snapshot) else entry.recorded


def entries_named(
    entries: Iterable[Snapshot | FailureRecord], prefix: str
) -> dict[str, list[Snapshot | FailureRecord]]:
    """The entries whose WARC file's SHA-256 or payload digest starts with ``prefix`` (hex
    digits, :func:`digest_prefix`), by the digest each was found by, newest first: one digest
    names one entry (its WARC file's) or the entries that hold one payload; several digests are
    an ambiguous name."""
    found: dict[str, list[Snapshot | FailureRecord]] = {}
    for entry in entries:
        file_digest = entry.path.removeprefix("warc/").removesuffix(".warc.gz")
        payload_digest = entry.digest.removeprefix("sha256:")
        for digest in {file_digest, payload_digest}:
            if digest.startswith(prefix):
                found.setdefault(digest, []).append(entry)
    if len(found) > 1:  # an entry found by both of its digests is one entry
        named = {id(entry) for entries in found.values() for entry in entries}
        if len(named) == 1:
            found = dict([next(iter(found.items()))])
    for matches in found.values():
        matches.sort(key=_moment, reverse=True)
    return found

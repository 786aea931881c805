"""WARC files as the snapshot store reads and writes them: the capture record of a file (or its
failure record) and its payload, read within a bound whatever the file claims; the names and
values written into one.

Each function takes bytes or text and gives bytes or text; where files are and who may touch
them is :class:`~claimcheck.store.SnapshotStore`'s.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from .._version import __version__
from ..errors import CorruptSnapshotError
from ..model import well_formed

HEADROOM = 2**20
"""Room beyond a capture's payload for what its WARC file holds besides (the warcinfo record, the
request record, the WARC and HTTP headers), when reading it within a bound."""
_STEP = 2**20
FAILURE_HEADER = "Claimcheck-Failure"
"""The WARC header that marks a failure record (``_failures.py``)."""

__all__ = [
    "FAILURE_HEADER",
    "HEADROOM",
    "ascii_header",
    "capture_record",
    "gzip_bytes",
    "gzip_chunks",
    "indexed_record",
    "inflate",
    "is_failure",
    "new_warc",
    "payload_of",
    "url_problem",
]


def _capture_record_types() -> tuple[str, ...]:
    return ("response", "resource")


@contextlib.contextmanager
def _records(data: bytes) -> Iterator[ArchiveIterator]:
    """The records of a WARC file, let go when the ``with`` block ends: the iterator and its
    generator refer to each other, so left open, the file's (inflated) bytes and the
    decompressed buffers of a read, each as large as the capture, would wait for the garbage
    collector, and pile up over many captures. ``close()`` drops the buffers; closing the
    generator (warcio's ``the_iter``) breaks the cycle that holds the bytes."""
    records = ArchiveIterator(io.BytesIO(data), check_digests="raise")
    try:
        yield records
    finally:
        records.close()
        records.the_iter.close()


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzipped, quickly (derived data is written often and read rarely)."""
    return gzip.compress(data, compresslevel=1)


def gzip_chunks(chunks: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    """``chunks`` gzipped as one member, quickly, each compressed as it comes: large derived
    data is never held whole, compressed or not."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: a gzip member
    for chunk in chunks:
        compressed = compressor.compress(chunk)
        if compressed:
            yield compressed
    yield compressor.flush()


def inflate(data: bytes, limit: int, name: str) -> bytes:
    """``data`` inflated when it is gzip (every gzip member of it), as is when not (a WARC file
    may be uncompressed); :class:`CorruptSnapshotError` when it is damaged, or when it would
    inflate to more than ``limit`` bytes, found out holding no more than that."""
    if not data.startswith(b"\x1f\x8b"):
        if len(data) > limit:
            raise CorruptSnapshotError(f"{name}: larger than {limit:,} bytes")
        return data
    chunks: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            pending = rest
            while True:
                # A megabyte at a time: one call asked for it all would hold twice as much.
                chunk = inflater.decompress(pending, min(_STEP, limit + 1 - size))
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise CorruptSnapshotError(f"{name}: inflates to more than {limit:,} bytes")
                if inflater.eof:
                    rest = inflater.unused_data
                    break
                if not inflater.unconsumed_tail and len(chunk) < _STEP:
                    raise CorruptSnapshotError(f"{name}: the gzip data is cut short")
                pending = inflater.unconsumed_tail
    except zlib.error as error:
        raise CorruptSnapshotError(f"{name}: damaged gzip data ({error})") from None
    return b"".join(chunks)


def capture_record(data: bytes, name: str, limit: int) -> tuple[ArcWarcRecord, bytes]:
    """The capture record of a WARC file and its payload, the file inflated to at most
    ``limit`` bytes and the headers' room, the payload read to at most ``limit`` bytes:
    :class:`CorruptSnapshotError` when either is larger, the digests fail or there is none.

    The payload is the record's as stored, never decoded by what its HTTP headers say
    (``Content-Encoding``, ``Transfer-Encoding``): the store records payloads decoded, and
    leaves those headers out, so the stored bytes are what was added, and what the index's
    digest is of; decoding them (warcio would, a block at a time, whatever they inflate to)
    could only be a forged record's."""
    found = _first_record(data, name, limit, _is_capture)
    if found is None:
        raise CorruptSnapshotError(f"{name}: no capture record in the WARC file")
    return found


def indexed_record(data: bytes, name: str, limit: int) -> tuple[ArcWarcRecord, bytes]:
    """The record a WARC file's index entry is made from, and its block: its capture record
    (as :func:`capture_record`) or its failure record (a ``metadata`` record marked
    ``Claimcheck-Failure``: see ``_failures.py``); :class:`CorruptSnapshotError` when it has
    neither."""
    found = _first_record(data, name, limit, lambda r: _is_capture(r) or is_failure(r))
    if found is None:
        raise CorruptSnapshotError(f"{name}: no capture record in the WARC file")
    return found


def is_failure(record: ArcWarcRecord) -> bool:
    """Whether ``record`` is a failure record."""
    return record.rec_type == "metadata" and bool(record.rec_headers.get_header(FAILURE_HEADER))


def _is_capture(record: ArcWarcRecord) -> bool:
    return record.rec_type in _capture_record_types()


def _first_record(
    data: bytes, name: str, limit: int, wanted: Callable[[ArcWarcRecord], bool]
) -> tuple[ArcWarcRecord, bytes] | None:
    """The first record of a WARC file that is ``wanted`` and its block or payload, read within
    ``limit`` (see :func:`capture_record`); ``None`` when there is none."""
    inflated = inflate(data, limit + HEADROOM, name)
    try:
        with _records(inflated) as records:
            for record in records:
                if wanted(record):
                    payload = bytes(record.raw_stream.read(limit + 1))
                    if len(payload) > limit:
                        raise CorruptSnapshotError(
                            f"{name}: the capture is larger than {limit:,} bytes "
                            "(its length in the index, or the store's largest)"
                        )
                    return record, payload
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:
        raise CorruptSnapshotError(f"{name}: {error}") from None
    return None


def payload_of(data: bytes, name: str, limit: int) -> bytes:
    return capture_record(data, name, limit)[1]


# Printable ASCII: what a header keeps as it is when it has a character outside it.
_HEADER_SAFE = "".join(chr(code) for code in range(0x20, 0x7F))


def ascii_header(text: str) -> str:
    """A header name or value as the WARC file holds it: as it is when ASCII; else well-formed
    (:func:`~claimcheck.model.well_formed`) with every character outside printable ASCII
    percent-encoded as UTF-8. warcio encodes such values itself only where they have no ``;`` or
    in their ``name=value`` parameters (``StatusAndHeaders.percent_encode_non_ascii_headers``),
    and raises :class:`UnicodeEncodeError` on the rest, such as a hostile server's
    ``text/html\x9b; charset=utf-8``: one header would end the run."""
    if text.isascii():
        return text
    return quote(well_formed(text), safe=_HEADER_SAFE)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a capture's URL (an http(s) URL with a host), or ``None``."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[x/": an unbalanced IPv6 bracket
        return f"not a URL: {url!r}"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"only http(s) URLs can be captured, not {url!r}"
    if _LINE_BREAKING.search(url):
        # Written into the WARC record's headers, it would end the header line.
        return f"not a URL: {url!r} holds a line break or control character"
    return None


_LINE_BREAKING = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def new_warc(payload_sha256: str) -> tuple[io.BytesIO, WARCWriter]:
    """A gzipped WARC file begun in memory: its writer, and the buffer it writes to, holding
    the ``warcinfo`` record every file of the store opens with (its name, by the digest of the
    payload it holds, and claimcheck's version)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(
        writer.create_warcinfo_record(
            f"{payload_sha256}.warc.gz",
            {"software": f"claimcheck/{__version__}", "format": "WARC File Format 1.1"},
        )
    )
    return buffer, writer

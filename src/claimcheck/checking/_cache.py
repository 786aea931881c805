"""The text cache: extracted text of captures, by payload digest, in memory and on disk.

A second run over the same store skips extraction and what matching made of a text: the text
and the state of its matching index (:class:`~claimcheck.matching.SourceIndex`: the normalised
form and the sentence analysis, each when it was made) are kept in the store's
``.cache/text/``, one gzipped file per capture payload, media type and claimcheck version (a
new version derives afresh): a JSON header line, then the text and the sentence analysis as
packed bytes (:func:`_chunks`). The entry is written when the text is extracted and again each
time its index makes a part: nothing is made only to be saved (one quote checked in windows of
a text never normalises all of it). A damaged entry, or one of an older format, is derived
again; a read-only store still checks.

**Binding.** An entry names, inside it, what it was derived from: the payload's digest, its
media type and the claimcheck version; one that names anything else than the capture it is
read for (an entry of another capture put in its place) is derived again, and so is one that
would inflate beyond four times the store's largest capture. The store reads and writes it only
inside itself (:meth:`~claimcheck.SnapshotStore.read_cache`). An entry is derived data, trusted
as the capture it names: :meth:`TextCache.verify` (``claimcheck snapshot verify``) derives
every entry a check would use again and reports each that differs, forged or damaged.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import sys
from array import array
from collections.abc import Iterator
from typing import Any

import attrs
import cattrs

from .._version import __version__
from ..documents import BoundedCache, Text, extract_text
from ..errors import ConfigurationError, CorruptSnapshotError
from ..matching import SourceIndex
from ..model import Snapshot, count, shown
from ..store import SnapshotStore

__all__ = ["TextCache", "source_text"]

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
_converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))

_ENTRY_NAME = re.compile(r"text/([0-9a-f]{64})-([0-9a-f]{16})-(.+)\.json\.gz")
# An entry holds the text, its normalised form and its sentence analysis: a few times the
# text, which is at most the capture's size.
_ENTRY_FACTOR = 4


def _media_key(media_type: str) -> str:
    return hashlib.sha256(media_type.encode("utf-8", "surrogatepass")).hexdigest()[:16]


MEMORY_BUDGET = 256 * 2**20
"""The bytes a check keeps in memory of the texts it read and their matching indexes, beyond
the two used last (:class:`TextCache`'s default ``memory``): a quarter for texts, the rest for
indexes. A text or index let go is read again from the store's disk cache when needed."""
INDEX_FACTOR = 20
"""The bytes a matching index takes per character of its text, beside the text itself and
its normalised copy (weighed apart, at the string's width): its token list, token index, offset
arrays, sentence bounds and word index took 17 bytes a character of generated English prose
(``tests/matching/test_index_memory.py``), more for texts of shorter words."""
_TEXTS_KEPT = 1024
_INDEXES_KEPT = 1024
_KEEP = 2  # a source's live and archived copies, read in turn for each claim citing it


def _text_bytes(value: Text) -> int:
    return sys.getsizeof(value.text)


def _index_bytes(value: SourceIndex) -> int:
    # The text itself is weighed with the texts; a Python string holds 1, 2 or 4 bytes a
    # character, and so do the index's normalised copies of it.
    width = max(1, (sys.getsizeof(value.text) - sys.getsizeof("")) // max(1, len(value.text)))
    return len(value.text) * (INDEX_FACTOR + 2 * width)


class TextCache:
    """Extracted text of captures, by payload digest and media type: in memory, and on disk in
    the store; with each text's matching index (:class:`~claimcheck.matching.SourceIndex`),
    saved on disk beside the text.

    In memory only the texts and indexes used last are kept, within ``memory`` bytes in all
    (estimated: each text's size, and :data:`INDEX_FACTOR` bytes a character for an index;
    default :data:`MEMORY_BUDGET`), beyond the two of each used last, so that a run's memory
    does not grow with the number of pages it reads: a text let go is read again from the disk
    when needed. A ``memory`` that is no whole number of bytes is a
    :class:`~claimcheck.ConfigurationError`.
    """

    def __init__(self, store: SnapshotStore | None, memory: int | None = None) -> None:
        budget = MEMORY_BUDGET if memory is None else memory
        problem = count(budget)
        if problem is not None:
            raise ConfigurationError(f"memory: {problem}, not {shown(budget)}")
        self.store = store
        self.version = __version__
        self.budget = budget
        self.memory: BoundedCache[str, Text] = BoundedCache(
            items=_TEXTS_KEPT, weight=budget // 4, weigh=_text_bytes, keep=_KEEP
        )
        self.indexes: BoundedCache[str, SourceIndex] = BoundedCache(
            items=_INDEXES_KEPT, weight=budget - budget // 4, weigh=_index_bytes, keep=_KEEP
        )

    def _name(self, snapshot: Snapshot) -> str | None:
        hexdigest = snapshot.digest.removeprefix("sha256:")
        if len(hexdigest) != 64 or not all(c in "0123456789abcdef" for c in hexdigest):
            return None
        return f"text/{hexdigest}-{_media_key(snapshot.media_type)}-{self.version}.json.gz"

    def text(self, snapshot: Snapshot, read: functools.partial[bytes]) -> Text:
        key = f"{snapshot.digest} {snapshot.media_type}"
        text = self.memory.get(key)
        name = None  # looked up when needed only (a lookup per text read: see the tests)
        if text is None:
            name = self._name(snapshot)
            text = self._load(snapshot, name) if name is not None else None
            if text is None:
                text = extract_text(read(), snapshot.media_type)
                self._save(snapshot, text, name, None)  # its index's parts: when made
            self.memory.put(key, text)
        if self.indexes.get(text.text) is None:  # new, or let go while its text was kept
            saver = functools.partial(self._save, snapshot, text, name)
            self._keep(SourceIndex(text.text, saver))
        return text

    def _read_entry(self, name: str) -> _Entry | None:
        """The entry ``name`` as stored, or ``None`` when there is none to trust the reading
        of (absent, damaged, too large, of another format)."""
        assert self.store is not None
        data = self.store.read_cache(name, max_bytes=_ENTRY_FACTOR * self.store.max_bytes)
        if data is None:
            return None
        try:
            return _parse(data)
        except (ValueError, TypeError, KeyError, RecursionError):  # not our format, damaged
            return None

    def _load(self, snapshot: Snapshot, name: str) -> Text | None:
        """The text of the entry ``name`` when it is bound to ``snapshot`` (its index restored
        and kept); ``None`` when there is none, or none bound to it, or it is damaged."""
        if self.store is None:
            return None
        entry = self._read_entry(name)
        if entry is None or _binding(entry.header) != self._binding(snapshot):
            return None
        try:
            text = _converter.structure({**entry.header["text"], "text": entry.text()}, Text)
            state = entry.state()
            del entry  # its bytes: the text and state are made of them
            saver = functools.partial(self._save, snapshot, text, name)
            self._keep(SourceIndex.from_state(text.text, state, saver))
        except (ValueError, KeyError, TypeError, cattrs.BaseValidationError):
            return None  # a damaged cache entry is re-derived
        return text

    def _binding(self, snapshot: Snapshot) -> tuple[object, object, object]:
        return snapshot.digest, snapshot.media_type, self.version

    def index(self, text: Text) -> SourceIndex:
        """The matching index of ``text`` (one of this cache's texts): made once, restored from
        the disk when the text was, and kept while it is among the texts used last."""
        index = self.indexes.get(text.text) or SourceIndex(text.text)
        self._keep(index)
        return index

    def _keep(self, index: SourceIndex) -> None:
        self.indexes.put(index.text, index)

    def _save(
        self, snapshot: Snapshot, text: Text, name: str | None, index: SourceIndex | None
    ) -> None:
        """Write the entry ``name`` (by default ``snapshot``'s) of ``text`` with what ``index``
        has made of it so far (see :func:`_chunks`), replacing the one before: called when the
        text is extracted, and by the index each time it makes a part (normalised text,
        sentence split)."""
        name = name or self._name(snapshot)
        if name is not None and self.store is not None:
            state = {} if index is None else index.state()
            self.store.write_cache(name, _chunks(self._binding(snapshot), text, state))

    def verify(self) -> list[str]:
        """Derive every entry a check of this claimcheck version would use again, from its
        capture, and return one message for each that differs from what it would be (forged,
        or damaged in a way its reading does not show). Entries of other versions, and entries
        no capture of the store is bound to, are never used: they are not read. A capture that
        cannot be read is :meth:`~claimcheck.SnapshotStore.verify`'s to report."""
        if self.store is None:
            return []
        problems = []
        captures: dict[str, Snapshot] = {}
        for capture in self.store.snapshots():
            named = self._name(capture)
            if named is not None:
                captures.setdefault(named, capture)
        for name in self.store.cache_names("text"):
            match = _ENTRY_NAME.fullmatch(name)
            snapshot = captures.get(name)
            if match is None or match.group(3) != self.version or snapshot is None:
                continue
            entry = self._read_entry(name)
            if entry is None:
                continue  # unreadable: a check derives it again
            try:
                text = extract_text(self.store.read(snapshot), snapshot.media_type)
            except CorruptSnapshotError:
                continue
            index = SourceIndex(text.text)  # made to hold what the entry says it holds
            normalized = entry.header.get("normalized")
            if isinstance(normalized, dict) and "gaps" in normalized:
                index.expect_quotes(2)  # normalised for several quotes: gaps kept
            elif normalized is not None:
                _ = index.normalized
            if "starts" in entry.sections:
                _ = index.sentence_count
            expected = b"".join(_chunks(self._binding(snapshot), text, index.state()))
            if entry.data != expected:
                problems.append(
                    f"{self.store.cache_dir / name}: does not match the capture it names "
                    f"({snapshot.path}: forged or damaged): delete it, it is derived again"
                )
        return problems


def source_text(snapshot: Snapshot, store: SnapshotStore, cache: TextCache) -> Text:
    """The text the matcher reads of a capture (``claimcheck snapshot show --text`` shows it):
    extracted from its payload, or taken from ``cache``, its publication date and language
    completed by what the store recorded of them (``snapshot add --published``) when the
    document does not say: relative dates and the language's words are read against them.
    Raises :class:`~claimcheck.CorruptSnapshotError` for a capture that fails its digests, and
    :class:`~claimcheck.TextExtractionError` for one that is no document (an image)."""
    text = cache.text(snapshot, functools.partial(store.read, snapshot))
    if (text.published is None and snapshot.published is not None) or (
        text.language is None and snapshot.language is not None
    ):
        text = attrs.evolve(
            text,
            published=text.published or snapshot.published,
            language=text.language or snapshot.language,
        )
    return text


def _binding(header: dict[str, Any]) -> tuple[object, object, object]:
    return header.get("digest"), header.get("media_type"), header.get("version")


_FORMAT = "claimcheck text cache 4"
"""An entry's format: entries of a format before are not read, but derived again and replaced
(format 1: one JSON document holding every part as lists of numbers; format 2: the normalised
text's state held where each token starts in the folded text, in base64, where format 3 holds
the chunks it was made in: :meth:`~claimcheck.language.NormalizedText.state`; format 4 adds
the whitespace before each token, a byte a token, as a section of its own, where it is known:
without it a restored text folds each chunk again to map a span back)."""
_KINDS = {"utf-8": "", "u1": "B", "i4": "i", "i8": "q"}  # a section's kind -> array type code


def _little_endian(values: array[int]) -> memoryview:
    """The bytes of ``values``, little-endian whatever the machine (no copy on most)."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return memoryview(values)


def _chunks(
    binding: tuple[object, object, object], text: Text, state: dict[str, Any]
) -> Iterator[bytes | memoryview]:
    """An entry, in chunks for :meth:`~claimcheck.SnapshotStore.write_cache` to compress as
    they come: a JSON header line (the binding, the text's metadata, the normalised text's
    state when it was made, and the list of sections), then the sections' bytes: the text in
    UTF-8, the normalised text's long strings (in UTF-8) and bytes (``u1``: the gaps between
    its tokens) set apart, and, when the text was split into sentences, its word index as
    arrays of little-endian integers. Nothing is turned into a Python object a number (issue 17:
    memory per document), neither writing nor reading."""
    sections: list[tuple[str, str, str | memoryview]] = [("text", "utf-8", text.text)]
    analysis = state.get("analysis")
    if analysis is not None:
        sections.append(("words", "utf-8", analysis["words"]))
        for part in ("starts", "ends", "offsets", "postings"):
            values = analysis[part]
            sections.append((part, f"i{values.itemsize}", _little_endian(values)))
    metadata = _converter.unstructure(text)
    del metadata["text"]
    digest, media_type, version = binding
    header: dict[str, Any] = {
        "format": _FORMAT,
        "digest": digest,
        "media_type": media_type,
        "version": version,
        "text": metadata,
    }
    if "normalized" in state:
        header["normalized"] = _set_apart(state["normalized"], sections)
    header["sections"] = [[name, kind, _size(data)] for name, kind, data in sections]
    encoder = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))
    for piece in encoder.iterencode(header):  # no line break: ensure_ascii escapes them
        yield piece.encode("ascii")
    yield b"\n"
    for _, _, data in sections:
        if isinstance(data, str):
            yield from _encoded(data)
        else:
            yield data


_PIECE = 2**18  # characters of a string encoded at a time


def _encoded(text: str) -> Iterator[bytes]:
    """``text`` in UTF-8, a piece at a time: a whole 10 MB text encoded at once would be held
    twice while written."""
    for start in range(0, len(text), _PIECE):
        yield text[start : start + _PIECE].encode("utf-8", "surrogatepass")


def _size(data: str | memoryview) -> int:
    """The size of a section in bytes (a string's in UTF-8)."""
    if isinstance(data, memoryview):
        return data.nbytes
    return len(data) if data.isascii() else sum(len(piece) for piece in _encoded(data))


_APART = "section"  # {"section": name}: a long string or bytes, kept as section ``name``
_LONG = 4096  # characters: a string at least this long is kept apart


def _set_apart(value: Any, sections: list[tuple[str, str, str | memoryview]]) -> Any:
    """``value`` (JSON-ready) with each long string in it put into ``sections`` instead, as
    UTF-8, and named there in its place: a long string written inside the JSON header would be
    held escaped and encoded (twice its size) while written, and read back the same way.
    Bytes (which JSON does not hold) are put into ``sections`` too, whatever their length."""
    if isinstance(value, str) and len(value) >= _LONG:
        name = f"apart-{len(sections)}"
        sections.append((name, "utf-8", value))
        return {_APART: name}
    if isinstance(value, bytes):
        name = f"apart-{len(sections)}"
        sections.append((name, "u1", memoryview(value)))
        return {_APART: name}
    if isinstance(value, dict):
        return {key: _set_apart(item, sections) for key, item in value.items()}
    if isinstance(value, list):
        return [_set_apart(item, sections) for item in value]
    return value


@attrs.frozen
class _Entry:
    """An entry read back (:func:`_parse`): its header, its sections, and its bytes."""

    header: dict[str, Any]
    sections: dict[str, tuple[str, memoryview]]
    data: bytes

    def _section(self, name: str, kind: str) -> memoryview:
        found, data = self.sections[name]
        if found != kind:
            raise TypeError(f"the {name} of a text cache entry are {found}, not {kind}")
        return data

    def text(self) -> str:
        """The text."""
        return self._string("text")

    def _string(self, name: str) -> str:
        return str(self._section(name, "utf-8"), "utf-8", "surrogatepass")

    def _put_back(self, value: Any) -> Any:
        """``value`` with the strings and bytes :func:`_set_apart` set apart read back in
        place (the bytes copied: the entry's data is let go once read)."""
        if isinstance(value, dict):
            if set(value) == {_APART}:
                name = value[_APART]
                if not isinstance(name, str) or not name.startswith("apart-"):
                    raise ValueError("a string set apart names a section of its own")
                if self.sections[name][0] == "u1":
                    return bytes(self._section(name, "u1"))
                return self._string(name)
            return {key: self._put_back(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._put_back(item) for item in value]
        return value

    def _ints(self, name: str) -> array[int]:
        kind = self.sections[name][0]
        code = _KINDS.get(kind) if kind != "utf-8" else None
        if not code:
            raise TypeError(f"the {name} of a text cache entry are {kind}, not integers")
        values = array(code)
        if values.itemsize != int(kind[1:]):
            raise ValueError(f"this machine has no {kind} integers")
        values.frombytes(self._section(name, kind))
        if sys.byteorder == "big":
            values.byteswap()
        return values

    def state(self) -> dict[str, Any]:
        """The state of the text's matching index (:meth:`SourceIndex.state`)."""
        state: dict[str, Any] = {}
        if "normalized" in self.header:
            state["normalized"] = self._put_back(self.header["normalized"])
        if "starts" in self.sections:
            words = self._string("words")
            parts = ("starts", "ends", "offsets", "postings")
            state["analysis"] = {"words": words, **{part: self._ints(part) for part in parts}}
        return state


def _parse(data: bytes) -> _Entry:
    """Read an entry (:func:`_chunks`); :class:`ValueError`, :class:`TypeError` or
    :class:`KeyError` for anything else."""
    newline = data.find(b"\n")
    if newline < 0:
        raise ValueError("a text cache entry starts with its header line")
    header = json.loads(data[:newline])
    if not isinstance(header, dict) or header.get("format") != _FORMAT:
        raise ValueError("not a text cache entry of this format")
    body = memoryview(data)[newline + 1 :]
    sections: dict[str, tuple[str, memoryview]] = {}
    at = 0
    for name, kind, size in header["sections"]:
        if not (
            isinstance(name, str)
            and kind in _KINDS
            and isinstance(size, int)
            and 0 <= size <= len(body) - at
            and name not in sections
        ):
            raise ValueError("a text cache entry's sections are listed wrong")
        sections[name] = (kind, body[at : at + size])
        at += size
    if at != len(body):
        raise ValueError("a text cache entry's sections do not fill it")
    return _Entry(header, sections, data)

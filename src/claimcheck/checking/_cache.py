"""The text cache: extracted text of captures, by payload digest, in memory and on disk.

A second run over the same store skips extraction and normalisation: the text and the state of
its matching index (:class:`~claimcheck.matching.SourceIndex`: the normalised form and the
sentence analysis) are kept in the store's ``.cache/text/``, one gzipped JSON file per payload
digest and claimcheck version (a new version derives afresh). A damaged entry is derived again;
a read-only store still checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import os
import zlib
from pathlib import Path

import cattrs

from .._version import __version__
from ..documents import BoundedCache, Text, extract_text
from ..matching import SourceIndex
from ..model import Snapshot
from ..store import SnapshotStore

__all__ = ["TextCache"]

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
_converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))


TEXT_BUDGET = 16 * 2**20
"""The texts a check keeps in memory: at most this many characters in all (about as many
bytes, up to four times as many), beyond the two used last."""
INDEX_BUDGET = 2 * 2**20
"""The matching indexes a check keeps in memory: of texts of at most this many characters in
all (an index takes some fifty bytes a character: about 100 MiB), beyond the two used last."""
_TEXTS_KEPT = 1024
_INDEXES_KEPT = 128
_KEEP = 2  # a source's live and archived copies, read in turn for each claim citing it


def _length(value: Text | SourceIndex) -> int:
    return len(value.text)


class TextCache:
    """Extracted text of captures, by payload digest: in memory, and on disk in the store; with
    each text's matching index (:class:`~claimcheck.matching.SourceIndex`), saved on disk beside
    the text.

    In memory only the texts and indexes used last are kept, within a size budget
    (:data:`TEXT_BUDGET`, :data:`INDEX_BUDGET`), so that a run's memory does not grow with the
    number of pages it reads: a text let go is read again from the disk when needed.
    """

    def __init__(self, store: SnapshotStore | None) -> None:

        self.store = store
        self.version = __version__
        self.memory: BoundedCache[str, Text] = BoundedCache(
            items=_TEXTS_KEPT, weight=TEXT_BUDGET, weigh=_length, keep=_KEEP
        )
        self.indexes: BoundedCache[str, SourceIndex] = BoundedCache(
            items=_INDEXES_KEPT, weight=INDEX_BUDGET, weigh=_length, keep=_KEEP
        )

    def _file(self, digest: str) -> Path | None:
        if self.store is None:
            return None
        hexdigest = digest.removeprefix("sha256:")
        if len(hexdigest) != 64 or not all(c in "0123456789abcdef" for c in hexdigest):
            return None
        return self.store.cache_dir / "text" / f"{hexdigest}-{self.version}.json.gz"

    def text(self, snapshot: Snapshot, read: functools.partial[bytes]) -> Text:
        key = f"{snapshot.digest} {snapshot.media_type}"
        cached = self.memory.get(key)
        if cached is not None:
            return cached
        path = self._file(snapshot.digest)
        text: Text | None = None
        if path is not None and path.exists():
            try:
                entry = json.loads(gzip.decompress(path.read_bytes()))
                text = _converter.structure(entry["text"], Text)
                self._keep(SourceIndex.from_state(text.text, entry))
            except (
                OSError,
                EOFError,  # a gzip stream cut short
                zlib.error,
                ValueError,
                KeyError,
                TypeError,
                cattrs.BaseValidationError,
            ):
                text = None  # a damaged cache entry is re-derived
        if text is None:
            text = extract_text(read(), snapshot.media_type)
            if path is not None:
                self._save(path, text)
        self.memory.put(key, text)
        return text

    def index(self, text: Text) -> SourceIndex:
        """The matching index of ``text`` (one of this cache's texts): made once, restored from
        the disk when the text was, and kept while it is among the texts used last."""
        index = self.indexes.get(text.text) or SourceIndex(text.text)
        self._keep(index)
        return index

    def _keep(self, index: SourceIndex) -> None:
        self.indexes.put(index.text, index)

    def _save(self, path: Path, text: Text) -> None:
        # The index's state: the normalised text (what matching quotes needs) and the sentence
        # split with its word index (what figures and dates need).
        entry = {"text": _converter.unstructure(text), **self.index(text).state()}
        data = gzip.compress(json.dumps(entry).encode("utf-8"), compresslevel=1)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            pass  # the cache is an optimisation: a read-only store still checks

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
from ..documents import Text, extract_text
from ..matching import SourceIndex
from ..model import Snapshot
from ..store import SnapshotStore

__all__ = ["TextCache"]

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
_converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))


class TextCache:
    """Extracted text of captures, by payload digest: in memory, and on disk in the store; with
    each text's matching index (:class:`~claimcheck.matching.SourceIndex`), saved on disk beside
    the text and kept in memory for the texts used last."""

    indexes_kept = 128

    def __init__(self, store: SnapshotStore | None) -> None:

        self.store = store
        self.version = __version__
        self.memory: dict[str, Text] = {}
        self.indexes: dict[str, SourceIndex] = {}  # by text, the one used last at the end

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
        self.memory[key] = text
        return text

    def index(self, text: Text) -> SourceIndex:
        """The matching index of ``text`` (one of this cache's texts): made once, restored from
        the disk when the text was, and kept while it is among the texts used last."""
        index = self.indexes.get(text.text) or SourceIndex(text.text)
        self._keep(index)
        return index

    def _keep(self, index: SourceIndex) -> None:
        self.indexes.pop(index.text, None)
        if len(self.indexes) >= self.indexes_kept:
            self.indexes.pop(next(iter(self.indexes)))
        self.indexes[index.text] = index

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

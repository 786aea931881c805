"""The text cache of one check: each text's disk entry written once, when the check is done
with the text, instead of each time its matching index makes a part.

A :class:`~claimcheck.checking.TextCache` writes a text's entry when the text is extracted and
again each time its index makes a part (the normalised text, the sentence split), so that an
entry is never lost to a crash and nothing is made only to be saved. A check reads a text for
every claim citing its source in turn (source by source, :func:`~claimcheck.check`), so most
texts had their entry written three times over in a first run, each time compressed anew: about
a fifth of a first run's time (issue 17, ``benchmarks/check_speed.py``). Here the entry waits
until the text is no longer among the few read last (or the check ends) and is written once,
with all its index made by then: the same entry as the last of the three, the same verdicts.
"""

from __future__ import annotations

from ..documents import Text
from ..matching import SourceIndex
from ..model import Snapshot
from ..store import SnapshotStore
from ._cache import TextCache

__all__ = ["DeferredTextCache"]

PENDING = 2
"""Entries awaiting their writing at most: a source's live and archived copies, read in turn
for each claim citing it; one more written the oldest. Each holds its text and index in memory
until written, so few are kept: the text cache's bound on memory holds, plus these."""


class DeferredTextCache(TextCache):
    """A :class:`TextCache` that writes each entry once, when :data:`PENDING` newer texts have
    been saved since, or at :meth:`flush` (which the check calls when it is done)."""

    def __init__(self, store: SnapshotStore | None, memory: int | None = None) -> None:
        super().__init__(store, memory)
        # Entry name -> what its writing needs; in the order they were last saved, oldest first.
        self._pending: dict[str, tuple[Snapshot, Text, SourceIndex | None]] = {}

    def _save(
        self, snapshot: Snapshot, text: Text, name: str | None, index: SourceIndex | None
    ) -> None:
        """Note that the entry of ``text`` is to be written (with what ``index`` will have
        made by then); write the oldest noted when more than :data:`PENDING` are."""
        name = name or self._name(snapshot)
        if name is None or self.store is None:
            return
        earlier = self._pending.pop(name, None)
        if index is None and earlier is not None:  # the text saved again, its index made
            index = earlier[2]
        self._pending[name] = (snapshot, text, index)
        while len(self._pending) > PENDING:
            self._write(next(iter(self._pending)))

    def flush(self) -> None:
        """Write every entry still awaiting its writing."""
        while self._pending:
            self._write(next(iter(self._pending)))

    def _write(self, name: str) -> None:
        snapshot, text, index = self._pending.pop(name)
        super()._save(snapshot, text, name, index)

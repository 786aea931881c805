"""Checking: claims × sources → verdicts → a report.

For each source of each claim: a placeholder or non-http(s) link is a broken citation; otherwise
the capture to use is looked up in the snapshot store (the copy "as cited" when the source says
when it was accessed), its text extracted (cached by payload digest, on disk in the store's
``.cache/``, so a second run over the same store skips extraction), and the claim matched
against it. Offline, a source with no capture is ``unchecked``/``no-snapshot``: never a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import attrs
import cattrs

from ._claims import Claim, ClaimSet, Source, load
from ._errors import CorruptSnapshotError, SnapshotStoreError
from ._match import match_claim
from ._report import ClaimResult, Report, Verdict, combine
from ._store import Snapshot, SnapshotStore
from ._text import Text, extract_text
from ._verdicts import Reason, Status

__all__ = ["check", "source_problem"]

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
_converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))


def source_problem(url: str) -> tuple[Reason, str] | None:
    """Why a cited URL cannot lead to evidence at all, or None when it may."""
    stripped = url.strip()
    if not stripped or stripped.startswith("#") or stripped.lower().startswith("javascript:"):
        return Reason.PLACEHOLDER_LINK, f"the link is a placeholder ({stripped or 'empty'!r})"
    try:
        parts = urlsplit(stripped)
    except ValueError:  # "http://[x/": an unbalanced IPv6 bracket
        return Reason.INVALID_URL, f"{stripped!r} is not a valid URL"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return Reason.INVALID_URL, f"{stripped!r} is not an http(s) URL"
    return None


class _TextCache:
    """Extracted text of captures, by payload digest: in memory, and on disk in the store."""

    def __init__(self, store: SnapshotStore | None) -> None:
        from . import __version__

        self.store = store
        self.version = __version__
        self.memory: dict[str, Text] = {}

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
                text = _converter.structure(json.loads(gzip.decompress(path.read_bytes())), Text)
            except (OSError, ValueError, cattrs.BaseValidationError):
                text = None  # a damaged cache entry is re-derived
        if text is None:
            text = extract_text(read(), snapshot.media_type)
            if path is not None:
                self._save(path, text)
        self.memory[key] = text
        return text

    def _save(self, path: Path, text: Text) -> None:
        data = gzip.compress(json.dumps(_converter.unstructure(text)).encode("utf-8"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            pass  # the cache is an optimisation: a read-only store still checks


def _verdict(
    claim: Claim, source: Source, store: SnapshotStore | None, cache: _TextCache
) -> Verdict:
    problem = source_problem(source.url)
    if problem is not None:
        reason, message = problem
        return Verdict(source, reason.status, reason, message)
    snapshot = store.find(source.url, at=source.accessed) if store is not None else None
    if snapshot is None:
        return Verdict(
            source,
            Status.UNCHECKED,
            Reason.NO_SNAPSHOT,
            "no capture of this source in the snapshot store (checking offline)",
        )
    assert store is not None
    try:
        text = cache.text(snapshot, functools.partial(store.read, snapshot))
    except CorruptSnapshotError as error:
        return Verdict(
            source, Status.UNCHECKED, Reason.CORRUPT_SNAPSHOT, str(error), None, snapshot
        )
    if (text.published is None and snapshot.published is not None) or (
        text.language is None and snapshot.language is not None
    ):
        text = attrs.evolve(
            text,
            published=text.published or snapshot.published,
            language=text.language or snapshot.language,
        )
    evidence = match_claim(claim, text, context=source.context)
    captured = f"capture of {snapshot.captured:%Y-%m-%d}"
    if snapshot.excerpt and evidence.reason is Reason.NOT_FOUND:
        return Verdict(
            source,
            Status.UNCHECKED,
            Reason.EXCERPT_ONLY,
            f"not in the excerpts recorded of this page ({captured}); the full page may hold it",
            evidence,
            snapshot,
        )
    kind = "excerpt " if snapshot.excerpt else ""
    return Verdict(
        source,
        evidence.status,
        evidence.reason,
        f"{evidence.explanation} ({kind}{captured})",
        evidence,
        snapshot,
    )


def _result(claim: Claim, claim_set: ClaimSet, verdicts: tuple[Verdict, ...]) -> ClaimResult:
    status, deciding = combine(verdicts)
    if deciding is None:
        return ClaimResult(
            claim, claim_set, Status.UNCHECKED, Reason.NO_SNAPSHOT, "the claim cites no source", ()
        )
    others = len(verdicts) - 1
    suffix = f" (and {others} other source{'s' if others > 1 else ''})" if others else ""
    return ClaimResult(
        claim,
        claim_set,
        status,
        deciding.reason,
        f"{deciding.message}{suffix}",
        verdicts,
    )


def _open_store(snapshots: SnapshotStore | str | os.PathLike[str] | None) -> SnapshotStore | None:
    if isinstance(snapshots, SnapshotStore):
        return snapshots
    if snapshots is None:
        default = Path("snapshots")
        return SnapshotStore(default) if (default / "warc").is_dir() else None
    try:
        return SnapshotStore(snapshots)
    except SnapshotStoreError:
        if not Path(snapshots).exists():
            return None  # no store at all: every source is simply unchecked
        raise


def check(
    claims: ClaimSet | Iterable[ClaimSet] | str | os.PathLike[str],
    *,
    snapshots: SnapshotStore | str | os.PathLike[str] | None = None,
    offline: bool = True,
) -> Report:
    """Check claims against their sources and return the :class:`~claimcheck.Report`.

    ``claims`` is a claim set (from :func:`~claimcheck.load`), several, or the path of a claims
    file. ``snapshots`` is the snapshot store (a path or a :class:`~claimcheck.SnapshotStore`;
    by default ``./snapshots`` when it exists). Offline, only stored captures are used.
    """
    if not offline:
        raise NotImplementedError(
            "live checking needs the capture layer; check offline against a snapshot store"
        )
    if isinstance(claims, (str, os.PathLike)):
        claim_sets: list[ClaimSet] = [load(claims)]
    elif isinstance(claims, ClaimSet):
        claim_sets = [claims]
    else:
        claim_sets = list(claims)
    store = _open_store(snapshots)
    cache = _TextCache(store)
    results = []
    for claim_set in claim_sets:
        for claim in claim_set.claims:
            verdicts = tuple(_verdict(claim, source, store, cache) for source in claim.sources)
            results.append(_result(claim, claim_set, verdicts))
    return Report(tuple(results), offline=offline)

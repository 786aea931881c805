"""An offline check does its per-source work once per cited URL and date, not once per claim
citing it (issue 17: ``check_speed.py`` cites each page about ten times): the store is asked for
a source's copies once, and its capture is read and extracted once, whatever the number of
claims; the verdicts are those of each claim checked on its own. Internals tested directly: the
calls are counted where ``check`` makes them (``_check.stored_copies``,
``_cache.extract_text``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import claimcheck
from claimcheck import Claim, ClaimSet, Source, Statement, Status
from claimcheck.checking import _check

PAGE = (
    "<html><head><title>Council vote</title></head><body><article>"
    "<p>The council approved the budget of 4,200 homes on Tuesday, said the mayor.</p>"
    "<p>Work starts in March 2021, and the new school opens later.</p>"
    "</article></body></html>"
)
URL = "https://news.example/council"
OTHER = "https://news.example/other"
CLAIMS = (
    ("quote", "The council approved the budget", None),
    ("quote", "The council rejected the budget", None),
    ("figure", "4,200 homes", "council budget"),
    ("date", "March 2021", "work starts"),
    ("quote", "approved the budget of 4,200 homes", None),
)


def _claim_set(sources: list[Source]) -> ClaimSet:
    claims = tuple(
        Claim(kind, text, id=f"{number}-{index}", context=context, sources=(source,))
        for number, source in enumerate(sources)
        for index, (kind, text, context) in enumerate(CLAIMS)
    )
    return ClaimSet(Statement(id="per-source"), claims)


def _store(root: Path) -> claimcheck.SnapshotStore:
    store = claimcheck.SnapshotStore(root, create=True)
    for url in (URL, OTHER):
        store.add(url, PAGE.encode(), media_type="text/html; charset=utf-8", status=200)
    return store


def _statuses(report: claimcheck.Report) -> list[Status]:
    return [result.status for result in report.results]


def test_the_store_is_asked_for_a_sources_copies_once_per_url_and_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path / "snapshots")
    sources = [Source(URL), Source(URL), Source(OTHER), Source(URL, accessed=dt.date(2021, 3, 2))]
    asked: list[tuple[str, dt.date | None]] = []
    original = _check.stored_copies

    def counted(store: Any, source: Source) -> Any:
        asked.append((source.url, source.accessed))
        return original(store, source)

    monkeypatch.setattr(_check, "stored_copies", counted)
    report = claimcheck.check(_claim_set(sources), snapshots=store, copies="stored")
    assert len(asked) == len(set(asked)) == 3  # each URL and date once
    # Each claim's verdict is the one it has checked on its own.
    alone = [
        status
        for claim in _claim_set(sources).claims
        for status in _statuses(
            claimcheck.check(
                ClaimSet(Statement(id="alone"), (claim,)), snapshots=store, copies="stored"
            )
        )
    ]
    assert _statuses(report) == alone
    assert Status.VERIFIED in alone
    assert Status.DRIFTED in alone


def test_a_capture_is_extracted_once_however_many_claims_cite_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.checking import _cache

    store = _store(tmp_path / "snapshots")
    extracted: list[int] = []
    original = _cache.extract_text

    def counted(data: bytes, media_type: str | None = None, **options: Any) -> Any:
        extracted.append(len(data))
        return original(data, media_type, **options)

    monkeypatch.setattr(_cache, "extract_text", counted)
    claimcheck.check(_claim_set([Source(URL)] * 4), snapshots=store, copies="stored")
    assert len(extracted) == 1  # the first run: extracted once, its entry written
    claimcheck.check(_claim_set([Source(URL)] * 4), snapshots=store, copies="stored")
    assert len(extracted) == 1  # the second run reads the entry back

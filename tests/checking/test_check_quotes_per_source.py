"""A check knows how many quotes cite each source before it reads any: a source cited by
several quotes has its text normalised whole before the first is matched, instead of the first
being looked for in windows of the text (the one-quote paths, ``matching._quick`` and
``matching._windows``) and the second normalising the whole text anyway (issue 17:
``check_speed.py`` cites most pages with several quotes). A source cited by one quote keeps the
one-quote path. Either way each claim gets the evidence it gets checked on its own. Internals
counted where the matcher calls them (``matching._quote.one_quote_evidence``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import claimcheck
from claimcheck import Claim, ClaimSet, Source, Statement
from claimcheck.matching import _quote

PAGES = {
    "https://news.example/many": (
        "<html><head><title>Council vote</title></head><body><article>"
        "<p>The council approved the budget of 4,200 homes on Tuesday, said the mayor.</p>"
        "<p>Work starts in March 2021, and the new school opens later that year.</p>"
        "</article></body></html>"
    ),
    "https://news.example/one": (
        "<html><head><title>Harbour works</title></head><body><article>"
        "<p>The harbour reopens after 18 months of repairs, the port authority said.</p>"
        "</article></body></html>"
    ),
}
CLAIMS = (
    ("many", "quote", "The council approved the budget"),
    ("many", "quote", "the new school opens later that year"),
    ("many", "quote", "The council rejected the budget"),
    ("one", "quote", "The harbour reopens after 18 months of repairs"),
    ("one", "figure", "18 months"),
)


def _claims() -> tuple[Claim, ...]:
    return tuple(
        Claim(kind, text, id=str(number), sources=(Source(f"https://news.example/{page}"),))
        for number, (page, kind, text) in enumerate(CLAIMS)
    )


def _store(root: Path) -> claimcheck.SnapshotStore:
    store = claimcheck.SnapshotStore(root, create=True)
    for url, page in PAGES.items():
        store.add(url, page.encode(), media_type="text/html; charset=utf-8", status=200)
    return store


def _verdicts(report: claimcheck.Report) -> list[tuple[Any, ...]]:
    return [
        (verdict.status, verdict.reason, verdict.message, verdict.evidence)
        for result in report.results
        for verdict in result.verdicts
    ]


def test_a_source_quoted_several_times_is_normalised_before_its_first_quote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path / "snapshots")
    windowed: list[str] = []
    original = _quote.one_quote_evidence

    def counted(quote: Any, text: Any, evidence_in: Any) -> Any:
        windowed.append(text.title)
        return original(quote, text, evidence_in)

    monkeypatch.setattr(_quote, "one_quote_evidence", counted)
    together = claimcheck.check(
        ClaimSet(Statement(id="quotes"), _claims()), snapshots=store, copies="stored"
    )
    assert windowed == ["Harbour works"]  # the page quoted once only (both before)
    windowed.clear()
    # Each claim's verdict, evidence included, is the one it gets checked on its own (where
    # each quote is its text's first: the one-quote path), in a store of its own (whose text
    # cache holds no normalised text yet).
    for number, (claim, verdict) in enumerate(zip(_claims(), _verdicts(together), strict=True)):
        alone = claimcheck.check(
            ClaimSet(Statement(id="alone"), (claim,)),
            snapshots=_store(tmp_path / f"alone-{number}"),
            copies="stored",
        )
        assert _verdicts(alone) == [verdict]
    assert "Council vote" in windowed  # checked alone, its quotes took the one-quote path

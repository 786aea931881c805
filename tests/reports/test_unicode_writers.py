"""Every report format survives any string: a lone surrogate (which no UTF-8 writer can write)
in any field of a report, an audit run or an audit history (claim text and id, statement id and
title, URLs, messages, passages, server headers, render options) comes out as U+FFFD or as a
shown escape, and the output is valid UTF-8 and valid in its format (JSON, XML, HTML).

Decoded source text is made well-formed where it enters (``tests/documents``); these strings
reach the writers another way: claims made in code, file names (``os.fsdecode`` turns
undecodable bytes into lone surrogates), command-line arguments."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimcheck
from claimcheck import (
    Claim,
    ClaimResult,
    ClaimSet,
    Evidence,
    Reason,
    Report,
    Snapshot,
    Source,
    Statement,
    Status,
    Verdict,
)
from claimcheck.auditing import AuditHistory, AuditPolicy, AuditResult, audit, load_audit
from claimcheck.model import DiffKind, WordDiff
from claimcheck.reports import RenderOptions, renderers
from servers import LocalServer, page
from support import LOCAL_FETCH, QUOTE

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
HOSTILE_CHARACTERS = ["\ud800", "\udfff", "\ud83d", "\udc80", "\ufffe", "\x00", "\u202e", "é"]
JSON_FORMATS = {"json", "sarif", "claimreview"}

# (st.text drops surrogates from an alphabet that mixes strategies: join lists instead.)
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_CHARACTERS), st.characters()), min_size=1, max_size=12
).map("".join)


def assert_writable(name: str, text: str) -> None:
    """``text``, a rendering in the format ``name``, is valid UTF-8 and valid in its format."""
    assert not LONE_SURROGATE.search(text), (name, ascii(text)[:300])
    data = text.encode("utf-8")
    if name in JSON_FORMATS:
        json.loads(text)
    elif name == "junit":
        lxml.etree.fromstring(data)
    elif name == "html":
        lxml.html.document_fromstring(data)


def hostile_report(word: str) -> Report:
    """A report of one claim with two sources, ``word`` in every string it holds."""
    source = Source(f"https://example.org/{word}", dt.date(2021, 4, 20), context=word)
    claim = Claim("quote", f"the {word} said", id=f"id-{word}", sources=(source,), context=word)
    statement = Statement(id=f"st-{word}", title=f"title {word}", text=f"the {word} said")
    claim_set = ClaimSet(statement, (claim,), Path(f"claims-{word}.toml"))
    snapshot = Snapshot(
        url=source.url,
        captured=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        media_type=f"text/html; charset={word}",
        digest="sha256:" + "0" * 64,
        path=f"{word}.warc.gz",
        length=10,
        status=200,
        headers=(("Server", word), (word, word)),
        origin="live",
        archive_url=f"https://web.archive.org/web/2021/{word}",
        language=word,
    )
    evidence = Evidence(
        Status.DRIFTED,
        Reason.QUOTE_EDITED,
        f"the source says {word}",
        score=80.0,
        passage=f"the {word} said not",
        span=(0, 5),
        region=word,
        differences=(WordDiff(DiffKind.WORDING, word, word, (0, 1), (0, 1)),),
        found=word,
    )
    drifted = Verdict(
        source, Status.DRIFTED, Reason.QUOTE_EDITED, f"message {word}", evidence, snapshot,
        evidence, snapshot, replacement=f"https://web.archive.org/{word}",
    )  # fmt: skip
    broken = Verdict(Source(word), Status.BROKEN, Reason.INVALID_URL, f"not a URL: {word}")
    result = ClaimResult(
        claim, claim_set, Status.DRIFTED, Reason.QUOTE_EDITED, word, (drifted, broken)
    )
    unsourced = Claim("figure", word, id=word, value=Decimal(3), unsourced=word)
    other = ClaimResult(
        unsourced, claim_set, Status.UNSOURCED, Reason.NO_SOURCE, f"no source {word}", ()
    )
    return Report((result, other), offline=False)


def options(word: str) -> RenderOptions:
    return RenderOptions(
        verbose=True,
        color=True,
        title=f"title {word}",
        base=Path(f"/srv/{word}"),
        author=f"author {word}",
        author_url=f"https://example.org/{word}",
        review_url=f"https://example.org/review/{word}",
        review_date=dt.date(2026, 3, 1),
        statement_url=f"https://example.org/st/{word}",
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=hostile_text)
def test_every_report_format_writes_any_string(word: str) -> None:
    report = hostile_report(word)
    for renderer in renderers(Report):
        assert_writable(renderer.name, renderer.render(report, options(word)))


def test_lone_surrogates_become_replacement_characters_in_machine_formats() -> None:
    report = hostile_report("\ud800")
    for renderer in renderers(Report):
        text = renderer.render(report, options("\ud800"))
        if renderer.name in JSON_FORMATS:
            assert "\ufffd" in text, renderer.name
        else:  # shown, never obeyed: as an escape
            assert "\\ud800" in text or "\ufffd" in text, renderer.name


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, AuditHistory]:
    """Two audit runs of claims made in code with lone surrogates in the statement id, the
    claim ids and texts, a source's context and a claims file's name; one source is a URL with
    a lone surrogate. Recorded in an SQLite history, then read back."""
    folder = tmp_path_factory.mktemp("hostile-audit")
    with LocalServer({"/a": page(f"<p>{QUOTE}</p>")}) as server:
        sources = (Source(f"{server.url}/a", context="\udcff"), Source(f"{server.url}/\ud800"))
        claims = (
            Claim("quote", QUOTE, id="held\ud800", sources=sources),
            Claim("quote", f"{QUOTE} \udc80", id="\udfff", sources=sources[:1]),
        )
        claim_set = ClaimSet(
            Statement(id="st\udce9", title="t\ud800"), claims, Path("claims-\udce9.toml")
        )
        result = None
        for night in range(2):
            result = audit(
                claim_set,
                history=folder / "audit.sqlite",
                snapshots=folder / "store",
                fetch=LOCAL_FETCH,
                policy=AuditPolicy(use_archives=False),
                now=dt.datetime(2026, 3, 1 + night, tzinfo=dt.UTC),
            )
    assert result is not None
    return result, load_audit(folder / "audit.sqlite")


def test_an_audit_records_and_reports_any_string(
    hostile_audit: tuple[AuditResult, AuditHistory],
) -> None:
    result, history = hostile_audit
    assert result.observed == 3
    assert not result.failed
    for subject in (result, history):
        for renderer in renderers(type(subject)):
            assert_writable(renderer.name, renderer.render(subject, options("\ud800")))
    text = json.dumps(claimcheck.reports.history_to_json(history), ensure_ascii=False)
    assert "st\ufffd" in text


def test_a_report_of_claims_made_in_code_writes_any_string(tmp_path: Path) -> None:
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add("https://example.org/a", f"<p>{QUOTE}</p>".encode(), media_type="text/html")
    claim_set = ClaimSet(
        Statement(id="st\udce9"),
        (Claim("quote", f"{QUOTE}\ud800", id="x\udfff", sources=("https://example.org/a",)),),
    )
    report = claimcheck.check(claim_set, copies="stored", snapshots=store)
    for renderer in renderers(Report):
        assert_writable(renderer.name, renderer.render(report, options("\udc80")))

"""The store's writers take any string: a lone surrogate (which SQLite's and the WARC file's
UTF-8 cannot hold) in a citation key, an observation, a URL state or a capture's URL and
headers is stored as U+FFFD, and a key read back equals the key it was written from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from claimcheck import Reason, SnapshotStore, Status
from claimcheck.store import CitationKey, Health, History, Observation, Outcome, UrlState

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
URL = "https://example.org/\ud800"


def test_the_history_records_any_string(tmp_path: Path) -> None:
    key = CitationKey("st\udce9", "claim\udfff", URL)
    assert key == CitationKey("st\ufffd", "claim\ufffd", "https://example.org/\ufffd")
    with History(tmp_path / "audit.sqlite") as history:
        run = history.start_run(T0, {"claims_files": ["caf\udce9.toml"]})
        observation = Observation(
            run_id=run.id,
            key=key,
            kind="quote",
            claim_hash="sha256:" + "0" * 64,
            observed_at=T0,
            status=Status.DRIFTED,
            reason=Reason.QUOTE_EDITED,
            message="the page says \ud83d",
            outcome=Outcome.DRIFTED,
            passage="a \udc80 b",
            found="\ud800",
            etag='"\udcff"',
            final_url=URL,
            redirects=((301, URL),),
        )
        state = UrlState(URL, Health(), etag='"\udcff"', last_modified="\ud800")
        stored = history.record(observation, citation=Health(), url_state=state)
        assert history.observed(run.id) == {key}
        read = history.observation(stored.id or 0)
        assert read is not None
        assert read.key == key
        assert (read.message, read.passage, read.found) == (
            "the page says \ufffd",
            "a \ufffd b",
            "\ufffd",
        )
        assert history.citation(key) is not None
        assert history.url_state(URL) is not None
        assert history.integrity_check() == "ok"


def test_the_snapshot_store_captures_any_url_and_headers(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store", create=True)
    for url in (URL, "https://example.org/Köln?q=ü"):
        snapshot = store.add(
            url,
            b"<p>words</p>",
            media_type="text/html",
            status=200,
            headers=[("Content-Type", "text/html"), ("X-Note", "\udce9 é")],
            request_headers=[("User-Agent", "claimcheck")],
        )
        assert store.read(snapshot) == b"<p>words</p>"
    assert {s.url for s in store.snapshots()} == {
        "https://example.org/\ufffd",
        "https://example.org/Köln?q=ü",
    }
    assert store.verify() == []
    assert store.rebuild_index() == 2  # the index read back from the WARC files
    assert {s.url for s in store.snapshots()} == {
        "https://example.org/\ufffd",
        "https://example.org/Köln?q=ü",
    }


def test_a_header_warcio_cannot_encode_is_stored_percent_encoded(tmp_path: Path) -> None:
    # warcio percent-encodes a non-ASCII header value only where it has no ";" or in its
    # name=value parameters (StatusAndHeaders.percent_encode_non_ascii_headers); a hostile
    # server's "text/html\x9b; charset=utf-8" is neither, and writing it raised
    # UnicodeEncodeError, ending the whole run.
    store = SnapshotStore(tmp_path / "store", create=True)
    hostile = [
        ("Content-Type", "text/html\x9b; charset=utf-8"),
        ("X-Title", "Köln; ü=1"),
        ("X-\xe9", "é"),
    ]
    snapshot = store.add(URL, b"<p>words</p>", media_type="text/html", status=200, headers=hostile)
    assert store.read(snapshot) == b"<p>words</p>"
    assert dict(snapshot.headers)["Content-Type"] == "text/html%C2%9B; charset=utf-8"
    assert store.verify() == []
    assert store.rebuild_index() == 1

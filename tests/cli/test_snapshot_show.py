"""``claimcheck snapshot show URL|DIGEST [--text]``: a stored copy's metadata, and the text the
matcher reads of it, so nobody has to unzip a WARC file. ``snapshot list`` names each entry by
the identifier ``show`` takes: the first 12 hex digits of its WARC file's SHA-256."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest

from claimcheck import Reason, SnapshotStore
from claimcheck.checking import TextCache
from claimcheck.documents import extract_text
from claimcheck.model import Snapshot
from claimcheck.store import capture_id
from support import WORKED_EXAMPLE_STORE, run_cli

URL = "https://example.org/report"
OTHER = "https://example.org/other"
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
OLD = (
    b"<html><head><title>Old</title></head><body><p>The old words of the report.</p></body></html>"
)
NEW = (
    b'<html lang="en"><head><title>Report</title></head><body><article>'
    b"<p>The minister said the permits would all be reviewed.</p>"
    b"<p>Second \x1b[2J paragraph.</p></article></body></html>"
)


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    store.add(URL, OLD, media_type="text/html", captured=T0, excerpt=True, language="en")
    store.add(
        URL,
        NEW,
        media_type="text/html; charset=utf-8",
        captured=T0 + dt.timedelta(days=2),
        status=200,
        origin="archive",
        archive_url=f"https://web.archive.org/web/20260303020000id_/{URL}",
        published=dt.date(2026, 2, 28),
        redirected_to=f"{URL}/",
    )
    store.add_failure(
        URL, Reason.DNS_FAILURE, "does not resolve", origin="live", recorded=T0 + dt.timedelta(1)
    )
    store.add(OTHER, b"plain words", media_type="text/plain", captured=T0)
    store.add_failure(
        "https://gone.example/",
        Reason.NO_ARCHIVE,
        "no archived copy",
        origin="archive",
        recorded=T0,
    )
    return store


def show(store: SnapshotStore, *argv: str) -> tuple[int, str, str]:
    return run_cli("snapshot", "show", *argv, "--snapshots", store.root)


def newest(store: SnapshotStore) -> Snapshot:
    snapshot = store.find(URL)
    assert snapshot is not None
    return snapshot


def fields(out: str) -> dict[str, str]:
    head = out.split("\n\n", 1)[0]
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(": ") for line in head.splitlines()[1:])
    }


def test_list_names_each_entry_by_the_id_show_takes(store: SnapshotStore) -> None:
    code, out, err = run_cli("snapshot", "list", "--snapshots", store.root)
    assert (code, err) == (0, "")
    entries = [*store.snapshots(), *store.failures()]
    ids = {capture_id(entry) for entry in entries}
    assert len(ids) == len(entries) == len(out.splitlines())
    for line in out.splitlines():
        assert re.fullmatch(r"[0-9a-f]{12} ", line[:13]), line
        assert line[:12] in ids
        assert line[13:].startswith("2026-03-0")
    for entry in entries:
        code, shown, err = show(store, capture_id(entry))
        assert (code, err) == (0, ""), entry
        assert shown.splitlines()[0].endswith(f" {capture_id(entry)}")
        assert fields(shown)["url"] == entry.url


def test_a_url_shows_its_newest_capture_and_lists_the_others(store: SnapshotStore) -> None:
    code, out, err = show(store, URL)
    assert (code, err) == (0, "")
    snapshot = newest(store)
    assert out.splitlines()[0] == f"capture {capture_id(snapshot)}"
    assert fields(out) == {
        "url": URL,
        "captured": "2026-03-03T02:00:00Z",
        "kind": "archived (fetched from a web archive)",
        "copy": "full page",
        "media type": "text/html; charset=utf-8",
        "HTTP status": "200",
        "redirected to": f"{URL}/",
        "archive URL": f"https://web.archive.org/web/20260303020000id_/{URL}",
        "published": "2026-02-28",
        "digest": snapshot.digest,
        "size": f"{len(NEW)} bytes",
        "WARC file": str(store.root / snapshot.path),
    }
    others = out.split("\n\n", 1)[1].splitlines()
    assert others[0] == "also stored for this URL ('claimcheck snapshot show ID' shows one):"
    assert len(others) == 3
    old, failure = others[1:]  # as 'snapshot list' lists them, oldest first
    older = store.snapshots(URL)[0]
    assert old.split()[:4] == [
        capture_id(older),
        "2026-03-01T02:00:00Z",
        "text/html",
        str(len(OLD)),
    ]
    assert "excerpt" in old
    assert failure.split()[2:4] == ["failed", "dns-failure"]
    assert "minister" not in out  # the text only with --text


def test_the_same_url_written_otherwise_finds_it(store: SnapshotStore) -> None:
    code, out, _ = show(store, "http://www.example.org/report")
    assert code == 0
    assert out.splitlines()[0] == f"capture {capture_id(newest(store))}"


def test_an_older_capture_by_its_id_with_what_it_is(store: SnapshotStore) -> None:
    older = store.snapshots(URL)[0]
    code, out, _ = show(store, capture_id(older))
    assert code == 0
    assert fields(out)["kind"] == "recorded from a file (snapshot add)"
    assert fields(out)["copy"] == "excerpts only (not the whole page)"
    assert fields(out)["language"] == "en"
    assert "HTTP status" not in fields(out)
    assert "also stored" not in out  # a digest names one entry


def test_a_failure_record_shows_as_what_it_is(store: SnapshotStore) -> None:
    code, out, err = show(store, "https://gone.example/", "--text")
    assert (code, err) == (0, "")
    (failure,) = store.failures("https://gone.example/")
    assert out.splitlines()[0] == f"failure record {capture_id(failure)}"
    assert fields(out) == {
        "url": "https://gone.example/",
        "recorded": "2026-03-01T02:00:00Z",
        "failed": "the archive lookup",
        "reason": "no-archive",
        "message": "no archived copy",
        "digest": failure.digest,
        "size": f"{failure.length} bytes",
        "WARC file": str(store.root / failure.path),
    }
    assert out.endswith("\n\nno text: a failure record holds no copy of the page\n")


def test_text_is_what_the_matcher_reads(store: SnapshotStore) -> None:
    code, out, err = show(store, URL, "--text")
    assert (code, err) == (0, "")
    snapshot = newest(store)
    read = TextCache(store).text(snapshot, functools.partial(store.read, snapshot))
    assert read.text == extract_text(NEW, snapshot.media_type).text
    head, _, text = out.partition("\n\n" + "-" * 8 + " text " + "-" * 8 + "\n")
    assert text == read.text.replace("\x1b", "\\x1b") + "\n"  # neutralised, as all output
    assert "\\x1b[2J" in text
    assert "\x1b" not in out
    assert fields(head)["title"] == "Report"
    assert fields(head)["text"] == f"{len(read.text)} characters, read as text/html (utf-8)"


def test_a_digest_prefix_the_payload_digest_and_the_warc_file_name_all_name_it(
    store: SnapshotStore,
) -> None:
    snapshot = newest(store)
    warc_hex = snapshot.path.removeprefix("warc/").removesuffix(".warc.gz")
    expected = f"capture {capture_id(snapshot)}"
    for name in (
        warc_hex[:7],
        warc_hex.upper(),
        snapshot.path,
        snapshot.digest,
        snapshot.digest.removeprefix("sha256:")[:10],
    ):
        code, out, err = show(store, name)
        assert (code, err) == (0, ""), name
        assert out.splitlines()[0] == expected, name


def test_the_same_content_captured_twice_shows_the_newest_and_lists_the_other(
    tmp_path: Path,
) -> None:
    store = SnapshotStore(tmp_path / "snapshots", create=True)
    first = store.add(URL, b"same words", media_type="text/plain", captured=T0)
    second = store.add(URL, b"same words", media_type="text/plain", captured=T0 + dt.timedelta(1))
    assert first.digest == second.digest
    assert first.path != second.path
    code, out, _ = show(store, first.digest[7:19])
    assert code == 0
    assert out.splitlines()[0] == f"capture {capture_id(second)}"
    assert f"\n{capture_id(first)} 2026-03-01T02:00:00Z" in out


def test_an_ambiguous_prefix_lists_the_candidates(store: SnapshotStore) -> None:
    index = store.root / "index.cdxj"
    lines = index.read_text(encoding="utf-8").splitlines()
    # Two entries whose WARC files share a prefix (as a hand-edited index may say: show reads
    # the metadata from the index alone).
    edited = []
    for number, line in enumerate(lines):
        key, stamp, payload = line.split(" ", 2)
        entry = json.loads(payload)
        if number < 2:
            entry["filename"] = f"warc/abcdef{number}{'0' * 57}.warc.gz"
        edited.append(f"{key} {stamp} {json.dumps(entry)}")
    index.write_text("\n".join(edited) + "\n", encoding="utf-8")
    code, out, err = show(SnapshotStore(store.root), "abcdef")
    assert (code, out) == (2, "")
    assert err.startswith("claimcheck: abcdef names 2 entries of the store: abcdef000000 (")
    assert "abcdef100000 (" in err
    assert err.count("\n") == 1
    code, out, _ = show(SnapshotStore(store.root), "abcdef1")
    assert code == 0
    assert out.splitlines()[0].endswith(" abcdef100000")


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (
            "https://example.org/never",
            "no capture or failure record of https://example.org/never in {store}; "
            "'claimcheck snapshot list' lists what it holds",
        ),
        (
            "deadbeef",
            "no capture or failure record whose digest starts with deadbeef in {store}; "
            "'claimcheck snapshot list' lists what it holds",
        ),
        ("abc", "abc: not a URL, nor a digest of at least 4 hex digits"),
        ("report.html", "report.html: not a URL, nor a digest of at least 4 hex digits"),
    ],
)
def test_nothing_found_is_an_input_error(store: SnapshotStore, name: str, said: str) -> None:
    code, out, err = show(store, name)
    assert (code, out) == (2, "")
    assert err == f"claimcheck: {said.format(store=store.root)}\n"


def test_a_missing_store_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run_cli("snapshot", "show", URL, "--snapshots", tmp_path / "none")
    assert code == 2
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_the_worked_example_store(tmp_path: Path) -> None:
    code, out, err = run_cli("snapshot", "list", "--snapshots", WORKED_EXAMPLE_STORE)
    assert code == 0
    first = out.splitlines()[0]
    code, shown, err = run_cli(
        "snapshot", "show", first[:12], "--text", "--snapshots", WORKED_EXAMPLE_STORE
    )
    assert (code, err) == (0, "")
    assert fields(shown)["url"] == first.split()[-1]
    assert "\n-------- text --------\n" in shown

"""The text cache in the store's ``.cache/`` (issue 13): an entry is bound to the capture it
was derived from (its payload digest, media type and the claimcheck version), so an entry of
another capture is never used for this one; ``snapshot verify`` derives every entry again and
reports one that differs (forged or damaged); an entry that would inflate beyond the bound is
derived again in bounded memory; nothing is read or written through a ``.cache`` link leading
out of the store."""

from __future__ import annotations

import gzip
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

import claimcheck
from claimcheck import Status
from support import CHANGED, ORIGINAL, QUOTE, quote_claims, run_cli

CHANGED_URL = "https://news.example/changed"
ORIGINAL_URL = "https://news.example/original"
MiB = 2**20


def make_store(root: Path, **options: int) -> claimcheck.SnapshotStore:
    store = claimcheck.SnapshotStore(root, create=True, **options)
    store.add(CHANGED_URL, CHANGED.encode(), media_type="text/html")
    store.add(ORIGINAL_URL, ORIGINAL.encode(), media_type="text/html")
    return store


def statuses(store: claimcheck.SnapshotStore) -> dict[str, Status]:
    claims = quote_claims({"changed": CHANGED_URL, "original": ORIGINAL_URL}, QUOTE)
    report = claimcheck.check(claims, snapshots=store, copies="stored", coverage=False)
    return {result.claim.id or "": result.status for result in report.results}


def entry_file(store: claimcheck.SnapshotStore, url: str) -> Path:
    snapshot = store.find(url)
    assert snapshot is not None
    (path,) = (store.root / ".cache" / "text").glob(
        snapshot.digest.removeprefix("sha256:") + "-*.json.gz"
    )
    return path


def test_the_cache_does_not_change_verdicts(tmp_path: Path) -> None:
    store = make_store(tmp_path / "snapshots")
    first = statuses(store)
    assert first == {"changed": Status.DRIFTED, "original": Status.VERIFIED}
    assert len(list((store.root / ".cache" / "text").iterdir())) == 2
    assert statuses(claimcheck.SnapshotStore(store.root)) == first


def test_an_entry_of_another_capture_is_not_used(tmp_path: Path) -> None:
    store = make_store(tmp_path / "snapshots")
    statuses(store)
    # The entry of the page that holds the quote, put in place of the changed page's.
    shutil.copyfile(entry_file(store, ORIGINAL_URL), entry_file(store, CHANGED_URL))
    assert statuses(claimcheck.SnapshotStore(store.root))["changed"] is Status.DRIFTED


def test_verify_reports_a_forged_entry(tmp_path: Path) -> None:
    store = make_store(tmp_path / "snapshots")
    statuses(store)
    target = entry_file(store, CHANGED_URL)
    own_header = gzip.decompress(target.read_bytes()).split(b"\n", 1)[0]
    own = json.loads(own_header)
    other_header, other_rest = gzip.decompress(entry_file(store, ORIGINAL_URL).read_bytes()).split(
        b"\n", 1
    )
    other = json.loads(other_header)
    # A forger who knows the format: the other page's text, this capture's binding.
    binding = {key: own[key] for key in ("digest", "media_type", "version") if key in own}
    forged = json.dumps({**other, **binding}).encode() + b"\n" + other_rest
    target.write_bytes(gzip.compress(forged))
    code, out, err = run_cli("snapshot", "verify", "--snapshots", store.root)
    assert code == 1
    assert out == "2 captures, 1 problems\n"
    assert target.name in err
    assert "does not match" in err
    assert "Traceback" not in err


def test_verify_passes_a_store_whose_cache_is_sound(tmp_path: Path) -> None:
    store = make_store(tmp_path / "snapshots")
    statuses(store)
    code, out, err = run_cli("snapshot", "verify", "--snapshots", store.root)
    assert (code, out, err) == (0, "2 captures, 0 problems\n", "")


def test_an_entry_inflating_beyond_the_bound_is_derived_again_in_bounded_memory(
    tmp_path: Path,
) -> None:
    store = make_store(tmp_path / "snapshots", max_bytes=MiB)
    statuses(store)
    target = entry_file(store, CHANGED_URL)
    bomb = gzip.compress(b" " * (64 * MiB), compresslevel=9)
    assert len(bomb) < MiB
    target.write_bytes(bomb)
    tracemalloc.start()
    try:
        found = statuses(claimcheck.SnapshotStore(store.root, max_bytes=MiB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found["changed"] is Status.DRIFTED
    assert peak < 16 * MiB


def test_nothing_is_written_through_a_cache_link_leading_out(tmp_path: Path) -> None:
    store = make_store(tmp_path / "snapshots")
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.root / ".cache").symlink_to(outside, target_is_directory=True)
    assert statuses(store) == {"changed": Status.DRIFTED, "original": Status.VERIFIED}
    assert list(outside.iterdir()) == []


def test_nothing_is_read_through_a_cache_link_leading_out(tmp_path: Path) -> None:
    # A cache elsewhere, whose entry says the changed page holds the quote.
    elsewhere = make_store(tmp_path / "elsewhere")
    statuses(elsewhere)
    shutil.copyfile(entry_file(elsewhere, ORIGINAL_URL), entry_file(elsewhere, CHANGED_URL))
    store = make_store(tmp_path / "snapshots")
    (store.root / ".cache").symlink_to(elsewhere.root / ".cache", target_is_directory=True)
    assert statuses(store)["changed"] is Status.DRIFTED


@pytest.mark.parametrize("media_types", [("text/html", "text/plain")])
def test_one_payload_of_two_media_types_has_two_entries(
    tmp_path: Path, media_types: tuple[str, str]
) -> None:
    payload = f"<p><b>{QUOTE[:20]}</b>{QUOTE[20:]}</p>".encode()
    store = claimcheck.SnapshotStore(tmp_path / "snapshots", create=True)
    urls = {kind.replace("/", "-"): f"https://news.example/{kind}" for kind in media_types}
    for kind, url in zip(media_types, urls.values(), strict=True):
        store.add(url, payload, media_type=kind)

    def judged() -> dict[str, Status]:
        report = claimcheck.check(
            quote_claims(urls, QUOTE),
            snapshots=claimcheck.SnapshotStore(store.root),
            copies="stored",
            coverage=False,
        )
        return {result.claim.id or "": result.status for result in report.results}

    first = judged()
    assert first["text-html"] is Status.VERIFIED
    assert first["text-plain"] is not Status.VERIFIED  # the tags are in a plain text's words
    assert judged() == first

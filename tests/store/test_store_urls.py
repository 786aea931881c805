"""Any URL ``snapshot add`` is given either becomes a capture the index can hold, readable by
every later command, or is refused with the store's error: never an index that breaks for
everything after it (a URL with a space, seen in real data sets, wrote its key with the space,
and every later command failed with "unreadable index entry")."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck import SnapshotStore
from claimcheck.errors import SnapshotStoreError, SnapshotStoreWarning
from claimcheck.model import surt
from support import run_cli

PAGE = b"<p>words</p>"
ODD_URLS = (
    "http://ex.com/a b",
    "http://ex.com/a\tb",
    "http://ex.com/line\u2028break",
    "http://ex.com/next\x85line",
    "http://ex.com/nbsp\xa0here?q=a b",
    "http://host/page/café.html",
    "http://ex.com/%20already",
)


def test_odd_urls_keep_the_index_readable(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store", create=True)
    for url in ODD_URLS:
        store.add(url, PAGE, media_type="text/html")
    reopened = SnapshotStore(tmp_path / "store")
    assert {snapshot.url for snapshot in reopened.snapshots()} == set(ODD_URLS)
    for url in ODD_URLS:
        (found,) = reopened.snapshots(url)
        assert reopened.read(found) == PAGE
    for line in (tmp_path / "store" / "index.cdxj").read_text("utf-8").splitlines():
        key, _, _ = line.split(" ", 2)
        assert not any(character.isspace() for character in key)
    assert reopened.verify() == []


def test_the_cli_after_a_url_with_a_space(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    store = tmp_path / "store"
    code, _, err = run_cli("snapshot", "add", "http://ex.com/a b", page, "--snapshots", store)
    assert code == 0, err
    code, out, err = run_cli("snapshot", "list", "--snapshots", store)
    assert code == 0, err
    assert "http://ex.com/a b" in out


def test_a_key_never_holds_a_space_or_control_character() -> None:
    assert surt("http://ex.com/a b") == "com,ex)/a%20b"
    assert surt("http://ex.com/a\u2028b") == "com,ex)/a%E2%80%A8b"
    assert surt("http://host/page/café.html") == "host)/page/café.html"  # as before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=40),
        st.builds(
            "{}://{}/{}".format,
            st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
            st.text(max_size=15),
            st.text(max_size=30),
        ),
    )
)
def test_any_url_is_added_readably_or_refused(url: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SnapshotStore(Path(folder) / "store", create=True)
        try:
            store.add(url, PAGE, media_type="text/html")
        except SnapshotStoreError:
            return
        (snapshot,) = SnapshotStore(Path(folder) / "store").snapshots()
        assert SnapshotStore(Path(folder) / "store").read(snapshot) == PAGE


def test_one_unreadable_index_line_leaves_the_rest_of_the_store_usable(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "store", create=True)
    kept = store.add("http://ex.com/kept", PAGE, media_type="text/html")
    index = tmp_path / "store" / "index.cdxj"
    broken = b"com,ex)/a b 20210101000000 {not json\n"  # as an old claimcheck wrote a space
    index.write_bytes(broken + index.read_bytes())
    reopened = SnapshotStore(tmp_path / "store")
    with pytest.warns(SnapshotStoreWarning, match=r"index.cdxj:1: unreadable index entry skipped"):
        assert reopened.snapshots() == [kept]
    # An add keeps the line it cannot read, for rebuild-index or a person: nothing is lost.
    added = reopened.add("http://ex.com/added", PAGE, media_type="text/html")
    assert broken in index.read_bytes()
    code, out, err = run_cli("snapshot", "list", "--snapshots", tmp_path / "store")
    assert code == 0
    assert "http://ex.com/kept" in out
    assert "http://ex.com/added" in out
    assert err.count("claimcheck: warning:") == 1
    code, out, err = run_cli("snapshot", "verify", "--snapshots", tmp_path / "store")
    assert code == 1
    assert "index.cdxj:1: unreadable index entry" in out + err  # kept where it was: adds append
    assert "Traceback" not in err
    code, _, err = run_cli("snapshot", "rebuild-index", "--snapshots", tmp_path / "store")
    assert code == 0, err
    assert broken not in index.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SnapshotStore(tmp_path / "store").snapshots() == [added, kept]

"""The fixtures tests in several folders share (the helpers that are not fixtures are in
``support.py``; a folder's own fixtures would go in its own ``conftest.py``)."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import claimcheck
from audit_histories import Built, all_scenarios, write_history
from claimcheck import Claim, Snapshot, Source
from claimcheck.auditing import AuditHistory, load_audit
from claimcheck.checking import Judge, Reading
from support import ROOT, WORKED_EXAMPLE, WORKED_EXAMPLE_STORE, claim_toml

# Property tests: a quick default; `HYPOTHESIS_PROFILE=thorough pytest` for a long hunt.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The team's corpus of real pages and PDFs: CLAIMCHECK_CORPUS, by default ../shared/corpus next
# to the project checkout.
CORPUS_DIR = Path(os.environ.get("CLAIMCHECK_CORPUS") or ROOT.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The corpus (``news-html/``, ``pdf/``: ``$CLAIMCHECK_CORPUS``, by default
    ``../shared/corpus`` from the project root); skips the test without it."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus not available at {CORPUS_DIR} (set CLAIMCHECK_CORPUS)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def worked_example() -> claimcheck.Report:
    """The project's worked example (``claims/denmark-syria-2021.toml``), checked offline
    against its committed snapshot store, once for the session (a report is immutable)."""
    claim_set = claimcheck.load(WORKED_EXAMPLE)
    store = claimcheck.SnapshotStore(WORKED_EXAMPLE_STORE)
    return claimcheck.check([claim_set], snapshots=store, copies="stored")


CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries Google's hosts at every start, which
# this sandbox refuses; the profile is a fresh temporary one for each launch (playwright's).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) for the session, driven by playwright. Skipped where
    either is missing, except in CI (``CLAIMCHECK_REQUIRE_BROWSER=1``, set by ``.ci/run``),
    where a missing browser is a failure."""
    skip = pytest.fail if os.environ.get("CLAIMCHECK_REQUIRE_BROWSER") == "1" else pytest.skip
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        skip(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def unthrottled_archives(tmp_path: Path) -> Path:
    """A ``--config`` file that lifts the archive rate limit (15 calls a minute by default,
    for the real Internet Archive) for a fake archive on 127.0.0.1: a command line's archive
    calls then take no seconds of waiting."""
    path = tmp_path / "unthrottled.toml"
    path.write_text("[archives]\nrequests_per_minute = 6000\n", encoding="utf-8")
    return path


QuoteClaimsWriter = Callable[[Path, dict[str, str], str], Path]


@pytest.fixture
def write_quote_claims() -> QuoteClaimsWriter:
    """Writes ``letter.toml`` in a folder: statement ``letter``, one quote claim per name, each
    citing its URL (``urls``: name -> URL); returns its path."""

    def write(folder: Path, urls: dict[str, str], quote: str) -> Path:
        entries = "".join(claim_toml(name, "quote", quote, url) for name, url in urls.items())
        path = folder / "letter.toml"
        path.write_text(f'[statement]\nid = "letter"\n{entries}', encoding="utf-8")
        return path

    return write


# --- Audit histories (audit_histories.py), read in tests/auditing and rendered in tests/reports


@pytest.fixture(scope="module")
def built_history(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The scripted ten-run history, with what the audit reported each night."""
    path = tmp_path_factory.mktemp("history") / "audit.sqlite"
    scenarios = all_scenarios(hostile=False)
    return Built(path, scenarios, write_history(path, scenarios))


@pytest.fixture(scope="module")
def audit_history(built_history: Built) -> AuditHistory:
    """The scripted history, read."""
    return load_audit(built_history.path)


@pytest.fixture(scope="module")
def hostile_history(tmp_path_factory: pytest.TempPathFactory) -> AuditHistory:
    """The scripted history with three hostile citations (script, attribute and bidi payloads
    in identifiers, URLs and messages), read."""
    path = tmp_path_factory.mktemp("hostile") / "audit.sqlite"
    write_history(path, all_scenarios(hostile=True))
    return load_audit(path)


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse, and record, any connection the test attempts outside 127.0.0.0/8 (made before it
    reaches the network); the test fails if any was attempted. The attempts so far are yielded,
    for a test that wants to say more."""
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else ""
        internet = self.family in (socket.AF_INET, socket.AF_INET6)
        if internet and not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            attempts.append(host)
            raise ConnectionRefusedError(f"the test allows no connection to {host}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert attempts == [], f"connections were attempted outside the loopback: {attempts}"


@pytest.fixture
def buggy_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a copy (``Judge.reading``: matching the claim against it) fails, as a bug would,
    for every source whose URL ends in ``/bug``."""
    reading = Judge.reading

    def failing(self: Judge, claim: Claim, source: Source, snapshot: Snapshot) -> Reading:
        if source.url.endswith("/bug"):
            raise RuntimeError("boom")
        return reading(self, claim, source, snapshot)

    monkeypatch.setattr(Judge, "reading", failing)


@pytest.fixture
def cut_network(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """A function that takes the test process off the network: from the call on, every host name
    (and address literal: urllib3 resolves those too) fails to resolve as it does on a machine
    whose resolver is out of reach (glibc's ``EAI_AGAIN``, "Temporary failure in name
    resolution"), so that nothing is ever sent. It returns the list of the names asked for,
    which grows as the test goes on."""
    asked: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(str(host))
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def cut() -> list[str]:
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return asked

    return cut

"""Offline agrees with online (issue 14, item 8): after ``snapshot fetch`` (or an online check
into a store), ``check --offline`` gives every source the status and reason the online check
gave, whatever the live fetch came to (a host that does not resolve, a refused connection, a
failed TLS handshake, a timeout, 404, 500, a good page) and whatever the archive said (a copy,
none, or a lookup that failed).

Every URL also has an older good capture in the store: the newest recorded outcome must win, as
it does online (a page that is gone now is not "verified" offline by what it said last year).

All traffic stays on 127.0.0.1: the host that does not resolve is a ``.invalid`` name (RFC
6761: never resolvable), answered by a resolver patched in-process so that no resolver outside
is asked; the commands run in-process (``support.run_cli``) so the patch holds for them."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import claimcheck
from claimcheck import Reason, SnapshotStore, Status
from fake_archive import FakeArchive
from servers import LocalServer, hold, page, self_signed_context
from support import ACCESSED, ORIGINAL, QUOTE, run_cli

UNRESOLVABLE = "http://gone-for-good.invalid/report"
OLDER = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
Verdicts = dict[str, tuple[str, str, str]]


@pytest.fixture
def unresolvable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``.invalid`` names fail to resolve at once, as a resolver answers them (NXDOMAIN, RFC
    6761 section 6.4), without asking one."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens at (bound, then let go: refused from then on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def origins() -> Iterator[dict[str, str]]:
    """A good page, a 404 and a 500, each on a host of its own (one host's slots and spacing
    would hold the others' requests up)."""
    routes = {
        "ok": page(ORIGINAL),
        "404": page("<h1>Not found</h1>", status=404),
        "500": page("<h1>Internal error</h1>", status=500),
    }
    with contextlib.ExitStack() as stack:
        servers = {
            name: stack.enter_context(LocalServer({"/page": route}))
            for name, route in routes.items()
        }
        yield {name: server.url + "/page" for name, server in servers.items()}


@pytest.fixture
def tls_origin(tmp_path: Path) -> Iterator[str]:
    context = self_signed_context(tmp_path)
    if context is None:
        pytest.skip("neither the cryptography package nor openssl can make a certificate")
    with LocalServer({"/page": page(ORIGINAL)}, tls=context) as server:
        yield server.url + "/page"


@pytest.fixture
def urls(origins: dict[str, str], tls_origin: str) -> dict[str, str]:
    return {
        **origins,
        "dns": UNRESOLVABLE,
        "refused": f"http://127.0.0.1:{closed_port()}/page",
        "tls": tls_origin,
    }


def write_claims(folder: Path, urls: dict[str, str]) -> Path:
    """A claims file: one quote claim per name, citing its URL as accessed on ``ACCESSED``."""
    entries = "".join(
        f'\n[[claim]]\nid = "{name}"\nkind = "quote"\ntext = "{QUOTE}"\n'
        f'\n[[claim.source]]\nurl = "{url}"\naccessed = {ACCESSED.isoformat()}\n'
        for name, url in urls.items()
    )
    path = folder / "claims.toml"
    path.write_text(f'[statement]\nid = "letter"\n{entries}', encoding="utf-8")
    return path


def seeded_store(path: Path, urls: dict[str, str]) -> Path:
    """A store holding an older good capture of every URL (the page as it was)."""
    store = SnapshotStore(path, create=True)
    for url in urls.values():
        store.add(url, ORIGINAL.encode(), media_type="text/html", status=200, captured=OLDER)
    return path


def network(archive: str, unthrottled: Path, deadline: float = 5.0) -> list[str]:
    """The network options of the online commands (the archive at ``archive``)."""
    return [
        *["--wayback", archive, "--config", str(unthrottled)],
        *["--deadline", str(deadline), "--allow-private-addresses"],
    ]


def fetch_then_check_offline(claims: Path, store: Path, network: list[str]) -> Verdicts:
    code, _, err = run_cli("snapshot", "fetch", claims, "--snapshots", store, *network)
    assert code == 1, err  # some live fetches failed
    return check_offline(claims, store)


def verdicts_of(report: dict[str, Any]) -> Verdicts:
    return {
        claim["id"]: (source["status"], source["reason"], source["message"])
        for claim in report["claims"]
        for source in claim["sources"]
    }


def check_online(claims: Path, store: Path, network: list[str]) -> Verdicts:
    output = store.parent / f"{store.name}-online.json"
    arguments = ["check", claims, "--snapshots", store, *network]
    code, _, err = run_cli(*arguments, "--format", "json", "-o", output)
    assert code in (0, 1), err
    return verdicts_of(json.loads(output.read_text(encoding="utf-8")))


def check_offline(claims: Path, store: Path) -> Verdicts:
    output = store.parent / f"{store.name}-offline.json"
    arguments = ["check", claims, "--offline", "--snapshots", store]
    code, _, err = run_cli(*arguments, "--format", "json", "-o", output)
    assert code in (0, 1), err
    return verdicts_of(json.loads(output.read_text(encoding="utf-8")))


def pairs(verdicts: Verdicts) -> dict[str, tuple[str, str]]:
    return {name: (status, reason) for name, (status, reason, _) in verdicts.items()}


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        yield fake


def archive_endpoint(archive: FakeArchive, archived: str, urls: dict[str, str]) -> str:
    """The archive as the test wants it: holding a copy of every URL as it was on 2021-03-01
    (``capture``), none (``none``), or not reachable at all (``unreachable``)."""
    if archived == "capture":
        for url in urls.values():
            archive.add(url, "20210301000000", ORIGINAL.encode())
    if archived == "unreachable":
        return f"http://127.0.0.1:{closed_port()}"
    return archive.base_url


@pytest.mark.usefixtures("unresolvable")
@pytest.mark.parametrize("archived", ["capture", "none", "unreachable"])
def test_offline_gives_the_online_verdicts(
    archived: str,
    urls: dict[str, str],
    archive: FakeArchive,
    tmp_path: Path,
    unthrottled_archives: Path,
) -> None:
    options = network(archive_endpoint(archive, archived, urls), unthrottled_archives)
    claims = write_claims(tmp_path, urls)
    checked = seeded_store(tmp_path / "checked", urls)
    online = check_online(claims, checked, options)

    fetched = fetch_then_check_offline(claims, seeded_store(tmp_path / "fetched", urls), options)
    assert pairs(fetched) == pairs(online)
    assert pairs(check_offline(claims, checked)) == pairs(online)  # what online stored, too

    # The verdicts are the ones the judge's table gives (the test is not vacuous).
    assert online["ok"][:2] == ("verified", "exact")
    gone = {name: online[name][:2] for name in ("dns", "refused", "404", "500")}
    if archived == "capture":
        assert set(gone.values()) == {("broken", "dead-link")}
        assert online["tls"][:2] == ("verified", "exact")  # the archived copy has it
    elif archived == "none":
        assert set(gone.values()) == {("broken", "no-archive")}
        assert online["tls"][:2] == ("unchecked", "tls-error")
    else:
        assert gone["dns"] == ("broken", "dns-failure")
        assert gone["500"] == ("broken", "http-5xx")
        # An archive out of reach says nothing of the URL (as a rate limit): not recorded;
        # offline says the live failure, with its date.
        assert "when fetched on" in fetched["dns"][2]


@pytest.mark.usefixtures("unresolvable")
@pytest.mark.parametrize("archived", ["capture", "none"])
def test_offline_gives_the_online_verdict_of_a_timeout(
    archived: str, archive: FakeArchive, tmp_path: Path, unthrottled_archives: Path
) -> None:
    """A page that never answers (a test of its own: the deadline it takes is short)."""
    with LocalServer({"/page": hold(30.0)}) as hanging:
        urls = {"timeout": hanging.url + "/page"}
        options = network(archive_endpoint(archive, archived, urls), unthrottled_archives, 1.0)
        claims = write_claims(tmp_path, urls)
        online = check_online(claims, seeded_store(tmp_path / "checked", urls), options)
        fetched = fetch_then_check_offline(
            claims, seeded_store(tmp_path / "fetched", urls), options
        )
    assert pairs(fetched) == pairs(online)
    if archived == "capture":
        assert online["timeout"][:2] == ("verified", "exact")
    else:
        assert online["timeout"][:2] == ("unchecked", "timeout")


def test_a_newer_capture_wins_over_an_older_failure(tmp_path: Path) -> None:
    """The newest recorded outcome wins either way: a page that answers again is read again."""
    url = "https://example.org/report"
    claims = write_claims(tmp_path, {"back": url})
    store = SnapshotStore(tmp_path / "store", create=True)
    store.add_failure(url, Reason.DNS_FAILURE, "the host name does not resolve", origin="live")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    store.add(url, ORIGINAL.encode(), media_type="text/html", status=200, captured=later)
    report = claimcheck.check(claims, copies="stored", snapshots=store)
    (verdict,) = report.results[0].verdicts
    assert (verdict.status, verdict.reason) == (Status.VERIFIED, Reason.EXACT)


def test_a_failure_of_one_url_says_nothing_of_its_variants(tmp_path: Path) -> None:
    """A capture counts for every URL with its SURT key (http and https, www or not); a
    recorded failure is its own URL's: ``http://`` failing does not hide the ``https://``
    page."""
    store = SnapshotStore(tmp_path / "store", create=True)
    store.add("https://example.org/a", ORIGINAL.encode(), media_type="text/html", status=200)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    store.add_failure(
        "http://example.org/a", Reason.CONNECTION_REFUSED, "refused", origin="live", recorded=later
    )
    claims = write_claims(
        tmp_path, {"secure": "https://example.org/a", "plain": "http://example.org/a"}
    )
    report = claimcheck.check(claims, copies="stored", snapshots=store)
    found = {result.claim.id: result.verdicts[0] for result in report.results}
    assert (found["secure"].status, found["secure"].reason) == (Status.VERIFIED, Reason.EXACT)
    assert (found["plain"].status, found["plain"].reason) == (
        Status.BROKEN,
        Reason.CONNECTION_REFUSED,
    )


def test_an_archive_rate_limit_is_not_recorded(
    origins: dict[str, str], archive: FakeArchive, tmp_path: Path, unthrottled_archives: Path
) -> None:
    """A rate limit stops every lookup after it: it says nothing of the URLs, and is not
    recorded as their archive's answer (the dead link stays ``http-404``, as online)."""
    archive.add(origins["404"], "20210301000000", ORIGINAL.encode())
    archive.answer_429(times=100, retry_after="120")
    urls = {"404": origins["404"]}
    claims = write_claims(tmp_path, urls)
    options = network(archive.base_url, unthrottled_archives)
    online = check_online(claims, tmp_path / "checked", options)
    store = tmp_path / "fetched"
    fetched = fetch_then_check_offline(claims, store, options)
    assert pairs(fetched) == pairs(online) == {"404": ("broken", "http-404")}
    assert [failure.origin for failure in SnapshotStore(store).failures()] == ["live"]


def test_a_run_without_network_records_no_failures(
    cut_network: Callable[[], list[str]],
    archive: FakeArchive,
    tmp_path: Path,
    unthrottled_archives: Path,
) -> None:
    """A run that reached no network at all (every name fails to resolve, the archive's too)
    records no failure, neither for the live fetches nor for the archive lookups: it says
    nothing of the URLs, and the next run with a network decides."""
    claims = write_claims(
        tmp_path, {"a": "http://a.example/report", "b": "http://b.example/report"}
    )
    store = tmp_path / "fetched"
    options = network(archive.base_url, unthrottled_archives)
    cut_network()
    code, _, err = run_cli("snapshot", "fetch", claims, "--snapshots", store, *options)
    assert code == 1
    assert err.count("no network: check against stored captures with --offline") == 1
    assert SnapshotStore(store).failures() == []
    code, _, err = run_cli("check", claims, "--snapshots", store, *options)
    assert "no network" in err
    assert SnapshotStore(store).failures() == []
    assert archive.calls_to("/cdx") == []

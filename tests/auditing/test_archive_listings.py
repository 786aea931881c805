"""An audit asks the Internet Archive's index a host at a time, not a citation at a time, and
remembers the answers in its history: call counts against the fake archive, paging by resume
keys, a host whose listing fails, and verdicts the same as one lookup per URL.

Internals tested directly (private modules): the listing's page size and its smallest group
(``claimcheck.auditing._listings``), set small here to make a host's answer span pages or to
compare with one lookup per URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import claimcheck
from claimcheck import ArchiveConfig
from claimcheck.auditing import AuditPolicy, AuditResult, _listings, audit
from claimcheck.sources import ACCESS_KEY_ENV, SECRET_KEY_ENV
from claimcheck.store import History, Observation
from fake_archive import FakeArchive
from servers import LocalServer, Route, page
from support import LOCAL_FETCH, ORIGINAL, QUOTE, quote_claims

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
GONE = page("<h1>Not found</h1>", status=404)
CHANGED = page(ORIGINAL.replace("189", "198"))
CDX = "/cdx/search/cdx"


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


class Hosts:
    """Several local hosts (a server each: a host and port is a host to the index), a fake
    Wayback Machine, a history and a store."""

    def __init__(self, folder: Path, servers: list[LocalServer], archive: FakeArchive) -> None:
        self.folder = folder
        self.servers = servers
        self.archive = archive

    def url(self, host: int, name: str) -> str:
        return f"{self.servers[host].url}/{name}"

    def serve(self, host: int, name: str, route: Route) -> str:
        self.servers[host].routes[f"/{name}"] = route
        return self.url(host, name)

    def claims(self, urls: dict[str, str]) -> claimcheck.ClaimSet:
        return quote_claims(urls, QUOTE)

    def run(
        self, when: float, claims: claimcheck.ClaimSet, *, db: str = "audit", **policy: object
    ) -> AuditResult:
        return audit(
            claims,
            history=self.folder / f"{db}.sqlite",
            snapshots=self.folder / f"{db}-snapshots",
            fetch=LOCAL_FETCH,
            archives=ArchiveConfig(
                wayback=self.archive.base_url,
                save_page_now=f"{self.archive.base_url}/save",
                requests_per_minute=6000.0,
            ),
            policy=AuditPolicy(**policy),  # type: ignore[arg-type]
            now=T0 + dt.timedelta(days=when),
        )

    def cdx_calls(self) -> list[dict[str, list[str]]]:
        return [parse_qs(urlsplit(r.path).query) for r in self.archive.calls_to(CDX)]


@pytest.fixture
def hosts(tmp_path: Path) -> Iterator[Hosts]:
    with (
        LocalServer({}) as one,
        LocalServer({}) as two,
        LocalServer({}) as three,
        FakeArchive() as archive,
    ):
        yield Hosts(tmp_path, [one, two, three], archive)


@pytest.fixture
def keys(hosts: Hosts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ACCESS_KEY_ENV, hosts.archive.keys[0])
    monkeypatch.setenv(SECRET_KEY_ENV, hosts.archive.keys[1])


def latest(history: History) -> dict[str, Observation]:
    """The latest observation of each citation, by claim id."""
    return {o.key.claim_id: o for o in history.observations()}


# ---------------------------------------------------------------------------------------------
# Save Page Now before death: a healthy, archived set


@pytest.mark.usefixtures("keys")
def test_a_healthy_archived_set_costs_one_index_query_per_host(hosts: Hosts) -> None:
    urls = {}
    for host in range(3):
        for number in range(4):
            url = hosts.serve(host, f"page{number}", page(ORIGINAL))
            hosts.archive.add(url, stamp(T0 - dt.timedelta(days=3 + number)), ORIGINAL.encode())
            urls[f"h{host}p{number}"] = url
    claims = hosts.claims(urls)
    policy = {"save_before_death": True, "save_poll_interval": 0.0}

    first = hosts.run(0, claims, **policy)
    assert first.observed == 12
    calls = hosts.cdx_calls()
    assert len(calls) <= 3  # one per host, where each URL was asked about on its own before
    assert all(call["matchType"] == ["prefix"] for call in calls)
    assert not [r for r in hosts.archive.requests if r.method == "POST"]  # nothing to save
    with History(hosts.folder / "audit.sqlite") as history:
        for claim_id, url in urls.items():
            state = history.url_state(url)
            assert state is not None
            number = int(claim_id[-1])
            assert state.archive_captured == T0 - dt.timedelta(days=3 + number)
            assert state.archive_url is not None
            assert url in state.archive_url

    asked = len(hosts.archive.requests)
    hosts.run(1, claims, **policy)
    assert len(hosts.archive.requests) == asked  # an unchanged second run asks nothing


# ---------------------------------------------------------------------------------------------
# The archived copy "as cited": remembered while fresh


def test_dead_links_are_looked_up_a_host_at_a_time_and_not_again_while_fresh(
    hosts: Hosts,
) -> None:
    urls = {}
    for host in range(3):
        for number in range(4):
            url = hosts.serve(host, f"gone{number}", GONE)
            if number % 2 == 0:  # half of them archived, half never
                hosts.archive.add(url, "20210301000000", ORIGINAL.encode())
            urls[f"h{host}g{number}"] = url
    claims = hosts.claims(urls)

    hosts.run(0, claims)
    assert len(hosts.cdx_calls()) <= 3
    with History(hosts.folder / "audit.sqlite") as history:
        found = latest(history)
    for claim_id, observation in found.items():
        archived = int(claim_id[-1]) % 2 == 0
        assert observation.status is claimcheck.Status.BROKEN
        assert (observation.replacement is not None) is archived, claim_id
        assert (observation.reason is claimcheck.Reason.NO_ARCHIVE) is not archived, claim_id

    asked = len(hosts.archive.requests)
    hosts.run(0.5, claims)  # within a day: the listings hold, the copies are in the store
    assert len(hosts.archive.requests) == asked
    with History(hosts.folder / "audit.sqlite") as history:
        again = latest(history)
    assert [(o.status, o.reason, o.replacement) for o in again.values()] == [
        (o.status, o.reason, o.replacement) for o in found.values()
    ]

    hosts.run(2, claims)  # two days later: asked again, a host at a time
    assert len(hosts.archive.requests) - asked <= 3


# ---------------------------------------------------------------------------------------------
# Paging


def test_a_host_answer_spanning_pages_is_read_to_its_end_by_its_resume_keys(
    hosts: Hosts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_listings, "LISTING_PAGE", 2)
    urls = {}
    for number in range(6):
        url = hosts.serve(0, f"gone{number}", GONE)
        if number != 3:
            hosts.archive.add(url, "20210301000000", ORIGINAL.encode())
        urls[f"g{number}"] = url
    claims = hosts.claims(urls)

    hosts.run(0, claims)
    calls = hosts.cdx_calls()
    assert len(calls) == 3  # five rows, two a page: the third page is the last
    assert "resumeKey" not in calls[0]
    printed = [call["resumeKey"][0] for call in calls[1:]]
    # sent back as printed (URL-encoded: "127%2C0%2C0%2C1%3A…+2021030100000" and so on)
    assert all("%2C" in key and key.endswith("1") for key in printed)
    with History(hosts.folder / "audit.sqlite") as history:
        found = latest(history)
    assert [found[f"g{n}"].replacement is not None for n in range(6)] == [
        True,
        True,
        True,
        False,
        True,
        True,
    ]
    assert found["g3"].reason is claimcheck.Reason.NO_ARCHIVE


def test_a_listing_cut_short_leaves_the_urls_past_its_end_to_their_own_lookups(
    hosts: Hosts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_listings, "LISTING_PAGE", 2)
    urls = {}
    for number in range(4):
        url = hosts.serve(0, f"gone{number}", GONE)
        for year in (2019, 2020, 2021):  # three captures a URL: 12 rows, more than 2 pages
            hosts.archive.add(url, f"{year}0301000000", ORIGINAL.encode())
        urls[f"g{number}"] = url
    claims = hosts.claims(urls)

    hosts.run(0, claims)
    calls = hosts.cdx_calls()
    listing = [call for call in calls if call.get("matchType") == ["prefix"]]
    assert len(listing) == 2  # at most a page per two URLs
    own = [call["url"][0] for call in calls if "matchType" not in call]
    # rows of gone0 (3) and gone1 (1 of 3) were read: gone0 is known, the others are asked
    assert urls["g0"] not in own
    assert {urls["g1"], urls["g2"], urls["g3"]} <= set(own)
    with History(hosts.folder / "audit.sqlite") as history:
        found = latest(history)
    assert all(observation.replacement is not None for observation in found.values())


# ---------------------------------------------------------------------------------------------
# Failures


def test_a_host_whose_listing_fails_is_looked_up_url_by_url(hosts: Hosts) -> None:
    hosts.archive.listing_error = (504, "504 Gateway Time-out")
    urls = {}
    for number in range(3):
        url = hosts.serve(0, f"gone{number}", GONE)
        if number:
            hosts.archive.add(url, "20210301000000", ORIGINAL.encode())
        urls[f"g{number}"] = url
    claims = hosts.claims(urls)

    hosts.run(0, claims)
    calls = hosts.cdx_calls()
    assert sum(call.get("matchType") == ["prefix"] for call in calls) == 1  # tried once
    own = {call["url"][0] for call in calls if "matchType" not in call}
    assert own == set(urls.values())
    with History(hosts.folder / "audit.sqlite") as history:
        found = latest(history)
        assert history.archive_listing("127,0,0,1") is None  # a failure is not remembered
    assert found["g0"].reason is claimcheck.Reason.NO_ARCHIVE
    assert found["g1"].replacement is not None
    assert found["g2"].replacement is not None


# ---------------------------------------------------------------------------------------------
# The same verdicts as one lookup per URL


def test_verdicts_are_those_of_one_lookup_per_url(
    hosts: Hosts, monkeypatch: pytest.MonkeyPatch
) -> None:
    accessed = "20210420"  # the claims' accessed date (support.ACCESSED)
    urls = {
        "verified": hosts.serve(0, "ok", page(ORIGINAL)),
        "drifted": hosts.serve(0, "changed", CHANGED),
        "dead-archived": hosts.serve(0, "gone", GONE),
        "dead-unarchived": hosts.serve(0, "lost", GONE),
        "dead-later": hosts.serve(1, "later", GONE),
        "dead-both": hosts.serve(1, "both", GONE),
        "dead-404": hosts.serve(1, "captured-404", GONE),
        "elsewhere": hosts.serve(2, "alone", GONE),  # a host of one URL: its own lookup
    }
    add = hosts.archive.add
    add(urls["drifted"], "20210301000000", ORIGINAL.encode())
    add(urls["dead-archived"], "20210301000000", ORIGINAL.encode())
    add(urls["dead-later"], "20230101000000", ORIGINAL.encode())
    add(urls["dead-both"], "20200101000000", b"<html><body><p>Old news.</p></body></html>")
    add(urls["dead-both"], f"{accessed}090000", ORIGINAL.encode())
    add(urls["dead-both"], "20220101000000", b"<html><body><p>Newer news.</p></body></html>")
    add(urls["dead-404"], "20210301000000", b"<h1>Not found</h1>", status=404)
    add(urls["elsewhere"], "20210301000000", ORIGINAL.encode())
    claims = hosts.claims(urls)

    hosts.run(0, claims, db="grouped")
    grouped_calls = hosts.cdx_calls()
    hosts.archive.requests.clear()
    monkeypatch.setattr(_listings, "MIN_GROUP", 1_000_000)  # every URL on its own
    hosts.run(0, claims, db="per-url")
    per_url_calls = hosts.cdx_calls()

    def verdicts(db: str) -> dict[str, tuple[object, ...]]:
        with History(hosts.folder / f"{db}.sqlite") as history:
            return {
                claim_id: (o.status, o.reason, o.message, o.archive_url, o.replacement)
                for claim_id, o in latest(history).items()
            }

    grouped, one_by_one = verdicts("grouped"), verdicts("per-url")
    assert grouped == one_by_one
    assert grouped["verified"][0] is claimcheck.Status.VERIFIED
    assert grouped["drifted"][0] is claimcheck.Status.DRIFTED
    assert f"/{accessed}090000/" in str(grouped["dead-both"][3])
    assert len(grouped_calls) < len(per_url_calls)
    assert not any("matchType" in call for call in per_url_calls)

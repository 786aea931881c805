"""The soft-404 probe and the politeness slots in ``fetch_many`` (issue 17).

A folder's probe takes a slot for its host like every request. In ``fetch_many`` it takes the
slot its folder's first page was given, and that page waits for a slot like any other: a probe
queued behind the pages would leave them waiting for it (each needs its answer) with the host's
slots idle for a whole round trip. Verdicts are the same either way; only the order differs.
"""

from __future__ import annotations

from claimcheck.sources import FetchConfig, Fetcher
from servers import LocalServer, page

PAGES = [f"/docs/{n}" for n in range(4)]


def _one_slot() -> FetchConfig:
    return FetchConfig(
        per_host=1, concurrency=1, host_spacing=0.0, retries=0, allow_private_addresses=True
    )


def test_the_probe_takes_the_first_slot_and_the_pages_pass_it() -> None:
    routes = {path: page(f"<p>page {path} with words of its own</p>") for path in PAGES}
    with LocalServer(routes) as server, Fetcher(_one_slot()) as fetcher:  # else: 404
        results = fetcher.fetch_many(server.url + path for path in PAGES)
        arrived = [request.path for request in server.stats.requests]
    assert all(result.ok for result in results.values())
    assert len(arrived) == len(PAGES) + 1
    probe = arrived[0]  # before the pages, one at a time on the host's one slot
    assert probe.startswith("/docs/")
    assert len(probe.rsplit("/", 1)[1]) == 25
    assert arrived[1:] == PAGES
    assert server.stats.max_in_flight == 1


def test_a_soft_404_is_still_found_through_the_handed_slot() -> None:
    same = page("<p>Sorry, we could not find that page, but here are our latest news.</p>")
    with LocalServer({"/docs/*": same}) as server, Fetcher(_one_slot()) as fetcher:
        results = fetcher.fetch_many(server.url + path for path in PAGES)
    assert [str(result.reason) for result in results.values()] == ["soft-404"] * len(PAGES)


def test_a_single_fetch_still_probes_alongside_its_page() -> None:
    routes = {"/docs/0": page("<p>a page</p>")}
    config = FetchConfig(host_spacing=0.0, retries=0, allow_private_addresses=True)
    with LocalServer(routes) as server, Fetcher(config) as fetcher:
        result = fetcher.fetch(server.url + "/docs/0")
    assert result.ok, result.message
    assert len(server.stats.requests) == 2

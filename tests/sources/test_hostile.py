"""Hostile servers, end to end: one ``claimcheck.check`` over a claims file whose every source is
a local server (127.0.0.1) misbehaving one way; each source gets its documented verdict, the
whole run stays within a time bound and within 300 MB, and the good page in the same run still
verifies. The scenario is ``benchmarks/hostile.py``'s, scaled down (50 MB bombs, a 100 MB
endless body against a 1 MiB cap; the nesting stays at 100,000 levels). Its archive side too: dead
links whose archived copies a hostile archive serves (bombs, a huge or malformed CDX answer, slow
answers, redirects to an internal server), all in one check."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

import claimcheck
from claimcheck import FetchConfig, SnapshotStore
from support import load_benchmark

pytestmark = pytest.mark.slow  # dozens of misbehaving servers, bombs of 50 MB

BOUND = 30.0  # seconds for the whole check
PEAK_MB = 300


def test_every_hostile_source_gets_its_documented_verdict_in_bounded_time_and_memory(
    tmp_path: Path,
) -> None:
    hostile = load_benchmark("hostile")
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with hostile.hostile_servers(
        tmp_path,
        bomb_size=50 * 2**20,
        body_size=100 * 2**20,
        depth=100_000,
        closed=False,  # 100,000 open <div>s (500 KB); closed, they would exceed the 1 MiB cap
        pdfs=hostile.handmade_pdfs(),
        trickle_interval=0.5,  # under the 1 s read timeout: only the 3 s deadline stops it
        comment_size=2**19,  # within the 1 MiB cap (tests/documents/test_huge_nodes.py: 10 MB)
    ) as urls:
        claim_set = claimcheck.load(hostile.write_claims(tmp_path, urls))
        started = time.monotonic()
        report = claimcheck.check(
            claim_set,
            snapshots=SnapshotStore(tmp_path / "store", create=True),
            fetch=FetchConfig(
                deadline=3,
                connect_timeout=1,
                read_timeout=1,
                max_bytes=2**20,
                retries=1,
                backoff=0.01,
                host_spacing=0,
                allow_private_addresses=True,  # the hostile servers are on 127.0.0.1
            ),
            copies="live-only",
        )
        elapsed = time.monotonic() - started
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    found = hostile.outcomes(report)
    messages = {r.claim.id: r.verdicts[0].message for r in report.results}
    # Every case staged here was checked (TLS and DNS only drop out where they cannot be staged).
    assert set(found) == set(urls)
    assert set(urls) >= set(hostile.CASES) - {"self-signed-tls", "unresolvable-host"}
    wrong = hostile.misses(found)
    assert not wrong, "\n".join(f"{w} ({messages[w.split(':')[0]]})" for w in wrong)
    assert "deadline" in messages["slowloris"]
    # The rest of the run carries on: the good page verifies alongside all of this.
    assert found["good-page"][0] == "verified"
    assert found["latin1-as-utf8"][0] == found["utf16-bom"][0] == found["nested-100k"][0]
    assert elapsed < BOUND, f"the check took {elapsed:.1f} s"
    growth_mb = (after_kib - before_kib) / 1024
    assert growth_mb < PEAK_MB, f"peak RSS grew by {growth_mb:.0f} MB (to {after_kib / 1024:.0f})"
    print(
        f"\nhostile suite: {len(found)} sources in {elapsed:.1f} s; peak RSS "
        f"{after_kib / 1024:.0f} MB (grew {growth_mb:.0f} MB)"
    )


def test_every_hostile_archive_answer_gets_its_documented_verdict_in_one_check(
    tmp_path: Path,
) -> None:
    """The archive side of the benchmark, scaled down (50 MB bombs, a 200 MB CDX answer against
    a 1 MiB cap, a 3 s deadline), all its cases in one ``check``."""
    hostile = load_benchmark("hostile")
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with hostile.hostile_archive(
        bomb_size=50 * 2**20, cdx_size=200 * 2**20, drip_interval=0.5, deadline=3.0
    ) as archive:
        claim_set = claimcheck.load(hostile.write_claims(tmp_path, archive.urls, name="archive"))
        started = time.monotonic()
        report = claimcheck.check(
            claim_set,
            snapshots=SnapshotStore(tmp_path / "store", create=True),
            fetch=FetchConfig(
                retries=0, host_spacing=0, soft_404=False, allow_private_addresses=True
            ),
            archives=claimcheck.ArchiveConfig(
                wayback=archive.base_url,
                timegates=(archive.base_url + "/timegate/",),
                timeout=3,
                deadline=3,
                max_bytes=2**20,
                requests_per_minute=60000,
            ),
            coverage=False,
        )
        elapsed = time.monotonic() - started
        assert archive.internal.stats.requests == []
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = {
        r.claim.id: (r.verdicts[0].status.value, r.verdicts[0].reason.value, r.verdicts[0].message)
        for r in report.results
    }
    assert set(found) == set(hostile.ARCHIVE_CASES)
    wrong = hostile.archive_misses(found)
    assert not wrong, "\n".join(wrong)
    # Two lookups are cut at the 3 s deadline; the rest take well under a second each.
    assert elapsed < BOUND, f"the check took {elapsed:.1f} s"
    growth_mb = (after_kib - before_kib) / 1024
    assert growth_mb < PEAK_MB, f"peak RSS grew by {growth_mb:.0f} MB"

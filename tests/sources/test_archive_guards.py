"""A hostile web archive, through the public paths: ``claimcheck.check`` looking up the archived
copy "as cited" of a dead link, the command line, and the archive clients themselves.

The archive is ``benchmarks/hostile.py``'s (:func:`hostile_archive`): one server on 127.0.0.1
playing the Wayback Machine and a Memento TimeGate, misbehaving in another way for each cited
URL: a decompression bomb as the ``id_`` replay, a CDX answer that never ends, a malformed CDX
answer or TimeGate answer, a replay fed a byte at a time, a CDX answer and a replay each within
the deadline but not together, and redirects (from the replay, from the TimeGate) to an
"internal" server on another loopback port, which must never be asked anything. Sizes are
scaled down: a 64 MiB bomb and a 256 MiB CDX answer against a 1 MiB cap, a 2 s deadline.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import claimcheck
from claimcheck import FetchConfig, SnapshotStore
from claimcheck.errors import ArchiveError
from claimcheck.sources import ArchiveConfig, Capture, MementoClient, RateLimiter, Wayback
from servers import LocalServer, page
from support import load_benchmark, run_cli

CAP = 2**20
DEADLINE = 2.0
BOMB = 64 * 2**20
CDX = 256 * 2**20
# Socket buffers on the loopback hold a few MiB the server has "sent" but claimcheck never read.
BUFFERED = 16 * 2**20


@pytest.fixture(scope="module")
def hostile() -> ModuleType:
    return load_benchmark("hostile")


@pytest.fixture(scope="module")
def archive(hostile: ModuleType) -> Iterator[Any]:
    with hostile.hostile_archive(
        bomb_size=BOMB, cdx_size=CDX, drip_interval=0.2, deadline=DEADLINE
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def nothing_internal(archive: Any) -> Iterator[None]:
    """Whatever the test, the "internal" server is never asked anything."""
    yield
    assert archive.internal.stats.requests == []


def archive_config(archive: Any, **changes: Any) -> ArchiveConfig:
    settings: dict[str, Any] = {
        "wayback": archive.base_url,
        "timegates": (archive.base_url + "/timegate/",),
        "timeout": DEADLINE,
        "deadline": DEADLINE,
        "max_bytes": CAP,
        "requests_per_minute": 60000.0,
        **changes,
    }
    return ArchiveConfig(**settings)


def check_case(archive: Any, case: str, folder: Path) -> tuple[Any, SnapshotStore]:
    """``check`` one claim citing the case's dead link: its verdict, and the store."""
    claim = claimcheck.Claim(
        "quote",
        "we will review every permit this year",
        id=case,
        sources=(claimcheck.Source(archive.urls[case]),),
    )
    store = SnapshotStore(folder / "store", create=True)
    report = claimcheck.check(
        claimcheck.ClaimSet(claimcheck.Statement(id="archive"), (claim,)),
        snapshots=store,
        # The dead links are on 127.0.0.1 too: private addresses are allowed for the live
        # fetch only, never for the archive (the flag of ArchiveConfig stays off).
        fetch=FetchConfig(
            retries=0, host_spacing=0.0, soft_404=False, allow_private_addresses=True
        ),
        archives=archive_config(archive),
        coverage=False,
    )
    (verdict,) = report.results[0].verdicts
    return verdict, store


@pytest.mark.parametrize(
    "case",
    [
        "archive-good-copy",
        "archive-gzip-bomb-replay",
        "archive-deflate-bomb-replay",
        "archive-huge-cdx",
        "archive-malformed-cdx",
        "archive-replay-to-internal",
        "archive-timegate-to-internal",
        "archive-malformed-timegate",
        "archive-slow-replay",
        "archive-slow-cdx-and-replay",
    ],
)
def test_a_hostile_archive_answer_gets_its_documented_verdict(
    hostile: ModuleType, archive: Any, tmp_path: Path, case: str
) -> None:
    (status, reason), phrase = hostile.ARCHIVE_CASES[case]
    verdict, store = check_case(archive, case, tmp_path)
    assert (verdict.status.value, verdict.reason.value) == (status, reason), verdict.message
    assert phrase in verdict.message
    origins = [snapshot.origin for snapshot in store.snapshots(archive.urls[case])]
    # Only the good copy is stored as an archived copy; a failed lookup stores nothing.
    assert origins.count("archive") == (case == "archive-good-copy")


def test_every_hostile_archive_case_is_tested(hostile: ModuleType) -> None:
    tested = test_a_hostile_archive_answer_gets_its_documented_verdict.pytestmark[0].args[1]
    assert set(tested) == set(hostile.ARCHIVE_CASES)


def test_a_bomb_replay_costs_bounded_memory_in_a_check(archive: Any, tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        verdict, _ = check_case(archive, "archive-gzip-bomb-replay", tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "size cap" in verdict.message
    assert peak < 24 * 2**20, f"peak {peak / 2**20:.0f} MiB for a {BOMB / 2**20:.0f} MiB bomb"


def test_a_huge_cdx_answer_is_cut_early_with_bounded_memory(archive: Any, tmp_path: Path) -> None:
    archive.archive.reset_stats()
    tracemalloc.start()
    try:
        verdict, _ = check_case(archive, "archive-huge-cdx", tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "size cap" in verdict.message
    assert peak < 24 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    # The server stops when claimcheck hangs up: a little over the cap, never the whole answer.
    deadline = time.monotonic() + 5
    while archive.archive.stats.in_flight.current and time.monotonic() < deadline:
        time.sleep(0.05)
    assert archive.archive.stats.bytes_sent < CAP + BUFFERED


def test_a_slow_archive_is_bounded_by_one_deadline_per_lookup(archive: Any, tmp_path: Path) -> None:
    # The CDX answer and the replay each take 0.8 of the deadline: a deadline per exchange
    # would let the lookup run for 1.6 deadlines (and ten redirects for ten); one per lookup
    # stops it at one.
    started = time.monotonic()
    verdict, _ = check_case(archive, "archive-slow-cdx-and-replay", tmp_path)
    elapsed = time.monotonic() - started
    assert "deadline" in verdict.message
    assert elapsed < 3 * DEADLINE  # generous: a loaded machine is slower, never 80 s slow


def test_the_command_line_deadline_bounds_archive_lookups(
    archive: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --deadline is "seconds allowed per URL": for the archived copy of a dead link too.
    config = tmp_path / "claimcheck.toml"
    config.write_text(
        f"[archives]\nrequests_per_minute = 60000\nmax_bytes = {CAP}\ntimeout = {DEADLINE}\n",
        encoding="utf-8",
    )
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "slow"\n\n[[claim]]\nid = "slow"\nkind = "quote"\n'
        'text = "we will review every permit this year"\n\n'
        f'[[claim.source]]\nurl = "{archive.urls["archive-slow-replay"]}"\n',
        encoding="utf-8",
    )
    started = time.monotonic()
    code, out, err = run_cli(
        "check", claims, "--snapshots", tmp_path / "store", "--config", config,
        "--wayback", archive.base_url, "--deadline", str(DEADLINE), "--allow-private-addresses",
        "--format", "json",
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert code in (0, 1), err
    assert f"within the {DEADLINE:g} s deadline" in out
    assert elapsed < 4 * DEADLINE


# ---------------------------------------------------------------------------------------------
# The clients themselves


def fast() -> RateLimiter:
    return RateLimiter(60000)


def capture_of(archive: Any, case: str) -> Capture:
    url = archive.urls[case]
    stamp = datetime(2017, 11, 3, 12, 0, tzinfo=UTC)
    return Capture(url, stamp, f"{archive.base_url}/web/20171103120000/{url}")


@pytest.mark.parametrize("case", ["archive-gzip-bomb-replay", "archive-deflate-bomb-replay"])
def test_a_bomb_replay_is_cut_at_the_cap(archive: Any, case: str) -> None:
    tracemalloc.start()
    try:
        with (
            Wayback(archive_config(archive), limiter=fast()) as wayback,
            pytest.raises(ArchiveError, match="exceeds the 1 MiB size cap"),
        ):
            wayback.fetch(capture_of(archive, case))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"


def test_a_malformed_timemap_gives_what_it_can() -> None:
    # Unterminated quotes and brackets, stray text, an entry without a date, a bad date: the one
    # good entry is kept, the rest skipped, and nothing hangs. (A check never reads TimeMaps; the
    # library's MementoClient.timemap does.)
    url = "https://example.org/report"
    web = "https://archive.example/web"
    broken = (
        f'<{web}/1/{url}>; rel="memento"; datetime="Fri, 03 Nov 2017 12:00:00 GMT",\n'
        'garbage ;;; ,,, <no-close; rel="memento\n'
        f'<{web}/2/{url}>; rel="memento"; datetime="not a date",\n'
        f'<{web}/3/{url}>; rel="memento",\n'
        '<unterminated; datetime="Fri, 03 Nov 2017'
    )
    routes = {"*": page(broken, content_type="application/link-format")}
    with LocalServer(routes) as server:
        client = MementoClient(
            server.url + "/timegate/", timemap=server.url + "/timemap/", limiter=fast()
        )
        with client:
            found = client.timemap(url)
    assert [capture.archive_url for capture in found] == [f"{web}/1/{url}"]

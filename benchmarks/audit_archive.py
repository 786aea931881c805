"""Audit archive lookups: what consulting the Internet Archive adds to an audit, within its limit.

10,000 citations (``--citations``) spread round robin over 500 local hosts (``--hosts``: the
threaded servers of ``benchmarks/audit_scale.py --serve``, 127.0.0.1, one port each, in a
process of their own), every page a ~4 KB article that verifies its claim: a healthy set. A
fake Wayback Machine (``tests/fake_archive.py``, in this process) holds a capture of every page
from the last 20 days, and **enforces the Internet Archive's limit**: every call beyond 15 in
any "minute" is refused with 429 and a ``Retry-After``. The audit is asked to archive verified
pages before they die (``save_before_death``): for every verified page it must know whether
the archive holds a capture within ``archive_window`` (30 days), which before issue 17 cost one
CDX call per citation, at 15 a minute: 10,000 citations, 11 hours.

So that the run takes minutes, not hours, the archive's "minute" lasts ``--minute`` seconds (1
by default: the limit is 15 calls a second, the clock 60 times faster for the archive only), and
claimcheck's archive rate is scaled with it (``requests_per_minute`` = 14 per archive minute: a
call's margin under the limit against the jitter of arrival times). Calls are counted by the
fake archive itself.

Three audits in one process, each after the same warm-up (a small audit, so no run is charged
with importing libraries):

1. **no archive**: ``AuditPolicy(use_archives=False)``, a fresh history and store (the
   baseline: ``--no-archive``);
2. **archives, first run**: ``AuditPolicy(save_before_death=True)`` (archives consulted as
   ``check`` does too), a fresh history and store;
3. **archives, second run**: the same history and store an hour later, nothing changed.

Targets: run 2 makes at most one archive call per host and run 3 none; run 2's wall time is
within 1.5x of run 1's (at the archive minute used: the report also says what the calls would
cost at the real 15 a minute); the archive never answers 429; the verdicts of runs 1 and 2 are
the same. The script exits 1 when a target is missed, and prints the load average of the
machine at the start and the end (``os.getloadavg()``): the ratio is only as quiet as the
machine.

Run: ``python benchmarks/audit_archive.py [--citations 10000] [--hosts 500] [--minute 1]
[--output benchmarks/audit_archive.txt]``; ``main(argv) -> int`` can be imported. Only servers
on 127.0.0.1 that the script starts are contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"  # the fake archive of the test suite is reused
SCALE = Path(__file__).resolve().parent / "audit_scale.py"  # its servers and pages too
NOW = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
IA_LIMIT = 15  # calls a minute (claimcheck's sources/_limits.py quotes the archive's staff)
RATIO_TARGET = 1.5


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citations", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument(
        "--minute", type=float, default=1.0, help="seconds an archive minute lasts (default 1)"
    )
    parser.add_argument("--delay", type=float, default=0.0, help="seconds each page takes")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    return parser.parse_args(argv)


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def servers(hosts: int, delay: float) -> Iterator[list[str]]:
    """``hosts`` local hosts in a process of their own; their base URLs."""
    command = [sys.executable, str(SCALE), "--serve", "--hosts", str(hosts)]
    command += ["--delay", str(delay)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        yield list(json.loads(process.stdout.readline()))
    finally:
        process.stdin.write("quit\n")
        process.stdin.close()
        process.wait(timeout=60)


def fill(archive: Any, urls: list[str], article: Callable[[int], str]) -> None:
    """A capture of every page within the last 20 days, added at once (one sort)."""
    from fake_archive import FakeCapture

    for number, url in enumerate(urls):
        moment = NOW - dt.timedelta(days=1 + number % 20)
        body = article(number).encode()
        archive.captures.append(FakeCapture(url, moment.strftime("%Y%m%d%H%M%S"), body))
    from claimcheck.model import surt

    archive.captures.sort(key=lambda c: (surt(c.url), c.timestamp))


def audit_run(
    claim_sets: list[Any],
    folder: Path,
    args: argparse.Namespace,
    archive: Any,
    *,
    archives: bool,
    now: dt.datetime = NOW,
) -> dict[str, Any]:
    from claimcheck import ArchiveConfig, FetchConfig
    from claimcheck.auditing import AuditPolicy, audit
    from claimcheck.store import History

    folder.mkdir(parents=True, exist_ok=True)
    fetch = FetchConfig(
        per_host=args.per_host,
        host_spacing=0.0,
        concurrency=args.concurrency,
        soft_404=False,
        retries=0,
        allow_private_addresses=True,  # the benchmark's hosts are on 127.0.0.1
    )
    config = ArchiveConfig(
        wayback=archive.base_url,
        save_page_now=f"{archive.base_url}/save",
        requests_per_minute=(IA_LIMIT - 1) * 60.0 / args.minute,
    )
    policy = (
        AuditPolicy(save_before_death=True, save_poll_interval=0.0)
        if archives
        else AuditPolicy(use_archives=False)
    )
    archive.requests.clear()
    refused = archive.refused_429
    started = time.perf_counter()
    result = audit(
        claim_sets,
        history=folder / "audit.sqlite",
        snapshots=folder / "snapshots",
        fetch=fetch,
        archives=config,
        policy=policy,
        now=now,
    )
    wall = time.perf_counter() - started
    with History(folder / "audit.sqlite") as history:
        verdicts = {
            o.key: (o.status.value, o.reason.value)
            for o in history.observations(run_id=result.run.id)
        }
    return {
        "wall": wall,
        "observed": result.observed,
        "calls": len(archive.requests),
        "cdx": len(archive.calls_to("/cdx/search/cdx")),
        "saves": len([r for r in archive.requests if r.method == "POST"]),
        "refused": archive.refused_429 - refused,
        "verdicts": verdicts,
    }


class Say:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(TESTS))
    from claimcheck import __version__
    from claimcheck.sources import ACCESS_KEY_ENV, SECRET_KEY_ENV
    from fake_archive import FakeArchive

    scale = load(SCALE)
    say = Say()
    load_start = os.getloadavg()
    hosts = min(args.hosts, args.citations)
    with (
        servers(hosts, args.delay) as bases,
        FakeArchive() as archive,
        tempfile.TemporaryDirectory(prefix="claimcheck-audit-archive-") as temporary,
    ):
        urls = [f"{bases[n % hosts]}/page/{n}" for n in range(args.citations)]
        fill(archive, urls, scale.article)
        archive.rate_limit(IA_LIMIT, per=args.minute)
        folder = Path(temporary)
        saved_env = {name: os.environ.get(name) for name in (ACCESS_KEY_ENV, SECRET_KEY_ENV)}
        os.environ[ACCESS_KEY_ENV], os.environ[SECRET_KEY_ENV] = archive.keys
        try:
            warm = [f"{bases[0]}/page/{args.citations + n}" for n in range(10)]
            audit_run(scale.claim_sets(warm), folder / "warm", args, archive, archives=False)
            sets = scale.claim_sets(urls)
            plain = audit_run(sets, folder / "plain", args, archive, archives=False)
            first = audit_run(sets, folder / "archived", args, archive, archives=True)
            later = NOW + dt.timedelta(hours=1)
            second = audit_run(sets, folder / "archived", args, archive, archives=True, now=later)
        finally:
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    load_end = os.getloadavg()
    ok = report(say, args, hosts, (plain, first, second), (load_start, load_end), __version__)
    if args.output is not None:
        args.output.write_text("\n".join(say.lines) + "\n", encoding="utf-8")
    return 0 if ok else 1


def report(
    say: Say,
    args: argparse.Namespace,
    hosts: int,
    runs: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
    version: str,
) -> bool:
    plain, first, second = runs
    n = args.citations
    say(
        f"audit archive benchmark: {n:,} citations over {hosts:,} local hosts (127.0.0.1, one port"
        " each, in a server process), every page verifying its claim, every page archived within"
        " 20 days"
    )
    say(f"produced by: python benchmarks/audit_archive.py on {dt.date.today().isoformat()}")
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; claimcheck {version}"
    )
    say(
        "load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}; at the end: "
        "{:.2f} {:.2f} {:.2f}".format(*loads[0], *loads[1])
    )
    say(
        f"fake Wayback Machine enforcing the Internet Archive's limit: {IA_LIMIT} calls per archive"
        f" minute, the archive minute lasting {args.minute:g} s (claimcheck's rate scaled with it:"
        f" {IA_LIMIT - 1} per archive minute);"
        f" FetchConfig(per_host={args.per_host}, host_spacing=0, concurrency={args.concurrency})"
    )
    say()
    say(f"{'run':<34}{'wall s':>9}{'archive calls':>15}{'CDX':>7}{'saves':>7}{'429s':>6}  verdicts")
    say("-" * 100)
    for name, run in (
        ("1 no archive (--no-archive)", plain),
        ("2 archives, first run", first),
        ("3 archives, second run (+1 h)", second),
    ):
        counts = dict(Counter(status for status, _ in run["verdicts"].values()))
        say(
            f"{name:<34}{run['wall']:>9.2f}{run['calls']:>15,}{run['cdx']:>7,}{run['saves']:>7}"
            f"{run['refused']:>6}  {counts}"
        )
    ratio = first["wall"] / plain["wall"] if plain["wall"] else float("inf")
    real_minute = 60.0 / IA_LIMIT
    say()
    say("at the Internet Archive's real 15 calls a minute:")
    say(
        f"  one lookup per citation (before): {n:,} calls, {n * real_minute / 3600:.1f} h of"
        " waiting for the archive"
    )
    say(
        f"  one listing per host (run 2): {first['calls']:,} calls,"
        f" {first['calls'] * real_minute / 60:.1f} min; run 3: {second['calls']} calls"
    )
    checks = [
        ("archive calls, first run", f"{first['calls']:,}", f"<= {hosts:,} (hosts)",
         first["calls"] <= hosts),
        ("archive calls, second run", f"{second['calls']:,}", "0", second["calls"] == 0),
        ("wall, archives / no archive", f"{ratio:.2f}x", f"<= {RATIO_TARGET}x",
         ratio <= RATIO_TARGET),
        ("429 answers", str(first["refused"] + second["refused"]), "0",
         first["refused"] + second["refused"] == 0),
        ("same verdicts, runs 1 and 2", "yes" if plain["verdicts"] == first["verdicts"] else "no",
         "yes", plain["verdicts"] == first["verdicts"]),
    ]  # fmt: skip
    say()
    say(f"targets (the archive minute = {args.minute:g} s):")
    for name, value, target, met in checks:
        say(f"  {name:<30}{value:>10}   target {target:<18}{'ok' if met else 'MISSED'}")
    met = all(check[3] for check in checks)
    say()
    say("all targets met" if met else "a target was MISSED")
    return met


if __name__ == "__main__":
    sys.exit(main())

"""Audit throughput at scale: one process against a Dask ``LocalCluster``, 500 to 5,000 URLs.

5,000 URLs spread over 50 local hosts (50 threaded HTTP servers on 127.0.0.1, one port each,
in a process of their own so that they do not compete with the audit for the GIL), every page
answering after 50 ms. Each page is a ~4 KB article holding one sentence that its claim quotes;
the claims come in statements of ten, as a newsroom's archive would. Every URL is new to the
audit (a first run: fresh history and store), so each is fetched in full, stored, extracted and
matched; the archives are not consulted (every page verifies, and ``--no-archive`` keeps the
benchmark off the network).

The same process audits the same URLs two ways, at 500, 1,000, 2,000 and 5,000 URLs (the
first N of a list that runs round robin over the hosts, so every size spans all 50):

- **one process**: ``audit()`` with the default :class:`~claimcheck.auditing._engine.LocalRunner`;
- **LocalCluster**: ``audit(runner=DaskRunner(client))`` on a ``LocalCluster`` of
  ``--workers`` worker processes × ``--threads`` threads on 127.0.0.1 (started once, its
  start-up time reported on its own).

Both use ``FetchConfig(per_host=4, host_spacing=0.01, concurrency=64)``: the politeness is set
so that latency and concurrency are the bound, and both can have 64 requests in flight (the
cluster: 2 × 8 tasks, each one host at 4 in flight). For each run: wall time, URLs per second,
bytes received (the run's ``bytes``), CPU seconds (the audit's process, plus the workers'
processes for the cluster, as the run records them), the verdicts, and the most requests the
servers saw in flight to one host. The verdicts of the two are compared citation by citation.

Run: ``python benchmarks/audit_scale.py [--output benchmarks/audit_scale.txt] [--sizes
500,1000,2000,5000] [--workers 2] [--threads 8]``; ``main(argv) -> int`` can be imported.
Needs the ``dask`` extra. Only servers on 127.0.0.1 that the script starts are contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"  # the local servers of the test suite are reused
NOW = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
WORDS = (
    "council budget schools housing transport report minister river figures committee "
    "election region policy hospital workers families court harbour library museum"
).split()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000,2000,5000", help="URL counts, comma-separated")
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds each page takes")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# The servers (in their own process: JSON lines, commands on stdin, answers on stdout)


def sentence(number: int) -> str:
    """The sentence page ``number`` holds and its claim quotes."""
    return (
        f"the {WORDS[number % len(WORDS)]} committee approved {number + 17} new places "
        f"for the {WORDS[(number * 7) % len(WORDS)]} programme"
    )


def article(number: int) -> str:
    filler = " ".join(WORDS[(number * 3 + k) % len(WORDS)] for k in range(550))
    return (
        f"<html><head><title>Article {number}</title></head><body><nav>Home News</nav>"
        f"<article><h1>Report {number}</h1><p>{filler[: len(filler) // 2]}.</p>"
        f"<p>On Tuesday {sentence(number)}, the spokesperson said.</p>"
        f"<p>{filler[len(filler) // 2 :]}.</p></article><footer>Example</footer></body></html>"
    )


def send(message: object) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve(hosts: int, delay: float) -> int:
    sys.path.insert(0, str(TESTS))
    from servers import LocalServer, RequestHandler

    def numbered(handler: RequestHandler) -> None:
        time.sleep(delay)
        number = handler.path.rsplit("/", 1)[-1]
        if number.isdigit():
            handler.send(200, article(int(number)))
        else:
            handler.send(404, "<h1>Not found</h1>")

    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(LocalServer({"/page/*": numbered})) for _ in range(hosts)]
        send([server.url for server in servers])
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                send(
                    {
                        "max_in_flight": max(s.stats.max_in_flight for s in servers),
                        "requests": sum(sum(s.stats.hits.values()) for s in servers),
                        "bytes": sum(s.stats.bytes_sent for s in servers),
                    }
                )
                for server in servers:
                    server.reset_stats()
            else:
                break
    return 0


# ---------------------------------------------------------------------------------------------
# The audits


def claim_sets(urls: list[str]) -> list[Any]:
    """Statements of ten claims, each quoting the sentence of its page."""
    from claimcheck import Claim, ClaimSet, Source, Statement

    sets = []
    for start in range(0, len(urls), 10):
        claims = tuple(
            Claim(
                "quote",
                sentence(int(url.rsplit("/", 1)[-1])),
                id=f"c{start + k}",
                sources=(Source(url, dt.date(2026, 1, 15)),),
            )
            for k, url in enumerate(urls[start : start + 10])
        )
        sets.append(ClaimSet(Statement(id=f"statement-{start // 10:04d}"), claims))
    return sets


def run_audit(urls: list[str], args: argparse.Namespace, runner: Any | None) -> dict[str, Any]:
    from claimcheck import FetchConfig
    from claimcheck.auditing._engine import AuditPolicy, audit
    from claimcheck.store import History

    fetch = FetchConfig(
        per_host=args.per_host,
        host_spacing=0.01,
        concurrency=args.concurrency,
        soft_404=False,
        retries=0,
        allow_private_addresses=True,  # the benchmark's hosts are on 127.0.0.1
    )
    with tempfile.TemporaryDirectory(prefix="claimcheck-audit-scale-") as folder:
        cpu = time.process_time()
        started = time.perf_counter()
        result = audit(
            claim_sets(urls),
            history=Path(folder) / "audit.sqlite",
            snapshots=Path(folder) / "snapshots",
            fetch=fetch,
            policy=AuditPolicy(use_archives=False),
            now=NOW,
            runner=runner,
        )
        wall = time.perf_counter() - started
        here = time.process_time() - cpu
        with History(Path(folder) / "audit.sqlite") as history:
            verdicts = {o.key: (o.status.value, o.reason.value) for o in history.observations()}
    return {
        "wall": wall,
        "cpu_here": here,
        "cpu_run": result.run.cpu_seconds,
        "bytes": result.run.bytes,
        "observed": result.observed,
        "verdicts": verdicts,
    }


# ---------------------------------------------------------------------------------------------
# The run


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        return serve(args.hosts, args.delay)
    try:
        import distributed
    except ImportError:
        print("audit_scale: skipped (Dask is not installed: pip install -e '.[dask]')")
        return 0
    import claimcheck
    from claimcheck.auditing._dask import DaskRunner, local_cluster

    sizes = [int(size) for size in args.sizes.split(",")]
    lines: list[str] = []

    def say(line: str = "") -> None:
        lines.append(line)
        print(line, flush=True)

    server = subprocess.Popen(
        [
            sys.executable, __file__, "--serve", "--hosts", str(args.hosts),
            "--delay", str(args.delay),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert server.stdin is not None
    assert server.stdout is not None
    control_in, control_out = server.stdin, server.stdout

    def stats() -> dict[str, int]:
        control_in.write("stats\n")
        control_in.flush()
        answer: dict[str, int] = json.loads(control_out.readline())
        return answer

    try:
        hosts: list[str] = json.loads(control_out.readline())
        every = [f"{hosts[n % len(hosts)]}/page/{n}" for n in range(max(sizes))]
        command = "python benchmarks/audit_scale.py " + " ".join(
            sys.argv[1:] if argv is None else argv
        )
        say(
            f"audit scale benchmark: up to {max(sizes):,} URLs on {len(hosts)} local hosts "
            f"(127.0.0.1, one port each, in a server process), every page answering after "
            f"{args.delay * 1000:g} ms"
        )
        say(f"produced by: {command.strip()} on {dt.date.today().isoformat()}")
        say(
            f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; claimcheck {claimcheck.__version__}, "
            f"dask.distributed {distributed.__version__}"
        )
        say(
            f"FetchConfig(per_host={args.per_host}, host_spacing=0.01, concurrency="
            f"{args.concurrency}, soft_404=False); first runs (fresh history and store), "
            "archives off; each URL fetched, stored, extracted and matched"
        )
        started = time.perf_counter()
        cluster = local_cluster(args.workers, threads=args.threads)
        client = distributed.Client(cluster)
        runner = DaskRunner(client)
        client.run(lambda: __import__("claimcheck.auditing._engine"))  # imports done before timing
        startup = time.perf_counter() - started
        say(
            f"LocalCluster: {args.workers} worker processes x {args.threads} threads on "
            f"127.0.0.1 (claimcheck.auditing.local_cluster: the workers' profiler off), started "
            f"in {startup:.1f} s (not counted below)"
        )
        say()
        header = (
            f"{'URLs':>6}  {'runner':<18} {'wall s':>7} {'URLs/s':>7} {'MB recv':>8} "
            f"{'CPU s':>7} {'ms/URL':>7} {'writer':>7} {'max/host':>8}  verdicts"
        )
        say(header)
        say("-" * len(header))
        say(
            "(CPU s: the run's CPU time, the audit's process and the workers' processes; "
            "ms/URL: the same per URL; writer: the audit's process alone, per URL)"
        )
        stats()
        results: dict[tuple[int, str], dict[str, Any]] = {}
        same = True
        try:
            for size in sizes:
                urls = every[:size]
                for name, chosen in (("one process", None), ("LocalCluster", runner)):
                    result = run_audit(urls, args, chosen)
                    served = stats()
                    results[size, name] = result
                    label = name if chosen is None else f"{name} {args.workers}x{args.threads}"
                    counts = Counter(status for status, _ in result["verdicts"].values())
                    say(
                        f"{size:>6,}  {label:<18} {result['wall']:>7.2f} "
                        f"{size / result['wall']:>7.0f} {result['bytes'] / 1e6:>8.1f} "
                        f"{result['cpu_run']:>7.1f} {1000 * result['cpu_run'] / size:>7.2f} "
                        f"{1000 * result['cpu_here'] / size:>7.2f} "
                        f"{served['max_in_flight']:>8}  {dict(counts)}"
                    )
                one = results[size, "one process"]["verdicts"]
                same = same and one == results[size, "LocalCluster"]["verdicts"]
        finally:
            runner.close()
            client.close()
            cluster.close()
        say()
        say("throughput (URLs/s) as the audit grows:")
        for name in ("one process", "LocalCluster"):
            rates = [size / results[size, name]["wall"] for size in sizes]
            growth = rates[-1] / rates[0]
            say(
                f"  {name:<13} "
                + ", ".join(
                    f"{size:,}: {rate:.0f}" for size, rate in zip(sizes, rates, strict=True)
                )
                + f"  ({sizes[-1] // sizes[0]}x the URLs: {growth:.2f}x the rate)"
            )
        last = sizes[-1]
        ratio = results[last, "one process"]["wall"] / results[last, "LocalCluster"]["wall"]
        say(f"LocalCluster / one process throughput at {last:,} URLs: {ratio:.2f}x")
        say(
            "same verdicts, citation by citation, one process and LocalCluster: "
            + ("yes" if same else "NO")
        )
        first = sizes[0]
        one = results[last, "one process"]
        many = results[last, "LocalCluster"]
        per_url = 1000 * one["cpu_run"] / last
        per_url_first = 1000 * results[first, "one process"]["cpu_run"] / first
        writer = 1000 * many["cpu_here"] / last
        say()
        say(f"What this shows on a {os.cpu_count()}-core machine, and what it does not:")
        for line in (
            f"- An audit is CPU-bound here, not latency-bound: {per_url_first:.1f} ms of CPU "
            f"per URL at {first:,} URLs, {per_url:.1f} at {last:,} (extract, match, store,",
            "  record), so one process, one core under the GIL, tops out near "
            f"{1000 / per_url:.0f} URLs/s whatever its fetch concurrency (its fetch threads",
            "  wait for the GIL: see max/host). Its cost per URL grows with the store: each "
            "capture rewrites the store's index (linear in",
            "  the captures held); the cluster's writer adds a task's captures with one index "
            "write, so its rate holds as the audit grows.",
            "- The cluster's workers share the same cores with the audit's process and the "
            "servers: it cannot show machines added. It shows the",
            "  overhead (CPU per URL, both sides counted, against one process's), the same "
            "verdicts, and the per-host limit kept (max/host).",
            "  Its edge here is the second core: one process can use one.",
            "- What spreads is everything but the one writer: with the cluster, the audit's "
            f"process spent {writer:.1f} ms of CPU per URL (adding the",
            "  captures to its store, committing the observations), against "
            f"{per_url:.1f} ms for one process doing it all. That caps one writer near "
            f"{1000 / writer:.0f} URLs/s of CPU,",
            "  before its disk: each capture added is one fsync (the index one per task), "
            "serial in the writer.",
            "- The scaling argument is the partitioning: hosts are independent and each "
            "host's politeness lives in one task at a time, so",
            "  hosts, not URLs, spread over workers: H hosts of similar size keep "
            "min(H, tasks) x per_host requests in flight within every host's limit.",
        ):
            say(line)
    finally:
        with contextlib.suppress(OSError):
            control_in.write("stop\n")
            control_in.close()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait()
        control_out.close()
    if args.output:
        args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

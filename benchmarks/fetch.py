"""Fetching speed and politeness: claimcheck's Fetcher side by side with LinkChecker.

1,000 URLs spread over 20 local hosts (20 servers on 127.0.0.1, one port each, so 20 hosts to
both link checkers), every page answering after 100 ms. The servers run in a process of their
own (so they do not compete with the client for the GIL), count the requests in flight per
host, and answer 404 to addresses that are not pages (which is what claimcheck's soft-404 probe
gets: one probe per host, left on as in real use).

- **claimcheck**: ``Fetcher(FetchConfig(per_host=4, host_spacing=0, concurrency=80))`` and
  ``fetch_many`` over the 1,000 URLs (listed round robin over the hosts), in a child process;
  its wall time is that of ``fetch_many``, compared with the ideal: 50 URLs per host, 4 at a
  time, 0.1 s each, is 12.5 rounds of 0.1 s = 1.25 s (13 whole rounds, 1.3 s, is the real
  floor). Run ``--repeat`` times; the median is reported.
- **LinkChecker** (``pip install linkchecker``, the ``bench`` extra): the same URLs as the links
  of one HTML page on a 21st server, checked with ``-r1 --check-extern --no-robots`` and a
  configuration file with ``robotstxt=0`` and ``maxrequestspersecond=1000``. LinkChecker has no
  per-host concurrency limit, only a per-host request rate with a floor of 0.1 s between
  requests that a site lifts by sending a ``LinkChecker`` response header; the benchmark's pages
  send it, so LinkChecker runs as fast as it allows. It is run with 10 threads (its default)
  and with 80 (claimcheck's global limit); with fewer hosts than threads, more threads can make
  it slower, as they queue on the lock it holds while it spaces requests to a host. Each
  setting is run twice and the faster run kept: now and then a LinkChecker run stalls for
  60-75 s before it exits (even on a page without links), which is not what is measured here.
  The comparison uses its fastest setting. Its wall time includes its start-up, measured on
  its own (the fastest check of a page with no links) and reported. Skipped cleanly when
  LinkChecker is not installed.

Peak memory is the child process's peak resident set size (``os.wait4``), for both. Targets:
claimcheck within 1.3x of the ideal, faster than LinkChecker, never more than 4 requests in
flight to one host.

Run: ``python benchmarks/fetch.py [--output benchmarks/fetch.txt] [--repeat N]
[--no-linkchecker] [--check-targets]``; ``main(argv) -> int`` can be imported. Only servers on
127.0.0.1 that the script starts are contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"  # the local servers of the test suite are reused
TARGET_RATIO = 1.3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds each page takes")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3, help="claimcheck runs (median taken)")
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument(
        "--linkchecker-threads",
        default="10,80",
        help="LinkChecker thread counts to run, comma-separated (the fastest is compared)",
    )
    parser.add_argument("--check-targets", action="store_true", help="exit 1 if a target fails")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


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
        servers = [stack.enter_context(LocalServer({"/page/*": numbered})) for _ in range(hosts)]
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


def worker(args: argparse.Namespace) -> int:
    from claimcheck.sources import FetchConfig, Fetcher

    urls = json.load(sys.stdin)
    config = FetchConfig(
        per_host=args.per_host,
        host_spacing=0.0,
        concurrency=args.concurrency,
        allow_private_addresses=True,  # the benchmark's hosts are on 127.0.0.1
    )
    started = time.perf_counter()
    with Fetcher(config) as fetcher:
        results = fetcher.fetch_many(urls)
    wall = time.perf_counter() - started
    reasons = Counter(str(result.reason) if result.reason else "ok" for result in results.values())
    json.dump({"wall": wall, "outcomes": dict(reasons)}, sys.stdout)
    return 0


def run_child(command: list[str], stdin: bytes = b"") -> tuple[bytes, float, int, int]:
    """Run ``command``; its stdout, wall time, exit status and peak RSS in KiB."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err)
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
        return output, wall, process.returncode, usage.ru_maxrss


# ---------------------------------------------------------------------------------------------
# LinkChecker


def linkchecker_version(executable: str) -> str:
    result = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    first = (result.stdout or result.stderr).strip().splitlines()
    return first[0] if first else "LinkChecker"


def run_linkchecker(
    executable: str, url: str, threads: int, folder: Path
) -> tuple[list[dict[str, str]], float, int, int]:
    config = folder / "linkcheckerrc"
    config.write_text(
        "[checking]\n"
        f"threads={threads}\n"
        "timeout=30\n"
        "robotstxt=0\n"
        "maxrequestspersecond=1000\n"
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
    output, wall, status, rss = run_child(command)
    lines = [
        line
        for line in output.decode("utf-8", errors="replace").splitlines()
        if line and not line.startswith("#")
    ]
    rows: list[dict[str, str]] = []
    if lines:
        header = lines[0].split(";")
        rows = [dict(zip(header, line.split(";"), strict=False)) for line in lines[1:]]
    return rows, wall, status, rss


# ---------------------------------------------------------------------------------------------
# The run


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args)
    if args.serve:
        return serve(args.hosts, args.delay, args.urls)
    ideal = (args.urls / args.hosts) / args.per_host * args.delay
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

    try:
        setup: dict[str, Any] = json.loads(control_out.readline())
        urls: list[str] = setup["urls"]

        def stats() -> list[dict[str, int]]:
            result: list[dict[str, int]] = ask("stats")
            ask("reset")
            return result

        say(
            f"fetch benchmark: {len(urls):,} URLs on {args.hosts} local hosts (127.0.0.1, one "
            f"port each), every page answering after {args.delay * 1000:g} ms"
        )
        say(
            f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}"
        )
        say(
            f"ideal: {args.urls / args.hosts:g} URLs per host / {args.per_host} in flight x "
            f"{args.delay:g} s = {ideal:.2f} s"
        )
        say()
        stats()
        runs = []
        for _ in range(args.repeat):
            command = [
                sys.executable, __file__, "--worker", "--per-host", str(args.per_host),
                "--concurrency", str(args.concurrency),
            ]  # fmt: skip
            output, total, status, rss = run_child(command, json.dumps(urls).encode())
            if status != 0:
                say(f"claimcheck worker failed with status {status}")
                return 1
            result = json.loads(output)
            served = stats()
            runs.append((result["wall"], total, rss, result["outcomes"], served))
        walls = [run[0] for run in runs]
        wall = statistics.median(walls)
        rss = max(run[2] for run in runs)
        peak_per_host = max(host["max_in_flight"] for run in runs for host in run[4])
        requests_made = runs[0][4]
        outcomes = runs[0][3]
        say(
            f"claimcheck {_claimcheck_version()} Fetcher(per_host={args.per_host}, "
            f"host_spacing=0, concurrency={args.concurrency}), fetch_many:"
        )
        say(
            f"  wall time      {wall:.2f} s (median of {len(walls)}: "
            + ", ".join(f"{w:.2f}" for w in walls)
            + f")  = {wall / ideal:.2f}x the ideal"
        )
        say(f"  process wall   {statistics.median(run[1] for run in runs):.2f} s (with start-up)")
        say(f"  peak memory    {rss / 1024:.0f} MiB resident")
        say(f"  outcomes       {outcomes}")
        say(
            f"  requests       {sum(h['requests'] for h in requests_made):,} "
            f"({len(urls):,} pages + soft-404 probes)"
        )
        say(f"  max in flight to one host (counted by the servers): {peak_per_host}")
        say()

        theirs_wall: float | None = None
        executable = shutil.which("linkchecker")
        if args.no_linkchecker:
            say("LinkChecker: skipped (--no-linkchecker)")
        elif executable is None:
            say("LinkChecker: skipped (not installed; pip install -e '.[bench]')")
        else:
            version = linkchecker_version(executable)
            startup = float("inf")
            for threads in (int(n) for n in args.linkchecker_threads.split(",")):
                best: tuple[list[dict[str, str]], float, int, int] | None = None
                their_served: list[dict[str, int]] = []
                for _ in range(2):  # the faster of two runs: LinkChecker stalls now and then
                    with tempfile.TemporaryDirectory() as folder:
                        Path(folder).chmod(0o755)
                        _, alone, _, _ = run_linkchecker(
                            executable, setup["none"] + "/none.html", threads, Path(folder)
                        )
                        startup = min(startup, alone)
                        stats()
                        run = run_linkchecker(executable, setup["links"], threads, Path(folder))
                        counted = stats()
                    if best is None or run[1] < best[1]:
                        best, their_served = run, counted
                assert best is not None
                rows, their_wall, status, their_rss = best
                checked = [row for row in rows if row.get("parentname") == setup["links"]]
                valid = sum(row.get("valid") == "True" for row in checked)
                their_peak = max(host["max_in_flight"] for host in their_served)
                say(
                    f"{version}, -r1 --check-extern --no-robots, threads={threads}, "
                    "maxrequestspersecond=1000:"
                )
                say(
                    f"  wall time      {their_wall:.2f} s (faster of 2) = "
                    f"{their_wall / ideal:.2f}x the ideal"
                )
                say(f"  peak memory    {their_rss / 1024:.0f} MiB resident")
                say(
                    f"  checked        {len(checked):,} links, {valid:,} valid "
                    f"(exit status {status})"
                )
                say(f"  requests       {sum(h['requests'] for h in their_served):,}")
                say(f"  max in flight to one host (counted by the servers): {their_peak}")
                say()
                if theirs_wall is None or their_wall < theirs_wall:
                    theirs_wall = their_wall
            if theirs_wall is not None:
                say(f"LinkChecker start-up: {startup:.2f} s (checking a page without links)")
                say(
                    f"LinkChecker (its fastest setting) / claimcheck wall time: "
                    f"{theirs_wall / wall:.1f}x (without LinkChecker's start-up: "
                    f"{(theirs_wall - startup) / wall:.1f}x)"
                )
                say()

        within = wall <= TARGET_RATIO * ideal
        polite = peak_per_host <= args.per_host
        faster = theirs_wall is None or wall < theirs_wall
        say("targets:")
        say(f"  within {TARGET_RATIO}x of the ideal: {'yes' if within else 'NO'}")
        if theirs_wall is not None:
            say(f"  faster than LinkChecker: {'yes' if faster else 'NO'}")
        say(f"  never more than {args.per_host} in flight to one host: {'yes' if polite else 'NO'}")
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
    if args.check_targets and not (within and polite and faster):
        return 1
    return 0


def _claimcheck_version() -> str:
    import claimcheck

    return claimcheck.__version__


if __name__ == "__main__":
    sys.exit(main())

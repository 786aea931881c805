"""Adding a capture to a snapshot store of 100, 1,000, 10,000 and 100,000 captures.

Why: an add used to rewrite the whole index (``index.cdxj``), so adding the n-th capture cost
O(n) (issue 17: 1.8 ms at 100 captures, 13 ms at 4,000), quadratic for a long-lived store or a
one-process audit. The index now grows by appends (``src/claimcheck/store/_index_file.py``), and
the target is that adding the 100,000th capture costs what adding the 100th does.

One store is filled with small captures (a few bytes each, a URL each, over 100 hosts). Around
each size, a batch of adds is timed one add at a time; the report gives the median and mean
wall time of an add, and the mean CPU time (user + system, of this process: less disturbed by
other processes). In the same run, at the same sizes, the **baseline** is the index written as
before issue 17: the add followed by a rewrite of the whole index, sorted
(``SnapshotStore.compact()``, which is what every add did then: sort, serialise the lines that
changed, write a temporary file and rename it).

The store is a scratch store (``durable=False``) unless ``--durable``: flushing to disk costs
the same at every size (one WARC file, its folder and one index line) and depends on the disk,
so leaving it out shows the part of an add that could grow with the store.

Target: the median add at the largest size is at most 1.5 times the median add at the smallest
(``--check-targets`` exits 1 when it is not). Timing on a shared machine is noisy: the load
average is printed before and after the run.

Run from the project root::

    python benchmarks/store_add.py                                   # report on stdout
    python benchmarks/store_add.py --output benchmarks/store_add.txt # also write the report
    python benchmarks/store_add.py --check-targets                   # exit 1 on a missed target
    python benchmarks/store_add.py --sizes 100,1000 --batch 50       # a quick run

``main(argv)`` is importable and returns the exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck import SnapshotStore

TARGET_RATIO = 1.5
DEFAULT_SIZES = (100, 1_000, 10_000, 100_000)
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Row:
    """The adds timed around one store size."""

    size: int
    median_ms: float
    mean_ms: float
    cpu_ms: float
    baseline_median_ms: float
    index_lines: int
    index_mib: float


class Filler:
    """Adds small captures to one store, numbered on from 0."""

    def __init__(self, store: SnapshotStore) -> None:
        self.store = store
        self.count = 0

    def add(self) -> None:
        number = self.count
        self.store.add(
            f"https://host{number % 100}.example/page/{number}",
            f"capture {number}".encode(),
            media_type="text/plain",
            captured=START + dt.timedelta(seconds=number),
        )
        self.count += 1

    def fill_to(self, size: int) -> None:
        while self.count < size:
            self.add()

    def time_adds(self, count: int, *, rewrite: bool) -> tuple[list[float], float]:
        """Add ``count`` captures, each followed by a whole rewrite of the index with
        ``rewrite``; the wall time of each (seconds) and the CPU time of all."""
        times = []
        cpu = time.process_time()
        for _ in range(count):
            began = time.perf_counter()
            self.add()
            if rewrite:
                self.store.compact()
            times.append(time.perf_counter() - began)
        return times, time.process_time() - cpu


def measure(
    root: Path, sizes: Sequence[int], batch: int, baseline_batch: int, *, durable: bool
) -> list[Row]:
    """Fill the store at ``root`` to each size in turn, and time ``batch`` appending adds
    and ``baseline_batch`` rewriting adds around it."""
    filler = Filler(SnapshotStore(root, create=True, durable=durable))
    rows = []
    for size in sizes:
        filler.fill_to(max(size - batch // 2, filler.count))
        times, cpu = filler.time_adds(batch, rewrite=False)
        baseline, _ = filler.time_adds(baseline_batch, rewrite=True)
        index = root / "index.cdxj"
        rows.append(
            Row(
                size=size,
                median_ms=statistics.median(times) * 1000,
                mean_ms=statistics.fmean(times) * 1000,
                cpu_ms=cpu / batch * 1000,
                baseline_median_ms=statistics.median(baseline) * 1000,
                index_lines=index.read_bytes().count(b"\n"),
                index_mib=index.stat().st_size / 2**20,
            )
        )
    return rows


def report(rows: list[Row], args: argparse.Namespace, loads: tuple[str, str]) -> tuple[str, bool]:
    """The report, and whether the target is met."""
    first, last = rows[0], rows[-1]
    ratio = last.median_ms / first.median_ms
    met = ratio <= TARGET_RATIO
    lines = [
        "Adding a capture to a snapshot store (benchmarks/store_add.py)",
        "=" * 62,
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        + (
            "durable store (each add flushed to disk)"
            if args.durable
            else "scratch store (durable=False: nothing flushed to disk)"
        ),
        f"load average (1, 5, 15 min): before {loads[0]}; after {loads[1]}",
        f"produced by: python benchmarks/store_add.py {' '.join(args.argv)}".rstrip(),
        "",
        f"Around each size, {args.batch} adds are timed one by one (append: the index as it is "
        f"now) and {args.baseline_batch} adds each followed by a rewrite of the whole index "
        "(the baseline: every add before issue 17).",
        "",
        f"{'captures':>9}  {'append median':>13}  {'mean':>7}  {'CPU mean':>8}  "
        f"{'rewrite median':>14}  {'index lines':>11}  {'index MiB':>9}",
    ]
    for row in rows:
        lines.append(
            f"{row.size:>9,}  {row.median_ms:>10.3f} ms  {row.mean_ms:>7.3f}  "
            f"{row.cpu_ms:>8.3f}  {row.baseline_median_ms:>11.3f} ms  "
            f"{row.index_lines:>11,}  {row.index_mib:>9.2f}"
        )
    lines += [
        "",
        f"adding the {last.size:,}th capture / adding the {first.size:,}th (median wall time): "
        f"{ratio:.2f}x (target <= {TARGET_RATIO}x): {'met' if met else 'NOT MET'}",
        f"the baseline (a whole rewrite per add), same ratio: "
        f"{last.baseline_median_ms / first.baseline_median_ms:.1f}x (no target); at "
        f"{last.size:,} captures an append costs "
        f"{last.median_ms / last.baseline_median_ms:.4f}x a rewrite",
        f"CPU per add, {last.size:,}th / {first.size:,}th: {last.cpu_ms / first.cpu_ms:.2f}x "
        "(no target; less disturbed by other processes than wall time)",
    ]
    return "\n".join(lines) + "\n", met


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in DEFAULT_SIZES))
    parser.add_argument("--batch", type=int, default=200, help="appending adds timed per size")
    parser.add_argument(
        "--baseline-batch", type=int, default=5, help="rewriting adds timed per size"
    )
    parser.add_argument("--durable", action="store_true", help="flush every add to disk")
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 on a miss")
    parser.add_argument("--folder", type=Path, help="where to make the store (a temporary one)")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    before = _load()
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        rows = measure(
            Path(folder) / "snapshots", sizes, args.batch, args.baseline_batch, durable=args.durable
        )
    text, met = report(rows, args, (before, _load()))
    print(text, end="")
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    return 1 if args.check_targets and not met else 0


if __name__ == "__main__":
    sys.exit(main())

"""Memory of a check: the peak for one large document, and a run over many distinct ones.

Why: issue 17 measured a cached document at about 50 times its text (a 10 MB text peaked at
715 MB; ten distinct 1 MB texts reached 530 MB) and a text cache that held up to 128 of them.
The text cache is now bounded by bytes (``check(memory=...)``, default 256 MiB:
``src/claimcheck/checking/_cache.py``); a source's matching index is kept in arrays and shared
strings (``src/claimcheck/language/_normalize.py``, ``src/claimcheck/matching/_index.py``); and
the store's text cache entry holds only what the check made of the text (one quote alone is
checked in windows of it, never normalising all of it), packed, written and read in pieces.

Each run is a fresh Python process (the resident set and tracemalloc are measured in
separate ones: tracemalloc's own records take memory): a snapshot store is filled with
plain-text captures of generated English-like prose (words of a Zipf-distributed vocabulary
of 20,000, sentences with figures and dates), then ``claimcheck.check(..., copies="stored")``
checks a quote, a figure and a date claim citing each capture. It measures, around the check:

- the **tracemalloc peak** (Python allocations; ``--no-tracemalloc`` leaves it out), and
- the **growth of the resident set's high-water mark** (``VmHWM`` of ``/proc/self/status``,
  reset just before the check through ``/proc/self/clear_refs``, less the resident set then;
  ``ru_maxrss`` where there is no ``/proc``): what the operating system saw, C allocations
  included. (``ru_maxrss`` alone under-reported: Linux carries it over from the parent
  process, so the children of a benchmark grown by a 10 MB case started high.)

Before it, the process checks the same claims against a page of 2,000 characters, so that what
every check loads once (modules, their tables) is not counted as the documents' cost.

Cases: one document of each ``--sizes`` (default 1 MB and 10 MB; ratio to the text's size,
target at most 10x), the first run (it derives and writes the store's text cache entry) and a
second (it reads the entry back); the same for one document of each ``--whole-index`` size
(default 1 MB and 10 MB) with a second quote claim, which makes the check normalise the whole
text; and
``--documents N`` distinct 1 MB documents in one check
(target: the resident growth under 1 GB). The run over N documents also reports the growth at
half of them: with the cache bounded by bytes, the growth stops once the budget is full, so
the figure for 1,000 documents is that plateau. ``--documents 1000`` runs it for real (about
10 minutes and 1 GB of disk on a 2-core machine).

Run from the project root::

    python benchmarks/memory.py                                  # report on stdout
    python benchmarks/memory.py --output benchmarks/memory.txt   # also write the report
    python benchmarks/memory.py --check-targets                  # exit 1 on a missed target
    python benchmarks/memory.py --sizes 100000 --documents 4     # a quick run

``main(argv)`` is importable and returns the exit status.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

TARGET_RATIO = 10.0  # peak at most this many times the text's size, one document
TARGET_MANY = 2**30  # N distinct 1 MB documents: resident growth below 1 GiB
MB = 10**6
QUOTE = "the committee said the harbour would reopen in spring"


def prose(size: int, seed: int) -> str:
    """About ``size`` characters of English-like prose, with figures and dates, and
    :data:`QUOTE` in the middle."""
    rng = random.Random(seed)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4]
    weights += [2.2, 2.0, 2.0, 1.9, 1.5, 1.0, 0.8, 0.2, 0.2, 0.1, 0.1]
    vocabulary = [
        "".join(rng.choices(letters, weights, k=rng.randint(2, 10))) for _ in range(20_000)
    ]
    ranks = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    sentences: list[str] = []
    length = 0
    months = ["January", "March", "May", "July", "September", "November"]
    while length < size:
        words = rng.choices(vocabulary, cum_weights=ranks, k=rng.randint(8, 24))
        sentence = " ".join(words).capitalize()
        sentence += f", {rng.randint(2, 99_999):,} people on {rng.randint(1, 28)} "
        sentence += f"{rng.choice(months)} {rng.randint(1990, 2025)}."
        sentences.append(sentence)
        length += len(sentence) + 1
        if len(sentences) % 12 == 0:
            sentences.append("\n")
    middle = len(sentences) // 2
    sentences.insert(middle, f"A spokesperson: {QUOTE.capitalize()}, with 4,200 people.")
    return " ".join(sentences)[: max(size, 0)]


def _claims(urls: list[str], quotes: int = 1) -> str:
    """A claims file (TOML) of ``quotes`` quote claims, a figure and a date claim citing each
    URL (a second quote makes the check normalise the whole text: the first is checked in
    windows of it)."""
    lines = ['[statement]\nid = "memory"\n']
    kinds = [("quote", QUOTE)] * quotes + [("figure", "4,200 people"), ("date", "1 May 2001")]
    for number, url in enumerate(urls):
        for extra, (kind, text) in enumerate(kinds):
            kind_id = f"{kind}{extra}" if extra else kind
            lines.append(
                f'[[claim]]\nid = "{kind_id}-{number}"\nkind = "{kind}"\ntext = "{text}"\n\n'
                f'[[claim.source]]\nurl = "{url}"\naccessed = 2026-01-01\n'
            )
    return "\n".join(lines)


_CHILD = r"""
import gc, json, resource, sys, tracemalloc
import claimcheck


def status(field):
    # This process's own memory in bytes (Linux): VmRSS now, VmHWM its peak since the last
    # reset. ru_maxrss is no good here: Linux carries it over from the parent across fork and
    # exec, so a child of a large parent starts with the parent's high-water mark.
    try:
        with open("/proc/self/status") as lines:
            for line in lines:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def reset_peak():
    # Writing 5 to clear_refs resets VmHWM to the current resident set (Linux 4.0 and later).
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def resident_peak():
    peak = status("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


folder, runs, trace = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
claims = claimcheck.load(folder + "/claims.toml")
store = claimcheck.SnapshotStore(folder + "/store")
# A first check of a small page loads what any check loads (modules, their tables), so what is
# measured is what the documents themselves cost.
claimcheck.check(claimcheck.load(folder + "/warm.toml"), copies="stored", snapshots=store)
results = []
for run in range(runs):
    gc.collect()
    before = status("VmRSS") if reset_peak() else None
    before = before if before is not None else resident_peak()
    if trace:
        tracemalloc.start()
    report = claimcheck.check(claims, copies="stored", snapshots=store)
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    after = resident_peak()
    statuses = sorted({str(result.status) for result in report.results})
    results.append({"traced": peak, "rss": after - before, "statuses": statuses})
    del report
print(json.dumps(results))
"""


def _fill(folder: Path, count: int, size: int, quotes: int = 1) -> None:
    """A store of ``count`` distinct captures of ``size`` characters, and the claims file."""
    from claimcheck import SnapshotStore

    store = SnapshotStore(folder / "store", create=True, max_bytes=max(64 * 2**20, 2 * size))
    urls = []
    for number in range(count):
        url = f"https://host{number % 50}.example/page/{number}"
        store.add(url, prose(size, number).encode(), media_type="text/plain")
        urls.append(url)
    (folder / "claims.toml").write_text(_claims(urls, quotes))
    store.add("https://warm.example/", prose(2_000, -1).encode(), media_type="text/plain")
    (folder / "warm.toml").write_text(_claims(["https://warm.example/"]))


def measure(folder: Path, runs: int, trace: bool) -> list[dict[str, object]]:
    """Run the check ``runs`` times in one fresh process and return what it measured."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), str(runs), "1" if trace else "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def _runs(folder: Path, *, trace: bool) -> list[dict[str, object]]:
    """A first run (no text cache entry: it derives and writes it) and a second (it reads the
    entry back), each in its own process: the resident set's high-water mark only rises."""
    shutil.rmtree(folder / "store" / ".cache", ignore_errors=True)
    return [measure(folder, 1, trace)[0], measure(folder, 1, trace)[0]]


def _mib(value: object) -> str:
    return f"{float(value) / 2**20:,.1f} MiB"  # type: ignore[arg-type]


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _one_document(args: argparse.Namespace, size: int, quotes: int) -> tuple[bool, list[str]]:
    """The rows of one document of ``size`` characters checked with ``quotes`` quote claims
    (and a figure and a date claim), and whether they met the target."""
    with tempfile.TemporaryDirectory(dir=args.folder) as name:
        _fill(Path(name), 1, size, quotes)
        results = _runs(Path(name), trace=False)
        if not args.no_tracemalloc:
            for result, traced in zip(results, _runs(Path(name), trace=True), strict=True):
                result["traced"] = traced["traced"]
    met, rows = True, []
    for label, result in zip(("first", "second"), results, strict=True):
        traced = float(result["traced"]) / size  # type: ignore[arg-type]
        rss = float(result["rss"]) / size  # type: ignore[arg-type]
        ok = max(traced, rss) <= TARGET_RATIO
        met = met and ok
        rows.append(
            f"{size / MB:>8.1f}MB  {label:>6}  {_mib(result['traced']):>18}  "
            f"{traced:>6.1f}x  {_mib(result['rss']):>14}  {rss:>6.1f}x  "
            f"{','.join(result['statuses'])}  {'met' if ok else 'MISSED'}"  # type: ignore[arg-type]
        )
    return met, rows


def run(args: argparse.Namespace) -> tuple[str, bool]:
    """Every case: the report's text and whether every target was met."""
    lines = [
        "# benchmarks/memory.py: memory of a check (issue 17)",
        f"# machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}",
        f"# load average before: {_load()}",
        "",
        f"One document, first run (derives the text cache entry) and second (reads it back); "
        f"target: peak <= {TARGET_RATIO:g}x the text",
        f"{'text':>10}  {'run':>6}  {'tracemalloc peak':>18}  {'ratio':>7}  "
        f"{'RSS growth':>14}  {'ratio':>7}  verdicts",
    ]
    met = True
    for size in args.sizes:
        ok, rows = _one_document(args, size, 1)
        met, lines = met and ok, lines + rows
    if args.whole_index:
        lines += [
            "",
            "One document with two quote claims (the second makes the check normalise the whole "
            "text and keep it); same target",
            lines[5],
        ]
    for size in args.whole_index:
        ok, rows = _one_document(args, size, 2)
        met, lines = met and ok, lines + rows
    if args.documents:
        lines += [
            "",
            f"Distinct documents of {args.document_size / MB:g} MB in one check (default text "
            f"cache budget); target: RSS growth < {_mib(TARGET_MANY)}",
        ]
        half = max(1, args.documents // 2)
        growth = {}
        for count in sorted({half, args.documents}):
            with tempfile.TemporaryDirectory(dir=args.folder) as name:
                _fill(Path(name), count, args.document_size)
                growth[count] = measure(Path(name), 1, False)[0]
            ok = float(growth[count]["rss"]) < TARGET_MANY  # type: ignore[arg-type]
            met = met and ok
            lines.append(
                f"{count:>6} documents: RSS growth {_mib(growth[count]['rss']):>12}  "
                f"{'met' if ok else 'MISSED'}"
            )
        if len(growth) == 2:
            first, last = (float(growth[c]["rss"]) for c in sorted(growth))  # type: ignore[arg-type]
            lines.append(
                f"growth from {half} to {args.documents} documents: {_mib(last - first)} "
                "(levels off once the cache is full: the texts' quarter at about 64 MB)"
            )
    lines += ["", f"# load average after: {_load()}", f"# targets: {'met' if met else 'MISSED'}"]
    return "\n".join(lines) + "\n", met


def _sizes(text: str) -> list[int]:
    """Sizes in characters, comma-separated (``1e6`` allowed); 0 for none."""
    return [size for size in (int(float(part)) for part in text.split(",") if part) if size]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[MB, 10 * MB],
        help="sizes of the one-document cases, in characters (default 1000000,10000000; 0: none)",
    )
    parser.add_argument(
        "--whole-index",
        type=_sizes,
        default=[MB, 10 * MB],
        help="sizes of the one-document cases with two quotes (default 1000000,10000000; 0: none)",
    )
    parser.add_argument("--documents", type=int, default=16, help="distinct documents (16)")
    parser.add_argument("--document-size", type=int, default=MB, help="their size (1 MB)")
    parser.add_argument("--folder", default=None, help="where the scratch stores go")
    parser.add_argument("--output", default=None, help="also write the report here")
    parser.add_argument("--no-tracemalloc", action="store_true", help="resident set only")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 on a miss")
    args = parser.parse_args(argv)
    text, met = run(args)
    print(text, end="")
    if args.output:
        Path(args.output).write_text(text)
    return 1 if args.check_targets and not met else 0


if __name__ == "__main__":
    sys.exit(main())

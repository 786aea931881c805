"""One quote on one page, set-up included, beside the naive fuzzy locator, in one process.

A check with about one quote per source (the worked example's shape) pays the source's set-up for
that one quote: what counts is claimcheck's whole ``match_quote`` on a source it has never seen
(normalising, indexing, locating, classifying), against what a user would otherwise run on the
raw text, ``rapidfuzz.fuzz.partial_ratio_alignment(quote, text)``.

Pages: the news pages in ``../shared/corpus/news-html/`` (full-page text as claimcheck extracts
it), concatenated, and repeated to reach 10 MB. For each size (10 KB, 100 KB, 1 MB, 10 MB) a
few 200-character quotes of each kind are taken from 15 % to 95 % into the page:

- ``exact``: verbatim;
- ``edited``: three words reversed, a 20-character run deleted, quotes made curly, a comma dropped;
- ``absent``: from a page left out of the haystack.

Times are the median over the quotes of each quote's median time (a fresh source every call);
a line says how many quotes of each kind were checked in windows of the text, without
normalising all of it (the rest take the whole-text path: see ``matching/_windows.py``).
Then 26 quotes (the worked example's count) on one 1 MB page: claimcheck's whole check of all 26
with one index (told of the 26, as the checker tells it when several quotes cite a page:
``SourceIndex.expect_quotes``) against 26 whole-text ``partial_ratio_alignment`` calls.

Targets (issue 17): one quote is never slower than ``partial_ratio_alignment`` at any size and
kind, and 26 quotes on a 1 MB page are >= 20x faster. ``--check-targets`` exits 1 on a miss.
Run: ``python benchmarks/one_quote.py [--corpus DIR] [--sizes 10KB,100KB,1MB,10MB] [--repeat N]
[--check-targets]``. Output committed as ``benchmarks/one_quote.txt``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

import claimcheck
from claimcheck.documents import Text, extract_text
from claimcheck.language import normalize
from claimcheck.matching import SourceIndex, match_quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import edit, word_aligned  # the quote cutting and editing speed.py measures with

DEFAULT_CORPUS = (
    Path(
        os.environ.get("CLAIMCHECK_CORPUS")
        or Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
    / "news-html"
)
SIZES = {"10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000, "10MB": 10_000_000}
QUOTE_LENGTH = 200
POSITIONS = (0.15, 0.45, 0.75, 0.95)
MANY_QUOTES = 26
TARGET_MANY = 20.0  # times faster than partial_ratio_alignment, 26 quotes on a 1 MB page


def median_time(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``function`` in seconds over ``repeat`` runs (after one warm-up
    when ``repeat`` > 1)."""
    if repeat > 1:
        function()
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_quote(quote: str, page: str) -> claimcheck.Evidence:
    """claimcheck on a page it has never seen: set-up included (a fresh source every call)."""
    return match_quote(quote, Text(page, "text/plain"))


def in_windows(quote: str, page: str) -> bool:
    """Whether claimcheck checked ``quote`` on a fresh ``page`` without normalising all of it
    (in windows of the text: verbatim, edited or absent alike)."""
    index = SourceIndex(page)
    match_quote(quote, Text(page, "text/plain"), index=index)
    return not index.has_normalized


def many_quotes(quotes: list[str], page: str) -> None:
    """claimcheck's check of several quotes on one page: one index, made once, shared, told
    how many quotes are coming (as the checker tells it when several quotes cite a page)."""
    text = Text(page, "text/plain")
    index = SourceIndex(page)
    index.expect_quotes(len(quotes))
    for quote in quotes:
        match_quote(quote, text, index=index)


def normalizer_line(pages: dict[str, str], repeat: int) -> str:
    """``normalize`` alone on the largest page up to 1 MB, beside the earlier character-by-
    character normaliser (kept as the reference of ``tests/language/test_normalize_identity.py``,
    which proves both give the same result), in MB/s of UTF-8 text; no target."""
    tests = Path(__file__).resolve().parents[1] / "tests"
    sys.path[:0] = [str(tests / "language"), str(tests)]  # the test and its support module
    try:
        from test_normalize_identity import _reference
    except ImportError:  # the tests (or hypothesis) are not installed here
        return "normalize alone: the earlier normaliser is not available (tests not installed)"
    label = max((label for label in pages if SIZES[label] <= 1_000_000), key=SIZES.__getitem__)
    page = pages[label]
    megabytes = len(page.encode("utf-8")) / 1e6
    # alternately, so that both see the same load on a shared machine
    news, olds = [], []
    for _ in range(max(5, repeat)):
        news.append(median_time(lambda: normalize(page), 1))
        olds.append(median_time(lambda: _reference(page), 1))
    new, old = statistics.median(news), statistics.median(olds)
    return (
        f"normalize alone on the {label} page: {megabytes / new:.1f} MB/s ({new * 1e3:.0f} ms),"
        f" the earlier normaliser {megabytes / old:.1f} MB/s ({old * 1e3:.0f} ms):"
        f" {old / new:.1f}x faster, the same result (no target)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default=",".join(SIZES), help="of " + ",".join(SIZES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check-targets", action="store_true", help="exit 1 on a missed target")
    args = parser.parse_args(argv)
    if not (args.corpus / "ground-truth.json").exists():
        print(f"corpus not found at {args.corpus}: nothing to measure (skipped)")
        return 0
    sizes = {label: SIZES[label] for label in args.sizes.split(",")}
    rng = random.Random(2021)
    paths = sorted((args.corpus / "html").glob("*.html.gz"))
    texts = [extract_text(gzip.decompress(path.read_bytes()), "text/html").text for path in paths]
    texts.pop()  # left out of every page: its article gives the absent quotes
    ground_truth = json.loads((args.corpus / "ground-truth.json").read_text(encoding="utf-8"))
    absent_source = ground_truth[paths[-1].name.removesuffix(".html.gz")]["articleBody"]
    corpus_text = "\n\n".join(texts)
    print(
        f"corpus: {len(paths) - 1} pages, {len(corpus_text.encode('utf-8')):,} bytes of text,"
        " repeated to reach the larger sizes"
    )
    print(
        f"python {sys.version.split()[0]}, claimcheck {claimcheck.__version__},"
        f" load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min)"
    )
    print()
    header = (
        f"{'size':>6} {'case':>7} {'claimcheck ms':>14} {'partial_ratio ms':>17}"
        f" {'ratio':>7}  target"
    )
    print(header)
    print("-" * len(header))
    missed: list[str] = []
    pages: dict[str, str] = {}
    windowed: list[str] = []
    for label, size in sizes.items():
        whole = corpus_text
        while len(whole.encode("utf-8")) < size:
            whole = whole + "\n\n" + corpus_text
        page = whole.encode("utf-8")[:size].decode("utf-8", errors="ignore")
        pages[label] = page
        repeat = max(1, args.repeat if size <= 1_000_000 else 1)
        spans = [word_aligned(page, int(len(page) * at), QUOTE_LENGTH) for at in POSITIONS]
        absent = [
            word_aligned(absent_source, int(len(absent_source) * at * 0.8), QUOTE_LENGTH)
            for at in POSITIONS
        ]
        cases = {
            "exact": [page[a:b] for a, b in spans],
            "edited": [edit(page[a:b], rng) for a, b in spans],
            "absent": [absent_source[a:b] for a, b in absent],
        }
        counts = ", ".join(
            f"{case} {sum(in_windows(quote, page) for quote in quotes)}/{len(quotes)}"
            for case, quotes in cases.items()
        )
        windowed.append(f"{label}: {counts}")
        for case, quotes in cases.items():
            ours = statistics.median(
                median_time(lambda q=quote, p=page: one_quote(q, p), repeat) for quote in quotes
            )
            naive = statistics.median(
                median_time(lambda q=quote, p=page: fuzz.partial_ratio_alignment(q, p), repeat)
                for quote in quotes
            )
            met = ours <= naive
            if not met:
                missed.append(f"one {case} quote at {label}")
            print(
                f"{label:>6} {case:>7} {ours * 1e3:14.2f} {naive * 1e3:17.2f}"
                f" {naive / ours:6.1f}x  >= 1.0x {'met' if met else 'NOT MET'}"
            )
    print()
    print("checked in windows of the text (not normalised whole): " + "; ".join(windowed))
    if "1MB" in pages:
        page = pages["1MB"]
        spans = [
            word_aligned(page, int(len(page) * (0.02 + 0.96 * k / MANY_QUOTES)), QUOTE_LENGTH)
            for k in range(MANY_QUOTES)
        ]
        quotes = [page[a:b] if k % 2 else edit(page[a:b], rng) for k, (a, b) in enumerate(spans)]
        ours = median_time(lambda: many_quotes(quotes, page), max(1, args.repeat // 2))
        start = time.perf_counter()
        for quote in quotes:
            fuzz.partial_ratio_alignment(quote, page)
        naive = time.perf_counter() - start
        met = naive / ours >= TARGET_MANY
        if not met:
            missed.append(f"{MANY_QUOTES} quotes on a 1 MB page")
        print()
        print(
            f"{MANY_QUOTES} quotes (half exact, half edited) on one 1 MB page: claimcheck"
            f" {ours * 1e3:.0f} ms (one index), partial_ratio_alignment {naive * 1e3:.0f} ms:"
            f" {naive / ours:.1f}x faster (target >= {TARGET_MANY:.0f}x)"
            f" {'met' if met else 'NOT MET'}"
        )
    print()
    print(normalizer_line(pages, args.repeat))
    print()
    print(f"targets: {'NOT MET: ' + '; '.join(missed) if missed else 'all met'}")
    return 1 if missed and args.check_targets else 0


if __name__ == "__main__":
    raise SystemExit(main())

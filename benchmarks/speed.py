"""Speed of quote location, side by side with the naive methods, in one process.

Haystacks of 10 KB, 100 KB and 1 MB are cut from real text: the news pages in
``../shared/corpus/news-html/`` (full-page text as claimcheck extracts it, pages concatenated),
followed by the text of the PDFs in ``../shared/corpus/pdf/`` (mostly a long German book).
For each size, three 200-character quotes are looked for, taken from about 85 % into the haystack:

- ``exact``: verbatim;
- ``edited``: three words substituted, a 20-character run deleted, straight quotes made curly and
  a comma dropped (what a careless transcription does);
- ``absent``: 200 characters of a page that is not in the haystack.

Methods, all on the same haystack:

- ``str.find`` on claimcheck's normalised text (the floor for exact quotes);
- ``partial_ratio_alignment``: ``rapidfuzz.fuzz.partial_ratio_alignment(quote, haystack)`` over the
  whole normalised text (the naive fuzzy locator);
- ``claimcheck``: ``claimcheck.match_quote(quote, text)`` with the source already normalised and
  indexed (that is done once per document and reported on its own line, amortised over every
  claim checked against that source).

"found" says whether the method located the true passage (span overlapping the true one; for
``partial_ratio_alignment`` with a score of at least 60, for claimcheck any status other than
not-found). Times are medians of repeated runs; ratios are what to read, not absolute times.
Finally, extraction cost per page is reported, first and repeated (repeated extraction of the same
bytes is served from a cache).

Run: ``python benchmarks/speed.py [--corpus DIR] [--repeat N]``. Output committed as
``benchmarks/speed.txt``.
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

import claimcheck
from claimcheck._normalize import normalize

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news-html"
SIZES = {"10 KB": 10_000, "100 KB": 100_000, "1 MB": 1_000_000}
QUOTE_LENGTH = 200


def median_time(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``function`` in seconds over ``repeat`` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def word_aligned(text: str, start: int, length: int) -> tuple[int, int]:
    """A span of about ``length`` characters of ``text`` starting and ending at word bounds."""
    while start < len(text) and not text[start - 1].isspace():
        start += 1
    end = start + length
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def edit(quote: str, rng: random.Random) -> str:
    """Three words substituted, a 20-character run deleted, curly quotes, a comma dropped."""
    words = quote.split(" ")
    for position in rng.sample(range(1, len(words) - 1), 3):
        words[position] = "".join(reversed(words[position])) or "x"
    edited = " ".join(words)
    middle = len(edited) // 2
    edited = edited[:middle] + edited[middle + 20 :]
    return edited.replace('"', "“").replace("'", "’").replace(",", "", 1)


def load_pages(corpus: Path) -> list[claimcheck.Text]:
    pages = []
    for path in sorted((corpus / "html").glob("*.html.gz")):
        pages.append(claimcheck.extract_text(gzip.decompress(path.read_bytes()), "text/html"))
    return pages


def overlaps(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    if not (args.corpus / "ground-truth.json").exists():
        print(f"corpus not found at {args.corpus}: nothing to measure")
        return 0
    rng = random.Random(2021)

    paths = sorted((args.corpus / "html").glob("*.html.gz"))
    raw_pages = [gzip.decompress(path.read_bytes()) for path in paths]
    first, repeated = [], []
    for raw in raw_pages:
        start = time.perf_counter()
        claimcheck.extract_text(raw, "text/html")
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        claimcheck.extract_text(raw, "text/html")
        repeated.append(time.perf_counter() - start)
    texts = [claimcheck.extract_text(raw, "text/html").text for raw in raw_pages]
    absent_source = texts.pop()  # a page left out of every haystack
    pdf_dir = args.corpus.parent / "pdf"
    for pdf in sorted(pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else ():
        pdf_text = claimcheck.extract_text(pdf.read_bytes(), "application/pdf")
        if pdf_text.readable:
            texts.append(pdf_text.text)  # the long German book takes the haystack past 1 MB
    corpus_text = "\n\n".join(texts)
    print(f"corpus: {len(raw_pages)} pages, {len(corpus_text):,} characters of page text")
    print(f"python {sys.version.split()[0]}, claimcheck {claimcheck.__version__}")
    print()
    print("extraction per page (HTML -> text, regions, publication date):")
    print(
        f"  first extraction:    median {statistics.median(first) * 1000:8.2f} ms,"
        f" total {sum(first):.2f} s for {len(first)} pages"
    )
    print(
        f"  repeated (cached):   median {statistics.median(repeated) * 1000:8.3f} ms"
        f" ({statistics.median(first) / statistics.median(repeated):,.0f}x faster)"
    )
    print()

    header = (
        f"{'size':>7} {'case':>7} {'method':>24} {'found':>6} {'median ms':>10}"
        f" {'vs claimcheck':>14}"
    )
    print(header)
    print("-" * len(header))
    summary: list[str] = []
    for label, size in SIZES.items():
        if len(corpus_text) < size:
            print(f"{label:>7}: corpus too small, skipped")
            continue
        haystack = corpus_text[:size]
        start, end = word_aligned(haystack, int(size * 0.85), QUOTE_LENGTH)
        exact = haystack[start:end]
        a_start, a_end = word_aligned(absent_source, len(absent_source) // 3, QUOTE_LENGTH)
        cases = {"exact": exact, "edited": edit(exact, rng), "absent": absent_source[a_start:a_end]}
        true_span = (start, end)

        build_start = time.perf_counter()
        normalize.cache_clear()
        source = normalize(haystack)
        _ = source.index
        build = time.perf_counter() - build_start
        print(
            f"{label:>7} {'(once)':>7} {'normalise + index source':>24} {'':>6} {build * 1e3:10.2f}"
        )
        text = claimcheck.Text(haystack, "text/plain")
        normalized_text = source.text

        for case, quote in cases.items():
            expect_found = case != "absent"
            normalized_quote = normalize(quote).text

            evidence = claimcheck.match_quote(quote, text)
            ours_found = evidence.reason is not claimcheck.Reason.NOT_FOUND and overlaps(
                evidence.span, true_span
            )
            ours = median_time(lambda q=quote, t=text: claimcheck.match_quote(q, t), args.repeat)

            alignment = fuzz.partial_ratio_alignment(normalized_quote, normalized_text)
            naive_found = (
                alignment is not None
                and alignment.score >= 60
                and overlaps(
                    source.to_original(alignment.dest_start, alignment.dest_end), true_span
                )
            )
            naive = median_time(
                lambda q=normalized_quote, h=normalized_text: fuzz.partial_ratio_alignment(q, h),
                max(3, args.repeat // 3),
            )
            rows = [("claimcheck.match_quote", ours_found, ours)]
            rows.append(("partial_ratio_alignment", naive_found, naive))
            if case == "exact":
                find = median_time(
                    lambda q=normalized_quote, h=normalized_text: h.find(q), args.repeat
                )
                rows.append(
                    ("str.find (normalised)", normalized_text.find(normalized_quote) >= 0, find)
                )
            for method, found, seconds in rows:
                correct = found == expect_found
                ratio = seconds / ours
                print(
                    f"{label:>7} {case:>7} {method:>24} {'yes' if correct else 'NO':>6}"
                    f" {seconds * 1000:10.3f} {ratio:13.1f}x"
                )
            if label == "1 MB" and case in ("edited", "absent"):
                summary.append(
                    f"  {case} at 1 MB: claimcheck {naive / ours:.0f}x faster than whole-text"
                    f" partial_ratio_alignment (target >= 20x); correct: claimcheck"
                    f" {'yes' if ours_found == expect_found else 'no'}, naive"
                    f" {'yes' if naive_found == expect_found else 'no'}"
                )
            if case == "exact":
                summary.append(
                    f"  exact at {label}: claimcheck takes {ours / rows[-1][2]:.1f}x the time of"
                    f" str.find on the normalised text (target <= 3x at 1 MB)"
                )
            _ = evidence
    print()
    print("summary:")
    for line in summary:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Speed of quote location, side by side with the naive methods, in one process.

Haystacks of 10 KB, 100 KB and 1 MB (of UTF-8) are cut from real text: the news pages in
``../shared/corpus/news-html/`` (full-page text as claimcheck extracts it, pages concatenated),
followed by the text of the PDFs in ``../shared/corpus/pdf/`` (mostly a long German book).
For each size, seven 200-character quotes of each kind are looked for, taken from 15 % to 95 % into
the haystack:

- ``exact``: verbatim;
- ``edited``: three words substituted, a 20-character run deleted, straight quotes made curly and
  a comma dropped (what a careless transcription does);
- ``absent``: 200 characters of a page that is not in the haystack.

Methods, all on the same haystack:

- ``str.find`` on claimcheck's normalised text (the floor for exact quotes);
- ``partial_ratio_alignment``: ``rapidfuzz.fuzz.partial_ratio_alignment(quote, haystack)`` over the
  whole normalised text (the naive fuzzy locator);
- ``claimcheck locate only``: parsing the quote and locating each fragment (exact, else seed and
  extend), the part of claimcheck that ``partial_ratio_alignment`` stands for;
- ``claimcheck.matching.match_quote``: the whole check, locating plus the word-level
  classification and the evidence, which the naive locator does not do at all.

Both with the source already normalised and indexed (done once per document and reported on its
own line, amortised over every claim checked against that source).

"found" counts the right answers: the true passage located (span overlapping the true one; for
``partial_ratio_alignment`` a score of at least 60, for claimcheck any status other than
not-found), or for absent quotes nothing located. Times are the median over the seven quotes of
each quote's median time; ratios are what to read, not absolute times.
Finally, extraction cost per page is reported, first and repeated (repeated extraction of the same
bytes is served from an ``ExtractionCache``, which the caller passes in).

Run: ``python benchmarks/speed.py [--corpus DIR] [--repeat N]``. Output committed as
``benchmarks/speed.txt``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

import claimcheck
from claimcheck.documents import ExtractionCache
from claimcheck.language import NormalizedText, normalize
from claimcheck.matching import SourceIndex, locate_quote, match_quote, parse_quote

DEFAULT_CORPUS = (
    Path(
        os.environ.get("CLAIMCHECK_CORPUS")
        or Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
    / "news-html"
)
SIZES = {"10 KB": 10_000, "100 KB": 100_000, "1 MB": 1_000_000}
QUOTE_LENGTH = 200
POSITIONS = (0.15, 0.3, 0.45, 0.6, 0.75, 0.85, 0.95)  # where the quotes are taken from


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
    """Three words reversed, a 20-character run deleted, curly quotes, a comma dropped."""
    pieces = re.split(r"(\s+)", quote)  # words at even positions, whitespace between
    words = [i for i in range(2, len(pieces) - 2, 2) if len(pieces[i]) > 1]
    for position in rng.sample(words, min(3, len(words))):
        pieces[position] = pieces[position][::-1]
    edited = "".join(pieces)
    middle = len(edited) // 2
    edited = edited[:middle] + edited[middle + 20 :]
    return edited.replace('"', "“").replace("'", "’").replace(",", "", 1)


def locate(quote: str, source: NormalizedText) -> tuple[int, int] | None:
    """Only the locating half of :func:`claimcheck.matching.match_quote` (parse the quote, find each
    fragment: exact, else seed and extend), the part ``partial_ratio_alignment`` stands for:
    the span found in the original text, or None when the quote is absent."""
    located = locate_quote(parse_quote(quote), source)
    return located.span(source) if located.alignments else None


def same_passage(found: tuple[int, int] | None, true: tuple[int, int], haystack: str) -> bool:
    """Whether a located span is the true passage: overlapping it, or a repeat of its text
    elsewhere (navigation menus repeat on a page)."""
    if found is None:
        return False
    if found[0] < true[1] and true[0] < found[1]:
        return True
    words = normalize(haystack[true[0] : true[1]]).tokens
    located = normalize(haystack[found[0] : found[1]]).tokens
    return bool(words) and " ".join(words[2:-2]) in " ".join(located)


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
    cache = ExtractionCache(size=len(raw_pages))
    for raw in raw_pages:
        start = time.perf_counter()
        claimcheck.documents.extract_text(raw, "text/html", cache=cache)
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        claimcheck.documents.extract_text(raw, "text/html", cache=cache)
        repeated.append(time.perf_counter() - start)
    texts = [
        claimcheck.documents.extract_text(raw, "text/html", cache=cache).text for raw in raw_pages
    ]
    texts.pop()  # a page left out of every haystack: its article text gives the absent quotes
    ground_truth = json.loads((args.corpus / "ground-truth.json").read_text(encoding="utf-8"))
    absent_source = ground_truth[paths[-1].name.removesuffix(".html.gz")]["articleBody"]
    pdf_dir = args.corpus.parent / "pdf"
    for pdf in sorted(pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else ():
        pdf_text = claimcheck.documents.extract_text(pdf.read_bytes(), "application/pdf")
        if pdf_text.readable:
            texts.append(pdf_text.text)  # the long German book takes the haystack past 1 MB
    corpus_text = "\n\n".join(texts)
    print(
        f"corpus: {len(raw_pages)} pages and the readable PDFs,"
        f" {len(corpus_text.encode('utf-8')):,} bytes of text"
    )
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
    missed: list[str] = []  # the targets printed and not met: the exit status says so
    for label, size in SIZES.items():
        if len(corpus_text.encode("utf-8")) < size:
            print(f"{label:>7}: corpus too small, skipped")
            continue
        haystack = corpus_text.encode("utf-8")[:size].decode("utf-8", errors="ignore")
        build_start = time.perf_counter()
        index = SourceIndex(haystack)
        source = index.normalized
        _ = source.index
        build = time.perf_counter() - build_start
        print(
            f"{label:>7} {'(once)':>7} {'normalise + index source':>24} {'':>6} {build * 1e3:10.2f}"
        )
        text = claimcheck.documents.Text(haystack, "text/plain")
        normalized_text = source.text

        spans = [word_aligned(haystack, int(len(haystack) * at), QUOTE_LENGTH) for at in POSITIONS]
        absent_spans = [
            word_aligned(absent_source, int(len(absent_source) * at * 0.8), QUOTE_LENGTH)
            for at in POSITIONS
        ]
        cases = {
            "exact": [(haystack[a:b], (a, b)) for a, b in spans],
            "edited": [(edit(haystack[a:b], rng), (a, b)) for a, b in spans],
            "absent": [(absent_source[a:b], (0, 0)) for a, b in absent_spans],
        }
        for case, quotes in cases.items():
            expect_found = case != "absent"
            results: dict[str, list[tuple[bool, float]]] = {
                "claimcheck match_quote": [],
                "claimcheck locate only": [],
                "partial_ratio_alignment": [],
                "str.find (normalised)": [],
            }
            for quote, true_span in quotes:
                normalized_quote = normalize(quote).text
                evidence = match_quote(quote, text, index=index)
                found = evidence.reason is not claimcheck.Reason.NOT_FOUND and (
                    not expect_found or same_passage(evidence.span, true_span, haystack)
                )
                seconds = median_time(
                    lambda q=quote, t=text, i=index: match_quote(q, t, index=i),
                    args.repeat,
                )
                results["claimcheck match_quote"].append((found == expect_found, seconds))
                located = locate(quote, source)
                found = bool(located) and (
                    not expect_found or same_passage(located, true_span, haystack)
                )
                seconds = median_time(lambda q=quote, s=source: locate(q, s), args.repeat)
                results["claimcheck locate only"].append((found == expect_found, seconds))

                alignment = fuzz.partial_ratio_alignment(normalized_quote, normalized_text)
                found = (
                    alignment is not None
                    and alignment.score >= 60
                    and (
                        not expect_found
                        or same_passage(
                            source.to_original(alignment.dest_start, alignment.dest_end),
                            true_span,
                            haystack,
                        )
                    )
                )
                seconds = median_time(
                    lambda q=normalized_quote, h=normalized_text: fuzz.partial_ratio_alignment(
                        q, h
                    ),
                    max(3, args.repeat // 3),
                )
                results["partial_ratio_alignment"].append((found == expect_found, seconds))
                if case == "exact":
                    found = normalized_text.find(normalized_quote) >= 0
                    seconds = median_time(
                        lambda q=normalized_quote, h=normalized_text: h.find(q), args.repeat
                    )
                    results["str.find (normalised)"].append((found, seconds))
            medians = {
                method: statistics.median(seconds for _, seconds in rows)
                for method, rows in results.items()
                if rows
            }
            ours = medians["claimcheck match_quote"]
            for method, rows in results.items():
                if not rows:
                    continue
                correct = sum(ok for ok, _ in rows)
                print(
                    f"{label:>7} {case:>7} {method:>24} {correct:>3}/{len(rows):<2}"
                    f" {medians[method] * 1000:10.3f} {medians[method] / ours:13.1f}x"
                )
            if label == "1 MB" and case in ("edited", "absent"):
                ours_ok = sum(ok for ok, _ in results["claimcheck locate only"])
                naive_ok = sum(ok for ok, _ in results["partial_ratio_alignment"])
                naive = medians["partial_ratio_alignment"]
                if naive / medians["claimcheck locate only"] < 20:
                    missed.append(f"locating an {case} quote at 1 MB")
                summary.append(
                    f"  {case} at 1 MB: locating, claimcheck is"
                    f" {naive / medians['claimcheck locate only']:.0f}x faster than whole-text"
                    f" partial_ratio_alignment (target >= 20x); the whole check (locate,"
                    f" classify, evidence) {naive / ours:.0f}x; right answers: claimcheck"
                    f" {ours_ok}/{len(quotes)}, partial_ratio_alignment {naive_ok}/{len(quotes)}"
                )
            if case == "exact":
                if label == "1 MB" and ours / medians["str.find (normalised)"] > 3:
                    missed.append("an exact quote at 1 MB")
                summary.append(
                    f"  exact at {label}: claimcheck takes"
                    f" {ours / medians['str.find (normalised)']:.1f}x the time of str.find on the"
                    f" normalised text (target <= 3x at 1 MB)"
                )
    print()
    print("summary:")
    for line in summary:
        print(line)
    print(f"targets: {'NOT MET: ' + ', '.join(missed) if missed else 'all met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of an offline check, side by side with the naive pipeline, in one run.

The 97 real news pages of ``../shared/corpus/news-html/`` are recorded in a fresh snapshot store
(as HTTP captures of their URLs), and 1,000 claims are made from their ground-truth article text:
quotes (verbatim and edited), figures ("N noun" with context words) and dates ("Month Year"), each
citing its page. Then, each in a fresh process so that nothing is shared but the store:

- ``naive``: for each claim, read the capture, ``BeautifulSoup(html, "lxml").get_text()``, and
  ``rapidfuzz.fuzz.partial_ratio(claim, text)`` (what a script without claimcheck does);
- ``naive, cached``: the same, with each page's text extracted once and kept per URL (what a
  competent user writes: the fair baseline; issue 15);
- ``claimcheck (first run)``: ``claimcheck.check(claims, snapshots=store)``, extracting each page
  once and caching its text on disk by digest;
- ``claimcheck (second run)``: the same again over the same store, reading the cached text.

Reported: seconds (after the libraries are imported), claims per second, peak memory (max RSS
of the process), and the ratios.
Targets: claimcheck at least 10x the naive pipeline's throughput; the second run at least 3x
faster than the first. Against the cached naive pipeline there is no target: the ratio is
reported as it is (claimcheck's first run does more per claim than one ``partial_ratio``: it
locates, aligns and classifies), and where claimcheck loses, the report says so.

Run: ``python benchmarks/check_speed.py [--corpus DIR] [--claims N]``; output committed as
``benchmarks/check_speed.txt``. Without the corpus it says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = (
    Path(
        os.environ.get("CLAIMCHECK_CORPUS")
        or Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
    / "news-html"
)
MONTHS = (
    "January February March April May June July August September October November December"
).split()
FIGURE = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+([a-z]{4,})\b")
DATE = re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{4}})\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def make_claims(corpus: Path, count: int, seed: int) -> list[dict[str, str]]:
    """``count`` claims from the ground-truth text of the pages: 60 % quotes (a third of them
    with one word changed), 25 % figures, 15 % dates, spread over the pages."""
    rng = random.Random(seed)
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    quotes, figures, dates = [], [], []
    for page_id, entry in sorted(truth.items()):
        sentences = [s for s in SENTENCE.split(entry["articleBody"]) if 60 <= len(s) <= 300]
        for sentence in sentences:
            quote = sentence
            if rng.random() < 1 / 3:
                words = quote.split(" ")
                position = rng.randrange(len(words))
                words[position] = words[position][::-1]
                quote = " ".join(words)
            quotes.append({"page": page_id, "kind": "quote", "text": quote})
            for match in FIGURE.finditer(sentence):
                context = [w for w in re.findall(r"[A-Za-z]{5,}", sentence) if w != match[2]]
                figures.append(
                    {
                        "page": page_id,
                        "kind": "figure",
                        "text": f"{match[1]} {match[2]}",
                        "context": " ".join(context[:2]),
                    }
                )
            for match in DATE.finditer(sentence):
                context = [w for w in re.findall(r"[A-Za-z]{5,}", sentence) if w not in MONTHS]
                dates.append(
                    {
                        "page": page_id,
                        "kind": "date",
                        "text": f"{match[1]} {match[2]}",
                        "context": " ".join(context[:2]),
                    }
                )
    wanted = {"quote": int(count * 0.6), "figure": int(count * 0.25)}
    wanted["date"] = count - wanted["quote"] - wanted["figure"]
    chosen = []
    for kind, pool in (("quote", quotes), ("figure", figures), ("date", dates)):
        rng.shuffle(pool)
        picked = pool[: wanted[kind]]
        while len(picked) < wanted[kind] and pool:  # small corpora: repeat claims
            picked.append(rng.choice(pool))
        chosen.extend(picked)
    return chosen


def build_store(corpus: Path, store_dir: Path) -> dict[str, str]:
    """Record every page in a new store as an HTTP capture of its URL; return page id -> URL."""
    import claimcheck

    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    store = claimcheck.SnapshotStore(store_dir, create=True)
    urls = {}
    for path in sorted((corpus / "html").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        url = truth[page_id]["url"]
        store.add(
            url,
            gzip.decompress(path.read_bytes()),
            media_type="text/html; charset=utf-8",
            status=200,
            headers=[("Content-Type", "text/html; charset=utf-8")],
        )
        urls[page_id] = url
    return urls


# ------------------------------------------------------------------------------------------
# The measured runs, each in its own process (``--run`` is the child's entry point)


def run_naive(store_dir: Path, claims: list[dict[str, str]], urls: dict[str, str]) -> dict:
    from bs4 import BeautifulSoup
    from rapidfuzz import fuzz

    import claimcheck

    store = claimcheck.SnapshotStore(store_dir)
    outcome = {"verified": 0, "drifted": 0, "broken": 0}
    for claim in claims:
        snapshot = store.find(urls[claim["page"]])
        assert snapshot is not None
        text = BeautifulSoup(store.read(snapshot), "lxml").get_text()
        score = fuzz.partial_ratio(claim["text"], text)
        status = "verified" if score >= 90 else "drifted" if score >= 60 else "broken"
        outcome[status] += 1
    return outcome


def run_naive_cached(store_dir: Path, claims: list[dict[str, str]], urls: dict[str, str]) -> dict:
    from bs4 import BeautifulSoup
    from rapidfuzz import fuzz

    import claimcheck

    store = claimcheck.SnapshotStore(store_dir)
    outcome = {"verified": 0, "drifted": 0, "broken": 0}
    texts: dict[str, str] = {}
    for claim in claims:
        url = urls[claim["page"]]
        if url not in texts:
            snapshot = store.find(url)
            assert snapshot is not None
            texts[url] = BeautifulSoup(store.read(snapshot), "lxml").get_text()
        score = fuzz.partial_ratio(claim["text"], texts[url])
        status = "verified" if score >= 90 else "drifted" if score >= 60 else "broken"
        outcome[status] += 1
    return outcome


def run_claimcheck(store_dir: Path, claims: list[dict[str, str]], urls: dict[str, str]) -> dict:
    import claimcheck

    claim_set = claimcheck.ClaimSet(
        claimcheck.Statement(id="benchmark"),
        tuple(
            claimcheck.Claim(
                claim["kind"],
                claim["text"],
                id=str(number),
                context=claim.get("context") or None,
                sources=(claimcheck.Source(urls[claim["page"]]),),
            )
            for number, claim in enumerate(claims)
        ),
    )
    report = claimcheck.check(claim_set, snapshots=store_dir, copies="stored")
    return {status: count for status, count in report.summary.items() if status != "total"}


def child(args: argparse.Namespace) -> int:
    work = Path(args.run_dir)
    claims = json.loads((work / "claims.json").read_text(encoding="utf-8"))
    urls = json.loads((work / "urls.json").read_text(encoding="utf-8"))
    runner = {"naive": run_naive, "naive-cached": run_naive_cached}.get(args.run, run_claimcheck)
    # Imports are start-up, not throughput: load every library before the clock starts.
    import bs4  # noqa: F401
    import rapidfuzz  # noqa: F401

    import claimcheck  # noqa: F401

    start = time.perf_counter()
    outcome = runner(work / "store", claims, urls)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "outcome": outcome}))
    return 0


def measure(kind: str, work: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--run", kind, "--run-dir", str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--run", choices=("naive", "naive-cached", "claimcheck"), help=argparse.SUPPRESS
    )
    parser.add_argument("--run-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        return child(args)
    if not (args.corpus / "ground-truth.json").exists():
        print(f"corpus not found at {args.corpus}: nothing to measure")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        urls = build_store(args.corpus, work / "store")
        claims = make_claims(args.corpus, args.claims, args.seed)
        (work / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
        (work / "urls.json").write_text(json.dumps(urls), encoding="utf-8")
        kinds = {
            kind: sum(c["kind"] == kind for c in claims) for kind in ("quote", "figure", "date")
        }
        naive = measure("naive", work)
        cached = measure("naive-cached", work)
        first = measure("claimcheck", work)
        second = measure("claimcheck", work)

    print(f"offline check of {len(claims)} claims over {len(urls)} pages (claims: {kinds})")
    print(f"python {sys.version.split()[0]}")
    print()
    header = f"{'pipeline':<28} {'seconds':>8} {'claims/s':>9} {'peak MiB':>9}  outcome"
    print(header)
    print("-" * len(header))
    for name, result in (
        ("naive (get_text+partial)", naive),
        ("naive, text cached per URL", cached),
        ("claimcheck, first run", first),
        ("claimcheck, second run", second),
    ):
        rate = len(claims) / result["seconds"]
        outcome = ", ".join(f"{k} {v}" for k, v in result["outcome"].items())
        print(
            f"{name:<28} {result['seconds']:8.2f} {rate:9.1f} {result['peak_mib']:9.1f}  {outcome}"
        )
    print()
    speedup = naive["seconds"] / first["seconds"]
    rerun = first["seconds"] / second["seconds"]
    print(
        f"claimcheck first run: {speedup:.1f}x the naive pipeline's throughput (target >= 10x):"
        f" {'met' if speedup >= 10 else 'NOT MET'}"
    )
    print(
        f"second run over the same store: {rerun:.1f}x faster than the first (target >= 3x):"
        f" {'met' if rerun >= 3 else 'NOT MET'}"
    )
    fair = cached["seconds"] / first["seconds"]
    fair_second = cached["seconds"] / second["seconds"]
    print(
        f"against the naive pipeline with a per-URL text cache (the fair baseline, no target):"
        f" first run {fair:.2f}x, second run {fair_second:.2f}x its throughput"
        + (
            ""
            if fair >= 1
            else " (claimcheck's first run is slower: it locates, aligns and"
            " classifies each claim where the baseline computes one score)"
        )
    )
    return 0 if speedup >= 10 and rerun >= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""A differential test of the windowed one-quote path on real text (issue 17's review).

Real news pages of the corpus (``news-html``, full-page text as claimcheck extracts it) are
joined and repeated into sources of 60 KB to 2 MB; real sentences of them are turned into quotes
the ways statements get quotes wrong (a word changed, a figure changed, a "not" put in, a word
left out, two words swapped, two sentences stitched, a sentence of another page, case,
punctuation and typographic-quote variants), and the sources are given repeated and
near-duplicate passages (and some a page with its accented letters decomposed). Each quote is
checked on a fresh source (the one-quote path: verbatim in ``_quick`` or located in
``_windows``' stand-in) and on a source whose whole text is normalised: the evidence must be
equal (``test_one_quote_windows.check``'s comparison: status, reason, explanation, score,
passage, span, region and differences).

Run as a script for a long hunt (``python tests/matching/test_windows_differential_corpus.py
--cases 3000``): it prints how often the windows were taken and every mismatch.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claimcheck import Evidence
from claimcheck.documents import extract_text
from claimcheck.matching import SourceIndex, _windows, match_quote

SENTENCE = re.compile(r"[A-Z\u201c\"][^.!?\n]{30,220}[.!?]")
WORDS = re.compile(r"\S+")


def load_pages(corpus: Path) -> list[str]:
    """The corpus's news pages as claimcheck extracts them."""
    paths = sorted((corpus / "news-html" / "html").glob("*.html.gz"))
    return [extract_text(gzip.decompress(path.read_bytes()), "text/html").text for path in paths]


def sentences(page: str) -> list[str]:
    """Sentence-like runs of a page with a few words in them."""
    return [s for s in SENTENCE.findall(page) if len(s.split()) >= 5]


def _changed_number(words: list[str], rng: random.Random) -> list[str] | None:
    numbered = [i for i, word in enumerate(words) if any(c.isdigit() for c in word)]
    if not numbered:
        return None
    at = rng.choice(numbered)
    digits = [i for i, c in enumerate(words[at]) if c.isdigit()]
    word = list(words[at])
    if len(digits) >= 2 and rng.random() < 0.5:  # 189 -> 198
        i, j = digits[-2], digits[-1]
        word[i], word[j] = word[j], word[i]
    else:
        i = rng.choice(digits)
        word[i] = str((int(word[i]) + 1) % 10)
    return [*words[:at], "".join(word), *words[at + 1 :]]


def derive(sentence: str, other: str, foreign: str, rng: random.Random) -> tuple[str, str]:
    """A quote derived from ``sentence`` (``other``: another sentence of the source,
    ``foreign``: one of another page), and the kind of change."""
    words = WORDS.findall(sentence)
    kind = rng.choice(KINDS)
    n = len(words)
    at = rng.randrange(n)
    if kind == "verbatim":
        return sentence, kind
    if kind == "word changed":
        words[at] = rng.choice(WORDS.findall(other))
    elif kind == "number changed":
        changed = _changed_number(words, rng)
        if changed is None:
            words.insert(at, str(rng.randint(2, 999)))
        else:
            words = changed
    elif kind == "not":
        words.insert(at, "not")
    elif kind == "dropped":
        del words[at]
    elif kind == "swapped" and n > 1:
        at = min(at, n - 2)
        words[at], words[at + 1] = words[at + 1], words[at]
    elif kind == "stitched":
        theirs = WORDS.findall(other)
        words = words[: max(3, n // 2)] + theirs[len(theirs) // 2 :]
    elif kind == "absent":
        return foreign, kind
    elif kind == "part":
        start = rng.randrange(max(1, n - 4))
        words = words[start : start + rng.randint(4, 12)]
        if rng.random() < 0.5:
            words[rng.randrange(len(words))] = rng.choice(WORDS.findall(other))
    elif kind == "case":
        quote = " ".join(words)
        return (quote.lower() if rng.random() < 0.5 else quote.upper()), kind
    elif kind == "punctuation":
        quote = " ".join(words)
        return re.sub(r"[,.;:!?]", "", quote) if rng.random() < 0.5 else quote + ".", kind
    elif kind == "typographic":
        quote = " ".join(words)
        swaps = [("\u2019", "'"), ("'", "\u2019"), ("\u201c", '"'), ("\u201d", '"')]
        for old, new in swaps:
            quote = quote.replace(old, new)
        if quote == " ".join(words):
            quote = "\u201c" + quote + "\u201d"
        return quote, kind
    return " ".join(words), kind


KINDS = [
    "verbatim",
    "word changed",
    "number changed",
    "not",
    "dropped",
    "swapped",
    "stitched",
    "absent",
    "part",
    "case",
    "punctuation",
    "typographic",
]


def make_source(
    pages: list[str], size: int, rng: random.Random, inserts: list[str]
) -> tuple[str, int]:
    """Pages joined (and repeated) to about ``size`` characters, with ``inserts`` put in at
    random places between lines; also the index of the page left out (for absent quotes)."""
    left_out = rng.randrange(len(pages))
    chosen: list[str] = []
    total = 0
    while total < size:
        page = pages[rng.randrange(len(pages))]
        if page is pages[left_out]:
            continue
        chosen.append(page)
        total += len(page) + 2
    for insert in inserts:
        chosen.insert(rng.randrange(len(chosen) + 1), insert)
    return "\n\n".join(chosen), left_out


def near_duplicate(sentence: str, rng: random.Random) -> str:
    words = WORDS.findall(sentence)
    words[rng.randrange(len(words))] = rng.choice(["the", "however", "2019", "officials"])
    return " ".join(words)


class Tally:
    def __init__(self) -> None:
        self.cases = 0
        self.windows = 0  # located in the stand-in (``_windowed_evidence`` gave evidence)
        self.quick = 0  # verbatim in windows (``_quick``)
        self.whole = 0  # the one-quote path normalised the whole text
        self.kinds: Counter[str] = Counter()
        self.mismatches: list[tuple[str, str, str, Evidence, Evidence]] = []


@pytest.fixture
def counted_windows() -> Iterator[list[int]]:
    """How often the windowed path gave evidence (it gives ``None`` when it falls back)."""
    with pytest.MonkeyPatch.context() as patch:
        yield count_windows(patch.setattr)


def count_windows(setattr_: Callable[..., None]) -> list[int]:
    taken = [0]
    original = _windows._windowed_evidence

    def counting(*args: Any, **kwargs: Any) -> Evidence | None:
        found = original(*args, **kwargs)
        taken[0] += found is not None
        return found

    setattr_(_windows, "_windowed_evidence", counting)
    return taken


def run(
    pages: list[str],
    cases: int,
    seed: int,
    taken: list[int],
    sizes: tuple[int, int] = (60_000, 2_000_000),
    deadline: float = float("inf"),
    log: Callable[[str], None] | None = None,
) -> Tally:
    """``cases`` quotes checked both ways on sources of ``sizes`` characters (mostly small:
    the size is drawn log-uniformly)."""
    rng = random.Random(seed)
    tally = Tally()
    page_sentences = [sentences(page) for page in pages]
    usable = [i for i, found in enumerate(page_sentences) if len(found) >= 2]
    while tally.cases < cases and time.monotonic() < deadline:
        size = int(sizes[0] * (sizes[1] / sizes[0]) ** (rng.random() ** 2))
        # sentences put in again: repeated passages and near-duplicates
        home = rng.choice(usable)
        picked = rng.sample(page_sentences[home], min(4, len(page_sentences[home])))
        inserts = []
        if rng.random() < 0.3:
            inserts += [picked[0]] * rng.randint(1, 3)
        if rng.random() < 0.3:
            inserts += [near_duplicate(picked[0], rng) for _ in range(rng.randint(1, 3))]
        decomposed = rng.random() < 0.15  # accented letters as a letter and a combining mark
        inserts.append(unicodedata.normalize("NFD", pages[home]) if decomposed else pages[home])
        source, left_out = make_source(pages, size, rng, inserts)
        foreign_sentences = page_sentences[left_out] or ["The ferries to Bornholm resume."]
        whole = SourceIndex(source)
        _ = whole.normalized
        for _ in range(rng.randint(3, 10)):
            sentence = rng.choice(picked)
            other = rng.choice(page_sentences[rng.choice(usable)])
            quote, kind = derive(sentence, other, rng.choice(foreign_sentences), rng)
            if not any(char.isalnum() for char in quote):
                continue
            fresh = SourceIndex(source)
            before = taken[0]
            evidence = match_quote(quote, source, index=fresh)
            tally.cases += 1
            kind += " (decomposed source)" if decomposed else ""
            tally.kinds[kind] += 1
            if fresh.has_normalized:
                tally.whole += 1
            elif taken[0] > before:
                tally.windows += 1
            else:
                tally.quick += 1
            expected = match_quote(quote, source, index=whole)
            if evidence != expected:
                tally.mismatches.append((kind, quote, source, evidence, expected))
                if log:
                    log(f"MISMATCH {kind} size={len(source)} quote={quote!r}")
    return tally


@pytest.mark.slow
def test_windowed_evidence_equals_the_whole_text_path_on_real_pages(
    corpus_dir: Path, counted_windows: list[int]
) -> None:
    pages = load_pages(corpus_dir)
    tally = run(pages, cases=300, seed=17, taken=counted_windows, sizes=(60_000, 400_000))
    assert tally.windows > tally.cases // 10, "the windows were hardly taken"
    assert not tally.mismatches, [(kind, quote) for kind, quote, *_ in tally.mismatches]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--max-size", type=int, default=2_000_000)
    parser.add_argument("--dump", type=Path, help="write mismatches here (JSON lines)")
    args = parser.parse_args(argv)
    corpus = Path(
        os.environ.get("CLAIMCHECK_CORPUS")
        or Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    )
    if not (corpus / "news-html").is_dir():
        parser.error(f"no corpus at {corpus} (set CLAIMCHECK_CORPUS)")
    pages = load_pages(corpus)
    with pytest.MonkeyPatch.context() as patch:
        taken = count_windows(patch.setattr)
        tally = run(
            pages,
            args.cases,
            args.seed,
            taken,
            sizes=(60_000, args.max_size),
            deadline=time.monotonic() + 60 * args.minutes,
            log=lambda line: print(line, flush=True),
        )
    print(
        f"cases {tally.cases}: windows {tally.windows}, verbatim in windows {tally.quick}, "
        f"whole text {tally.whole}; mismatches {len(tally.mismatches)}"
    )
    print("kinds", dict(tally.kinds))
    if args.dump:
        with args.dump.open("w") as out:
            for kind, quote, source, got, expected in tally.mismatches:
                record = {"kind": kind, "quote": quote, "source": source}
                record |= {"got": repr(got), "expected": repr(expected)}
                out.write(json.dumps(record) + "\n")
    return 1 if tally.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

"""A source's matching index takes a bounded multiple of its text (issue 17: a 1 MB page took
some 36 times its size kept and 47 times at its peak; a check keeps several)."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections.abc import Callable

from claimcheck.matching import SourceIndex


def _prose(size: int) -> str:
    rng = random.Random(17)
    vocabulary = ["".join(rng.choices("etaoinshrdlu", k=rng.randint(2, 9))) for _ in range(5000)]
    sentences = []
    length = 0
    while length < size:
        words = rng.choices(vocabulary, k=rng.randint(8, 24))
        sentence = " ".join(words).capitalize() + f", {rng.randint(2, 99_999):,} people."
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)


def test_an_index_peaks_and_stays_within_a_bounded_multiple_of_its_text() -> None:
    text = _prose(300_000)
    gc.collect()
    tracemalloc.start()
    try:
        index = SourceIndex(text)
        assert index.normalized.index  # the token index too, which fuzzy location builds
        assert index.sentence_count > 0
        assert index.sentences_with("people")
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Before: 43x kept and at the peak; then 18x (mem), 10.6x kept and 15.4x at the peak
    # (mem2); now about 7.5x kept and 9.5x at the peak (mem3).
    assert kept < 12 * len(text), kept / len(text)
    assert peak < 14 * len(text), peak / len(text)


def test_an_index_restored_from_its_state_matches_the_one_made() -> None:
    text = _prose(20_000)
    made = SourceIndex(text)
    _ = made.normalized, made.sentence_count
    restored = SourceIndex.from_state(text, made.state())
    assert restored.state() == made.state()
    assert restored.normalized.tokens == made.normalized.tokens
    assert list(restored.normalized.token_starts) == list(made.normalized.token_starts)


def test_a_sentence_split_alone_stays_within_a_bounded_multiple_of_its_text() -> None:
    # What figures and dates need (no normalised text): the sentence bounds and word index,
    # packed in arrays. Before: lists of ints, a dict of lists, and the sentences of a word
    # asked after as a set of ints, 7.1x beside the text kept; now about 0.6x (peak 5.8x).
    text = _prose(300_000)
    gc.collect()
    tracemalloc.start()
    try:
        index = SourceIndex(text)
        assert index.sentence_count > 0
        assert index.near_sentences(["people"])  # in every sentence
        assert index.near_sentences(["people", "eat"]) is not None
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not index.has_normalized
    assert kept < 1.5 * len(text), kept / len(text)
    assert peak < 8 * len(text), peak / len(text)


def _kept_and_peak(make: Callable[[], object], size: int) -> tuple[float, float]:
    gc.collect()
    tracemalloc.start()
    try:
        made = make()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del made
    return kept / size, peak / size


def test_a_sentence_split_peaks_within_a_small_multiple_of_its_text() -> None:
    # issue 17 (mem3): a string and an int object a word, a sentence number a posting, and
    # lists of ints for the counting sort, all at once: 5.8x at the peak; now about 3x.
    text = _prose(300_000)

    def split() -> SourceIndex:
        index = SourceIndex(text)
        assert index.sentence_count > 0
        return index

    _, peak = _kept_and_peak(split, len(text))
    assert peak < 4, peak


def test_a_normalised_text_keeps_no_string_a_token() -> None:
    # issue 17 (mem3): a list of token strings and 8-byte offsets kept 5.2x the text (peak
    # 6.0x); now the canonical text and 4-byte token starts, about 1.7x (peak about 3x).
    text = _prose(300_000)

    def normalised() -> SourceIndex:
        index = SourceIndex(text)
        assert index.normalized.tokens[1]
        return index

    kept, peak = _kept_and_peak(normalised, len(text))
    assert kept < 2.5, kept
    assert peak < 4, peak

"""Reading a plain text costs little more memory than the text (issue 17: 10x its size)."""

from __future__ import annotations

import gc
import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.documents import _text, extract_text


def test_spaces_are_every_character_python_splits_at() -> None:
    assert set(_text.SPACES) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@given(st.text())
def test_the_garbage_share_counts_visible_characters_as_splitting_did(text: str) -> None:
    visible = sum(map(len, text.split()))
    garbage = len(_text._GARBAGE.findall(text))
    assert _text.garbage_share(text) == (garbage / visible if visible else 0.0)


def test_extracting_a_plain_text_peaks_at_a_few_times_its_size() -> None:
    data = ("Some words, and more words. " * 40_000).encode()
    gc.collect()
    tracemalloc.start()
    try:
        extract_text(data, "text/plain")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(data), peak / len(data)

""":class:`Anchors` takes time linear in the statement for many texts that are not in it word
for word but whose words all are (claims retyped: a straight apostrophe for a curly one).

Never a wall-clock bound: a case and one four times its size, and the larger must take less than
eight times as long (linear time takes about four times; each search scanned from its rarest
word's place to the statement's end before, sixteen times as long and more). Processor time,
the best of three runs, the garbage collector waiting."""

from __future__ import annotations

import gc
import math
import time

from claimcheck.documents import Anchors

_FACTOR = 4
_BOUND = 8


def _word(number: int) -> str:
    """A word of letters only, one for each number."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if not number:
            return "w" + letters


def _search_all(size: int) -> float:
    filler = " --" * 100  # no words to index, a long way to scan
    statement = "".join(f"Entry {_word(n)} don’t stop{filler}.\n" for n in range(size))
    # Each retyped (a straight apostrophe): never in the statement, each of its words is.
    texts = [f"{_word(n)} don't stop" for n in range(size)]
    began = time.process_time()
    anchors = Anchors(statement)
    assert all(anchors.first(text) is None for text in texts)
    return time.process_time() - began


def test_texts_not_in_the_statement_are_not_searched_for_to_its_end() -> None:
    best = [math.inf, math.inf]
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            for index, size in enumerate((1_000, 1_000 * _FACTOR)):
                best[index] = min(best[index], _search_all(size))
    finally:
        gc.enable()
    small, large = best
    assert large / max(small, 1e-4) < _BOUND, (small, large)

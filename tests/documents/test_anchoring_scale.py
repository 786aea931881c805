""":class:`Anchors` takes time linear in the statement for many texts that are not in it word
for word but whose words all are (claims retyped: a straight apostrophe for a curly one).

Never a wall-clock bound: a case and one four times its size, and the larger must take less than
eight times as long (linear time takes about four times; each search scanned from its rarest
word's place to the statement's end before, sixteen times as long and more). Processor time,
the best of three runs, the garbage collector waiting."""

from __future__ import annotations

from claimcheck.documents import Anchors
from support import best_cpu_seconds, numbered_word

_FACTOR = 4
_BOUND = 8


def _search_all(size: int) -> None:
    filler = " --" * 100  # no words to index, a long way to scan
    statement = "".join(f"Entry {numbered_word(n)} don’t stop{filler}.\n" for n in range(size))
    # Each retyped (a straight apostrophe): never in the statement, each of its words is.
    texts = [f"{numbered_word(n)} don't stop" for n in range(size)]
    anchors = Anchors(statement)
    assert all(anchors.first(text) is None for text in texts)


def test_texts_not_in_the_statement_are_not_searched_for_to_its_end() -> None:
    small, large = best_cpu_seconds(
        [lambda: _search_all(1_000), lambda: _search_all(1_000 * _FACTOR)]
    )
    assert large / max(small, 1e-4) < _BOUND, (small, large)

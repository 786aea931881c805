"""Regressions found reviewing the windowed one-quote path (issue 17, helper rev2): inputs where
the windows (``matching/_windows.py``) and the whole-text path disagreed, each reduced to a few
lines. The whole-text path's evidence is the definition."""

from __future__ import annotations

from claimcheck import Evidence
from claimcheck.matching import SourceIndex, match_quote

PASSAGE = (
    "Broussard told the Jenkins inquiry that 189 families had returned from the Syria camps "
    "after the review of their permits."
)


def both_paths(quote: str, source: str) -> tuple[Evidence, Evidence, bool]:
    """The one-quote path's evidence, the whole-text path's, and whether the first normalised
    the whole text."""
    fresh = SourceIndex(source)
    first = match_quote(quote, source, index=fresh)
    whole = SourceIndex(source)
    _ = whole.normalized
    return first, match_quote(quote, source, index=whole), fresh.has_normalized


def test_a_stitched_tail_whose_common_words_are_not_in_the_windows_does_not_crash() -> None:
    # The quote's tail is looked for on its own (a stitched quote?): its seeds are two words
    # the source lacks and two common words counted at their lower bound, which are nowhere
    # near the passage, so not in the stand-in. The tail's seed voting asked the stand-in for
    # their places: none, though counted, and the voting fell over (IndexError).
    far = "The council met again on Tuesday and the minister spoke about the budget for schools. "
    near = "Officials said that the plan would be reviewed by the court in the coming weeks. "
    source = far * 300 + near * 20 + PASSAGE + " " + near * 20 + far * 300
    quote = PASSAGE.rstrip(".") + " when the council budget zorblat quixotic"
    first, whole, _ = both_paths(quote, source)
    assert first == whole

"""A quote that silently leaves out words next to its first or last word (issue 16 walkthrough).

The located passage must reach the quote's edge word where the source has it, a few words on,
so the difference is named as the words left out ('the statement leaves out …'), not as the
quote's edge word put in place of the source's next word. The status (drifted) was right
already; the reason and the explanation were wrong.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import Reason, Status
from claimcheck.matching import match_quote
from claimcheck.model import DiffKind

MINISTER = 'The minister said: "We will never send anyone back to a place of danger."'
OFFICIALS = (
    "Officials in the northern province said the flooded roads would reopen within a fortnight."
)


def _omission(quote: str, source: str) -> tuple[str, str]:
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED, evidence
    assert evidence.reason is Reason.SILENT_OMISSION, evidence
    return evidence.explanation, evidence.passage or ""


def test_words_left_out_before_the_last_word() -> None:
    explanation, passage = _omission("we will never send anyone back to danger", MINISTER)
    assert explanation == "the statement leaves out 'a place of'"
    assert passage == "We will never send anyone back to a place of danger"


def test_words_left_out_before_the_last_word_of_a_quote_that_starts_later() -> None:
    explanation, passage = _omission("never send anyone back to danger", MINISTER)
    assert explanation == "the statement leaves out 'a place of'"
    assert passage == "never send anyone back to a place of danger"


def test_one_word_left_out_before_the_last_word() -> None:
    source = "The committee approved the new budget for the coming year."
    explanation, passage = _omission("The committee approved the new budget for the year", source)
    assert explanation == "the statement leaves out 'coming'"
    assert passage.endswith("coming year")


def test_words_left_out_after_the_first_word() -> None:
    quote = "Officials said the flooded roads would reopen within a fortnight"
    explanation, passage = _omission(quote, OFFICIALS)
    assert explanation == "the statement leaves out 'in the northern province'"
    assert passage.startswith("Officials in the northern province said")


def test_one_word_left_out_after_the_first_word() -> None:
    source = "Residents strongly opposed the plan to close the library."
    explanation, _ = _omission("Residents opposed the plan to close the library", source)
    assert explanation == "the statement leaves out 'strongly'"


def test_an_aside_left_out_after_the_first_word() -> None:
    source = "We will, the minister said, take in every family that reaches the border."
    quote = "We will take in every family that reaches the border"
    explanation, passage = _omission(quote, source)
    assert explanation == "the statement leaves out 'the minister said'"
    assert passage.startswith("We will, the minister said, take")
    quote = "We take in every family that reaches the border"
    explanation, passage = _omission(quote, source)
    assert explanation == "the statement leaves out 'will, the minister said'"
    assert passage.startswith("We will, the minister said, take")


def test_words_left_out_before_the_last_word_of_a_long_quote() -> None:
    source = (
        "After three days of talks, the delegates agreed that the harbour would be dredged,"
        " that the old customs house would become a museum, and that the fishing fleet would"
        " keep its berths along the northern quay for another decade."
    )
    quote = (
        "the delegates agreed that the harbour would be dredged, that the old customs house"
        " would become a museum, and that the fishing fleet would keep its berths along the"
        " decade"
    )
    explanation, passage = _omission(quote, source)
    assert explanation == "the statement leaves out 'northern quay for another'"
    assert passage.endswith("northern quay for another decade")


def test_a_changed_word_elsewhere_is_still_named() -> None:
    """Words left out before the last word and a word changed elsewhere: two differences."""
    evidence = match_quote("we will never send anybody back to danger", MINISTER)
    assert evidence.status is Status.DRIFTED
    material = [(d.kind, d.claim_words, d.source_words) for d in evidence.material_differences]
    assert material == [
        (DiffKind.WORDING, "anybody", "anyone"),
        (DiffKind.OMISSION, "", "a place of"),
    ]
    assert evidence.passage == "We will never send anyone back to a place of danger"
    # the explanation gives the most serious difference (see _classify); both are listed
    assert evidence.reason is Reason.SILENT_OMISSION
    assert evidence.explanation == "the statement leaves out 'a place of'"


def test_the_whole_passage_quoted_still_verifies() -> None:
    evidence = match_quote("we will never send anyone back to a place of danger", MINISTER)
    assert evidence.status is Status.VERIFIED


def test_a_stitched_quote_whose_first_word_stands_nearby_stays_stitched() -> None:
    """The first passage's words are found at the source's end; "in" also stands two words
    before the second passage ("still in awe of the beauty"). Running the second passage back to
    that "in" would match one word of the eight the quote adds there: a stitch, not an omission
    (from the news corpus of the accuracy benchmark, case 0e014df6-q-stitched-2)."""
    source = (
        "When you live in a state as beautiful as Colorado it’s impossible to stay inside. We"
        " moved here two years ago and we’re still in awe of the beauty and take advantage of it"
        " every chance we can get. When you think of Colorado you probably think of the"
        " mountains, but one thing that most people don’t realize is that it’s quite arid.\n\n"
        "Our hiking survival kit is really very simple.\n\nIn the time we’ve lived here and all"
    )
    quote = (
        "In the time we’ve lived here and all of the times we’ve the beauty and take advantage"
        " of it every chance we can get."
    )
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED
    assert evidence.reason is Reason.STITCHED_QUOTE, evidence


PLAIN_WORDS = (
    "council harbour museum delegates fishing fleet berths quay decade minister family border"
    " library residents plan budget committee roads province officials fortnight river bridge"
    " market square garden station tower village school teachers parents children doctors"
    " hospital farmers orchard winter summer evening morning lanterns"
).split()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(PLAIN_WORDS), min_size=8, max_size=24, unique=True),
    st.data(),
)
def test_any_run_of_interior_words_left_out_is_named(words: list[str], data: st.DataObject) -> None:
    """A quote made by deleting 1–3 words of a source sentence of distinct words, never its
    first or last word, is a silent omission that names exactly the deleted words, wherever
    they stood (right after the first word, right before the last, or between)."""
    size = data.draw(st.integers(1, 3))
    at = data.draw(st.integers(1, len(words) - 1 - size))
    source = " ".join(words).capitalize() + "."
    quote = " ".join(words[:at] + words[at + size :])
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED, (quote, evidence)
    assert evidence.reason is Reason.SILENT_OMISSION, (quote, evidence)
    assert evidence.explanation == f"the statement leaves out '{' '.join(words[at : at + size])}'"

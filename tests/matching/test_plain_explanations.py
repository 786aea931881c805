"""Every drift explanation is one plain sentence about words (issue 15, "Explanations a
journalist can read"): never raw fragments with line breaks and stray quotation marks, never
two equal strings named as a difference. A sentence the statement adds is said as a sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import Status
from claimcheck.matching import match_quote

MAYOR = (
    'Speaking to reporters on Monday, the mayor was blunt. "Our city will not accept this kind'
    ' of behaviour from anyone," he said.\n\n"If you come here to cause trouble, you will be'
    ' arrested and you will be charged."'
)
ADDED = (
    "Our city will not accept this kind of behaviour from anyone. I advise you not to come back,"
    " ever. If you come here to cause trouble, you will be arrested and you will be charged."
)


def plain(explanation: str) -> bool:
    return "\n" not in explanation and "\\n" not in explanation and '"' not in explanation


def test_a_sentence_the_statement_adds_is_said_as_a_sentence() -> None:
    evidence = match_quote(ADDED, MAYOR)
    assert evidence.status is Status.DRIFTED
    assert evidence.explanation == (
        "the statement adds a sentence the source does not have: "
        "'I advise you not to come back, ever.'"
    )


def test_a_sentence_the_statement_leaves_out_is_said_as_a_sentence() -> None:
    source = (
        "The council met on Tuesday. It voted to close the old library for good. The vote was"
        " unanimous. Residents were told the building would be sold next spring."
    )
    quote = (
        "It voted to close the old library for good. Residents were told the building would be"
        " sold next spring."
    )
    evidence = match_quote(quote, source)
    assert evidence.status is Status.DRIFTED
    assert "leaves out a sentence of the source: 'The vote was unanimous.'" in (
        evidence.explanation
    )


def test_changed_words_are_named_without_stray_punctuation() -> None:
    source = 'He said: "the plan, as drafted, was a good one," and left the room at once.'
    quote = "He said: the plan, as drafted, was a bad one, and left the room at once."
    evidence = match_quote(quote, source)
    assert evidence.explanation == "the source says 'good' where the statement says 'bad'"


WORDS = st.sampled_from(
    "the council voted to close old library for good and residents were told building would"
    " be sold next spring not never 189 198 May June".split()
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS, min_size=8, max_size=20),
    st.integers(min_value=0, max_value=19),
    WORDS,
    st.sampled_from([". ", ", ", '," he said. "', "\n\n"]),
)
def test_no_explanation_names_equal_strings_or_raw_fragments(
    words: list[str], at: int, replacement: str, joint: str
) -> None:
    source = " ".join(words[: len(words) // 2]) + joint + " ".join(words[len(words) // 2 :])
    edited = list(words)
    edited[at % len(words)] = replacement
    evidence = match_quote(" ".join(edited), source)
    if evidence.status is not Status.DRIFTED:
        return
    assert plain(evidence.explanation), evidence.explanation
    said = evidence.explanation.split("'")
    if "where the statement says" in evidence.explanation and len(said) == 5:
        assert said[1] != said[3], evidence.explanation

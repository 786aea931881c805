"""A normalised text's state (what the text cache stores) packs its offsets (issue 17: a list
of numbers made an int object of each token's offset, writing and reading)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.language import NormalizedText, normalize


@given(st.text())
def test_a_state_restores_the_same_normalised_text(text: str) -> None:
    made = normalize(text)
    restored = NormalizedText.from_state(text, json.loads(json.dumps(made.state())))
    assert restored.text == made.text
    assert restored.tokens == made.tokens
    assert restored.token_spans() == made.token_spans()
    assert restored.state() == made.state()


def test_the_offsets_are_one_packed_string() -> None:
    state = normalize("one two, three").state()
    assert len(state["pre_starts"]) == 1
    assert isinstance(state["pre_starts"][0], str)


@pytest.mark.parametrize("packed", [[0, 4, 7, 9], ["not base64!"], ["AAAA"], [""], [None]])
def test_damaged_offsets_are_refused(packed: list[object]) -> None:
    state = normalize("one two, three").state()
    state["pre_starts"] = packed
    with pytest.raises((TypeError, ValueError)):
        NormalizedText.from_state("one two, three", state)

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


def test_the_state_keeps_no_number_a_token() -> None:
    # issue 17: the folded starts, packed, took 1.3 times a 1 MB text on disk and twice that
    # while read; they are worked out again by chunk instead, and the chunks are few
    text = "one two, three " * 20_000
    state = normalize(text).state()
    assert set(state) == {"text", "chunks", "segments"}
    assert len(state["chunks"]) <= len(text) // 2**14 + 1
    restored = NormalizedText.from_state(text, json.loads(json.dumps(state)))
    assert restored.token_spans() == normalize(text).token_spans()


_SOUND = [[0, 4, 0, 0], [4, 14, 4, 1]]


def _state(chunks: object) -> dict[str, list[object]]:
    state = normalize("one two, three").state()
    state["chunks"] = chunks  # type: ignore[assignment]
    return state


@pytest.mark.parametrize(
    "chunks",
    [
        None,
        [],
        [[0, 14, 0]],
        [[0, 14, 0, "0"]],
        [[0, 14, 0, 0.0]],
        [[0, 14, 0, True]],
        [[1, 14, 0, 0]],  # not from the start
        [[0, 13, 0, 0]],  # not to the end
        [[0, 4, 0, 0], [5, 14, 4, 1]],  # a gap
        [[0, 4, 5, 0], [4, 14, 4, 1]],  # folded starts going back
        [[0, 4, 0, 2], [4, 14, 4, 1]],  # first tokens going back
        [[0, 4, 0, 0], [4, 14, 4, 9]],  # past the last token
        [[0, 9, 0, 0], [9, 4, 4, 1], [4, 14, 4, 1]],  # a chunk ending before it starts
    ],
)
def test_damaged_chunks_are_refused(chunks: object) -> None:
    assert NormalizedText.from_state("one two, three", _state(_SOUND)).tokens == [
        "one",
        "two",
        ",",
        "three",
    ]
    with pytest.raises((TypeError, ValueError)):
        NormalizedText.from_state("one two, three", _state(chunks))


@pytest.mark.parametrize("text", [[" one"], ["one "], ["one  two"], [1], ["a", "b"]])
def test_a_damaged_text_is_refused(text: list[object]) -> None:
    state = normalize("one two, three").state()
    state["text"] = text
    with pytest.raises((TypeError, ValueError)):
        NormalizedText.from_state("one two, three", state)


def test_a_state_of_the_earlier_format_is_refused() -> None:
    # issue 17 (mem2): the folded starts were kept, packed in base64, and no chunks
    earlier = {
        "text": ["one two , three"],
        "pre_starts": ["AAAAAAAAAAAEAAAAAAAAAAcAAAAAAAAACQAAAAAAAAA="],
        "segments": [[0], [0], [14], [1]],
    }
    with pytest.raises(KeyError):
        NormalizedText.from_state("one two, three", earlier)

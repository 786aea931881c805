"""A normalised text's state (what the text cache stores) packs its offsets (issue 17: a list
of numbers made an int object of each token's offset, writing and reading)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.language import NormalizedText, normalize
from claimcheck.language import _normalize as module
from support import chunks_of, stored_state


@given(st.text())
def test_a_state_restores_the_same_normalised_text(text: str) -> None:
    made = normalize(text)
    restored = NormalizedText.from_state(text, stored_state(made.state()))
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
    restored = NormalizedText.from_state(text, stored_state(state))
    assert restored.token_spans() == normalize(text).token_spans()


_SOUND = [[0, 4, 0, 0], [4, 14, 4, 1]]


def _state(chunks: object) -> dict[str, list[object]]:
    state = normalize("one two, three").state()
    del state["gaps"]  # of one chunk: see the gaps' own tests
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


_SPACES = st.sampled_from([" ", "  ", "\n", "\t", " " * 300, "\u00a0", "\u200b"])
_PIECES = st.sampled_from(["word", "Don't", "10,000", "km²", "“q”", "—", "e\u0301", "ﬁ", "½", "."])


@given(
    st.lists(st.one_of(_PIECES, _SPACES, st.text(max_size=3)), max_size=60),
    st.sampled_from([8, 40, 1 << 14]),
    st.booleans(),
)
def test_a_restored_text_maps_every_span_back_as_the_one_just_made(
    pieces: list[str], chunk: int, keep_gaps: bool
) -> None:
    # issue 17: restored from the text cache, each span maps back exactly as from the text
    # just normalised, whether its gaps were kept (a whitespace run longer than a byte holds
    # leaves its chunk without them) or the chunk is folded again
    text = "".join(pieces)
    with chunks_of(chunk):
        made = normalize(text, keep_gaps=keep_gaps)
        restored = NormalizedText.from_state(text, stored_state(made.state()))
        assert restored.state() == made.state()
        length = len(made.text)
        for start in range(length + 1):
            for end in {start, start + 1, start + 4, length}:
                assert restored.to_original(start, end) == made.to_original(start, end)
        for first in range(len(made.tokens) + 1):
            stop = min(len(made.tokens), first + 2)
            assert restored.token_span_to_original(first, stop) == made.token_span_to_original(
                first, stop
            )
        assert restored.token_spans() == made.token_spans()
        assert restored.state() == made.state()  # the same whatever was asked of it


@pytest.mark.parametrize(
    ("text", "keep_gaps"),
    [
        ("The “safe” zones—10,000 km² of them… " * 20, False),  # one chunk: always its gaps
        ("The “safe” zones—10,000 km² of them… " * 2_000, True),  # normalised for several
    ],
)
def test_a_restored_text_maps_spans_back_without_folding_again(
    monkeypatch: pytest.MonkeyPatch, text: str, keep_gaps: bool
) -> None:
    # issue 17: without its gaps, a restored text folded each chunk again to map the first
    # span in it back: a fifth of a check's second run
    made = normalize(text, keep_gaps=keep_gaps)
    firsts = range(0, len(made.tokens) - 3, 7)
    expected = [made.token_span_to_original(first, first + 3) for first in firsts]
    state = stored_state(made.state())
    folded: list[int] = []
    fold = module._fold_chunk
    monkeypatch.setattr(module, "_fold_chunk", lambda *args: folded.append(1) or fold(*args))
    restored = NormalizedText.from_state(text, state)
    spans = [restored.token_span_to_original(first, first + 3) for first in firsts]
    assert spans == expected
    assert restored.token_spans() == made.token_spans()
    assert folded == []
    # without its gaps (an entry of format 3), the chunks were folded again
    del state["gaps"]
    restored = NormalizedText.from_state(text, state)
    assert [restored.token_span_to_original(f, f + 3) for f in firsts] == expected
    assert folded


def test_a_long_text_normalised_for_one_quote_keeps_no_gaps() -> None:
    # what the state holds depends on how the text was made, never on what was asked of it
    # (`snapshot verify` makes it again and compares)
    text = "one two, three " * 2_000
    made = normalize(text)
    assert "gaps" not in made.state()
    made.token_span_to_original(5, 9)
    assert "gaps" not in made.state()
    assert len(normalize(text, keep_gaps=True).state()["gaps"][1]) == len(made.tokens)


def _with_gaps(gaps: object) -> dict[str, list[object]]:
    state = stored_state(normalize("one two, three").state())
    state["gaps"] = gaps  # type: ignore[assignment]
    return state


@pytest.mark.parametrize(
    "gaps",
    [
        [[0]],
        [[0], "\x00\x01\x01\x01"],
        [0, b"\x00\x01\x01\x01"],
        [["0"], b"\x00\x01\x01\x01"],
        [[1], b"\x00\x01\x01\x01"],  # no such chunk
        [[0, 0], b"\x00\x01\x01\x01"],  # twice
        [[-1], b"\x00\x01\x01\x01"],
        [[0], b"\x00\x01\x01"],  # a token without
        [[0], b"\x00\x01\x01\x01\x01"],  # a byte too many
    ],
)
def test_damaged_gaps_are_refused(gaps: object) -> None:
    assert NormalizedText.from_state("one two, three", _with_gaps([[0], b"\x00\x01\x00\x01"]))
    with pytest.raises((TypeError, ValueError)):
        NormalizedText.from_state("one two, three", _with_gaps(gaps))


def test_gaps_beyond_their_chunk_are_refused() -> None:
    text = "one two, three " * 2_000
    state = stored_state(normalize(text, keep_gaps=True).state())
    chunks, gaps = state["gaps"]
    assert len(chunks) > 1
    state["gaps"] = [chunks, b"\xff" + gaps[1:]]
    with pytest.raises(ValueError, match="within"):
        NormalizedText.from_state(text, state)

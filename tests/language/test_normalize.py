"""Tests for the normaliser: the canonical form and its offset map."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from claimcheck.language import normalize


@pytest.mark.parametrize(
    ("original", "canonical"),
    [
        ("The “safe” zones", 'the " safe " zones'),
        ("Don’t", "don't"),
        ("«guillemets»", '" guillemets "'),
        ("1990–2000 — a dash − minus", "1990 - 2000 - a dash - minus"),
        ("co\u00adoperate", "cooperate"),  # soft hyphen
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("manip\x02ulation and manip\ufffeulation", "manipulation and manipulation"),
        ("كـتاب", "كتاب"),  # tatweel
        ("١٨٩ Syrians and ۱۸۹", "189 syrians and 189"),
        ("١٠٠٬٠٠٠", "100,000"),
        ("ＦＵＬＬ１８９", "full189"),
        ("ﬁnal", "final"),
        ("STRASSE Straße", "strasse strasse"),
        ("a\u00a0b\u202fc\u2009d", "a b c d"),
        ("word , next ( x )", "word , next ( x )"),
        ("word, next (x)", "word , next ( x )"),
        ("100,000 and 3.5 and 15, 2021", "100,000 and 3.5 and 15 , 2021"),
        ("It’s Syria's", "it's syria's"),
        ("wait…", "wait . . ."),
        ("e\u0301te\u0301", "été"),
    ],
)
def test_canonical_form(original: str, canonical: str) -> None:
    assert normalize(original).text == canonical


def test_superscripts_do_not_merge_into_numbers() -> None:
    # NFKC alone would turn 10² into 102.
    assert normalize("10²").text != normalize("102").text
    assert normalize("10² m").tokens == ["10", "^2", "m"]
    assert normalize("conflict.¹").tokens == ["conflict", ".", "^1"]
    assert normalize("10²³").tokens == ["10", "^23"]


def test_vulgar_fractions_stay_apart_from_digits() -> None:
    # NFKC alone would turn 2½ into 21⁄2.
    assert normalize("2½").tokens == ["2", "1", "/", "2"]


def test_spans_map_back_to_the_original() -> None:
    original = "Der “Straße” ﬁle: ١٨٩ Syrians — don’t"
    normalized = normalize(original)
    pieces = [
        original[slice(*normalized.token_span_to_original(i, i + 1))]
        for i in range(len(normalized.tokens))
    ]
    assert pieces == ["Der", "“", "Straße", "”", "ﬁle", ":", "١٨٩", "Syrians", "—", "don’t"]


def test_empty_and_blank() -> None:
    assert normalize("").text == ""
    assert normalize(" \n\t ").tokens == []
    assert normalize("").to_original(0, 0) == (0, 0)


def test_index_lists_token_positions() -> None:
    normalized = normalize("a b a c")
    # arrays of machine integers (issue 17: a list of ints takes some 36 bytes an entry)
    assert {token: list(at) for token, at in normalized.index.items()} == {
        "a": [0, 2],
        "b": [1],
        "c": [3],
    }


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@given(st.text())
def test_tokens_are_the_canonical_text_split_on_spaces(text: str) -> None:
    normalized = normalize(text)
    assert normalized.text == " ".join(normalized.tokens)
    assert all(token and " " not in token for token in normalized.tokens)
    assert len(normalized.token_starts) == len(normalized.tokens)


@given(st.text())
@example("\u00bc\u1712")  # found by hypothesis: "1", "/", "4" from one cluster
def test_spans_stay_inside_the_original_and_in_order(text: str) -> None:
    normalized = normalize(text)
    previous_end = 0
    previous_span = (-1, -1)
    for position in range(len(normalized.tokens)):
        span = start, end = normalized.token_span_to_original(position, position + 1)
        assert 0 <= start <= end <= len(text)
        # Tokens expanded from one original cluster ("¼" with a combining mark: "1", "/",
        # "4") all map to that cluster, which cannot be split.
        assert (
            start >= previous_end
            or start == end
            or previous_end - start <= 1
            or span == previous_span
        )
        previous_end = max(previous_end, end)
        previous_span = span


_READABLE = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?()-'\"\n")
        + list("“”‘’«»–—\u00a0\u00adéøæåßçñ١٨٩ﬁ…")
    ),
    max_size=200,
)


@given(_READABLE)
def test_each_token_maps_to_text_that_normalises_to_it(text: str) -> None:
    normalized = normalize(text)
    for position, token in enumerate(normalized.tokens):
        start, end = normalized.token_span_to_original(position, position + 1)
        assert token in normalize(text[start:end]).text.replace(" ", "") or token.startswith(
            ("^", "1", "/", "2")
        )

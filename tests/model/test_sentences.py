"""The one rule for a URL or a server's words inside a sentence (``model.in_sentence``): shown as
written when its brackets pair up, else with its brackets percent-encoded, so that the
sentence's own brackets still pair up."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.model import in_sentence
from support import balanced


@pytest.mark.parametrize(
    "text",
    [
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "http://[::1]:8080/page",
        "https://example.org/a?list[0]=(x)",
        "Not Found",
        "",
    ],
)
def test_text_whose_brackets_pair_is_shown_as_written(text: str) -> None:
    assert in_sentence(text) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://example.org/a(b", "https://example.org/a%28b"),
        ("https://example.org/a)b(", "https://example.org/a%29b%28"),
        ("https://example.org/(a]", "https://example.org/%28a%5D"),
        ("Gone (for good", "Gone %28for good"),
    ],
)
def test_text_whose_brackets_do_not_pair_has_them_encoded(text: str, shown: str) -> None:
    assert in_sentence(text) == shown


@given(st.text(alphabet="ab%()[] /"))
def test_any_text_in_a_sentence_keeps_its_brackets_paired(text: str) -> None:
    shown = in_sentence(text)
    assert balanced(shown)
    assert balanced(f"the link is dead ({shown})")
    if "%" not in text:
        assert unquote(shown) == text  # the same characters, for a URL the same address

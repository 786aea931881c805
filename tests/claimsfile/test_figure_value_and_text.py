"""A figure's ``value`` and its ``text`` must agree (issue 15, item 5): ``value = 10`` beside
``text = "10 million people"`` is two readings of one claim, and checking either would be wrong.
The loader refuses it, naming the file, the line, the field and both readings; a value that
agrees with one of the text's figures picks that figure; a text with no number takes its value
from ``value``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import claimcheck
from claimcheck import ClaimsFileError, Status
from claimcheck.errors import InvalidClaimError
from claimcheck.matching import match_figure

SOURCE = '\n[[claim.source]]\nurl = "https://example.org/"\n'


def load_figure(tmp_path: Path, text: str, value: str) -> claimcheck.ClaimSet:
    path = tmp_path / "claims.toml"
    path.write_text(
        f'[[claim]]\nid = "f"\nkind = "figure"\ntext = "{text}"\nvalue = {value}\n' + SOURCE,
        encoding="utf-8",
    )
    return claimcheck.load(path)


@pytest.mark.parametrize(
    ("text", "value", "reading"),
    [
        ("10 million people", "10", "10000000"),
        ("around 189 Syrians", "198", "189"),
        ("2.3bn euros", "2.3", "2300000000"),
        ("45% of the refugees", "0.45", "45"),
    ],
)
def test_a_value_that_contradicts_its_text_is_refused_with_both_readings(
    tmp_path: Path, text: str, value: str, reading: str
) -> None:
    with pytest.raises(ClaimsFileError) as caught:
        load_figure(tmp_path, text, value)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (
        str(tmp_path / "claims.toml"),
        5,
        "claim 'f'.value",
    )
    assert value in problem.message
    assert reading in problem.message


@pytest.mark.parametrize(
    ("text", "value", "source"),
    [
        ("10 million people", "10000000", "The war drove 10 million people from their homes."),
        ("189 of 300 Syrians", "300", "Of the 300 Syrians heard, most stayed."),
        ("In 2021, 94 Syrians", "94", "In 2021, 94 Syrians lost their permits."),
        ("1,200 families", "1200", "The ministry told 1,200 families to leave."),
    ],
)
def test_a_value_that_agrees_picks_its_figure(
    tmp_path: Path, text: str, value: str, source: str
) -> None:
    (claim,) = load_figure(tmp_path, text, value).claims
    assert claim.value == Decimal(value)
    evidence = match_figure(claim.text, source, value=claim.value)
    assert evidence.status is Status.VERIFIED, evidence.explanation


def test_a_text_without_a_number_takes_its_value(tmp_path: Path) -> None:
    (claim,) = load_figure(tmp_path, "most of the refugees", "189").claims
    assert claim.value == Decimal(189)


def test_the_library_refuses_the_contradiction_too() -> None:
    with pytest.raises(InvalidClaimError, match="10 million"):
        match_figure("10 million people", "It counted 10 people.", value=10)


def test_no_explanation_names_two_equal_strings() -> None:
    # Before: "the source says '10 million', the statement says '10 million'", drifted.
    evidence = match_figure(
        "10 million people", "The war drove 10 million people out.", value=10_000_000
    )
    assert evidence.status is Status.VERIFIED

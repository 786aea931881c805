"""Figures of any size end as findings or as :class:`~claimcheck.errors.InvalidClaimError`, never
as a decimal ``Overflow``: a claim's value beyond what any text writes (``1e999999999``, ``nan``,
ten thousand digits) is refused by the one rule for figure values; a source or a claim with a
run of a million digits is read without it (no figure is written that long)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimcheck.errors import InvalidClaimError
from claimcheck.language import MAX_FIGURE_DIGITS, figure_value_problem, find_figures
from claimcheck.matching import match_figure
from claimcheck.model import Status

MILLION = "9" * 1_000_001
CLAIM = "around 189 Syrians"


@pytest.mark.parametrize(
    "value",
    ["1e999999999", "-1e999999999", "1e-999999999", "nan", "-inf", "9" * 10_000, 10**5000],
    ids=["huge", "-huge", "tiny", "nan", "-inf", "10k digits", "10**5000"],
)
def test_values_no_text_writes_are_invalid_claims(value: object) -> None:
    with pytest.raises(InvalidClaimError) as refused:
        match_figure(CLAIM, "It denied around 189 Syrians.", value=value)
    assert len(str(refused.value)) < 200


def test_the_bound_is_a_thousand_powers_of_ten_either_way() -> None:
    assert figure_value_problem(Decimal(f"1e{MAX_FIGURE_DIGITS}")) is None
    assert figure_value_problem(Decimal(f"-1e-{MAX_FIGURE_DIGITS}")) is None
    assert figure_value_problem(Decimal(f"1e{MAX_FIGURE_DIGITS + 1}")) is not None
    assert figure_value_problem(Decimal("NaN")) is not None
    evidence = match_figure(
        "Syrians denied", "It denied around 189 Syrians.", value=f"1e{MAX_FIGURE_DIGITS}"
    )
    assert evidence.status is Status.DRIFTED


def test_a_source_with_a_million_digits() -> None:
    source = f"It denied {MILLION} Syrians, and around 189 Syrians in May, and 1e999999999."
    assert match_figure(CLAIM, source).status is Status.VERIFIED
    assert match_figure("around 190 Syrians", f"It denied {MILLION} Syrians.").status in (
        Status.BROKEN,
        Status.DRIFTED,
    )
    assert [f.value for f in find_figures(f"{MILLION} million, then 5")] == [5]


def test_a_claim_with_a_million_digits_states_no_figure() -> None:
    with pytest.raises(InvalidClaimError):
        match_figure(f"around {MILLION} Syrians", "It denied around 189 Syrians.")

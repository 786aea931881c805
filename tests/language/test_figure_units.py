"""A figure's unit as written: its currency (one sign per currency, before or after it) and the
multiplier of its scale word; what :func:`compare_figures` and :func:`unit_agrees` decide on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimcheck.language import (
    FigureAgreement,
    compare_figures,
    find_figures,
    parse_figure,
    unit_agrees,
)


@pytest.mark.parametrize(
    ("text", "currency", "scale"),
    [
        ("revenue of $2.3bn", "$", Decimal(10) ** 9),
        ("US$ 40 a head", "$", 1),
        ("USD 5 million", "$", Decimal(10) ** 6),
        ("40 euros each", "€", 1),
        ("48 millioner kroner", "kr", Decimal(10) ** 6),
        ("200 kr. om måneden", "kr", 1),
        ("5 € le kilo", "€", 1),
        ("12 Euro pro Monat", "€", 1),
        ("£300 a week", "£", 1),
        ("two million people", None, Decimal(10) ** 6),
        ("two hundred people", None, 1),
        ("100k views", None, 1000),
        ("45% of voters", None, 1),
    ],
)
def test_currency_and_scale(text: str, currency: str | None, scale: int | Decimal) -> None:
    (figure,) = find_figures(text)
    assert (figure.currency, figure.scale) == (currency, scale)


def test_another_currency_is_another_figure() -> None:
    claimed, found = parse_figure("$120"), parse_figure("€120")
    assert claimed is not None
    assert found is not None
    assert compare_figures(claimed, found) is FigureAgreement.DIFFERENT
    plain = parse_figure("120")
    assert plain is not None
    assert compare_figures(claimed, plain) is FigureAgreement.AGREE


@pytest.mark.parametrize(
    ("claim", "found", "agrees"),
    [
        ("12 percent", "8%", True),
        ("12 percent", "11", False),
        ("$40", "$35", True),
        ("$40", "41", False),
        ("$3 billion", "3.2 billion", True),
        ("$3 billion", "3", False),
        ("40", "$35", True),  # a claim without a currency commits to none
        ("$40", "€35", False),
    ],
)
def test_unit_agrees(claim: str, found: str, agrees: bool) -> None:
    claimed, other = parse_figure(claim), parse_figure(found)
    assert claimed is not None
    assert other is not None
    assert unit_agrees(claimed, other) is agrees

"""Figures and dates are matched by value near their context words."""

from __future__ import annotations

import datetime as dt

import pytest

from claimcheck import Claim, InvalidClaimError, Reason, Status
from claimcheck.documents import Text
from claimcheck.matching import match_claim, match_date, match_figure

SOURCE = (
    "Denmark has stripped 189 Syrian refugees of their residence permits, the immigration "
    "service said. Another 500 or so Syrians await a decision. More than 100,000 Syrians have "
    "been detained since 2011, according to monitors. The country was one of twenty-six states "
    "that drafted the Refugee Convention in 1951. In October 2017, general Issam Zahreddine "
    "told refugees not to return. The ministry published its report on 4 March 2021."
)


def figure(
    claim: str, source: str | Text = SOURCE, **options: object
) -> tuple[Status, Reason, str | None]:
    evidence = match_figure(claim, source, **options)  # type: ignore[arg-type]
    return evidence.status, evidence.reason, evidence.found


def date(
    claim: str, source: str | Text = SOURCE, **options: object
) -> tuple[Status, Reason, str | None]:
    evidence = match_date(claim, source, **options)  # type: ignore[arg-type]
    return evidence.status, evidence.reason, evidence.found


class TestFigures:
    def test_verified_near_context(self) -> None:
        status, reason, found = figure("189 Syrians", context="residence permits refugees")
        assert (status, reason) == (Status.VERIFIED, Reason.FIGURE_MATCH)
        assert found == "189"

    def test_context_derived_from_the_claim(self) -> None:
        assert figure("189 Syrian refugees")[:2] == (Status.VERIFIED, Reason.FIGURE_MATCH)

    def test_changed_number_is_drift_and_reports_the_source_value(self) -> None:
        status, reason, found = figure("198 Syrian refugees", context="residence permits")
        assert (status, reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)
        assert found == "189"

    def test_digit_transposition_is_not_within_an_approximate_hedge(self) -> None:
        # "around 198" is a precise-looking figure: 189 does not round to it.
        status, reason, _ = figure("around 198 Syrian refugees", context="residence permits")
        assert status is Status.DRIFTED
        assert reason is Reason.FIGURE_CHANGED

    def test_hedge_sets_the_tolerance(self) -> None:
        assert figure("around 190 Syrian refugees")[0] is Status.VERIFIED
        assert figure("nearly 200 Syrian refugees", context="residence permits")[0] is (
            Status.VERIFIED
        )
        assert figure("more than 150 Syrian refugees", context="residence permits")[0] is (
            Status.VERIFIED
        )
        assert figure("more than 200 Syrian refugees", context="residence permits")[0] is (
            Status.DRIFTED
        )

    def test_dropping_the_sources_hedge_is_drift(self) -> None:
        status, reason, found = figure("100,000 Syrians detained")
        assert (status, reason) == (Status.DRIFTED, Reason.HEDGE_CHANGED)
        assert found is not None
        assert "More than" in found

    def test_other_separator_conventions(self) -> None:
        assert figure("more than 100.000 Syrians detained")[0] is Status.VERIFIED
        assert figure("more than 100 000 Syrians detained")[0] is Status.VERIFIED
        danish = "Mere end 100.000 syrere er blevet tilbageholdt siden 2011."
        assert figure("mere end 100.000 syrere", danish, language="da")[0] is Status.VERIFIED
        assert figure("mere end 100,000 syrere", danish, language="da")[0] is Status.DRIFTED

    def test_number_words_in_the_source(self) -> None:
        assert figure("26 states", context="drafted Refugee Convention")[:2] == (
            Status.VERIFIED,
            Reason.FIGURE_MATCH,
        )
        assert figure("27 states", context="drafted Refugee Convention")[:2] == (
            Status.DRIFTED,
            Reason.FIGURE_CHANGED,
        )

    def test_arabic_indic_digits(self) -> None:
        source = "رفضت الدنمارك طلبات ١٨٩ لاجئا سوريا"
        assert figure("189 لاجئا", source)[0] is Status.VERIFIED

    def test_absent_context_is_not_found(self) -> None:
        assert figure("189 Syrians", context="Norway asylum quota")[:2] == (
            Status.BROKEN,
            Reason.NOT_FOUND,
        )

    def test_value_given_explicitly(self) -> None:
        assert figure("about two hundred refugees", value=189, context="residence permits")[0] is (
            Status.VERIFIED
        )

    def test_claim_without_a_number_is_an_input_error(self) -> None:
        with pytest.raises(InvalidClaimError):
            match_figure("many Syrians", SOURCE)
        with pytest.raises(ValueError, match="not a number"):
            match_figure("many Syrians", SOURCE, value="lots")

    def test_unreadable_source(self) -> None:
        empty = Text("", "application/pdf", unreadable="encrypted")
        assert figure("189 Syrians", empty)[:2] == (Status.BROKEN, Reason.UNREADABLE_SOURCE)


class TestDates:
    def test_month_precision(self) -> None:
        status, reason, found = date("October 2017", context="Zahreddine refugees")
        assert (status, reason) == (Status.VERIFIED, Reason.DATE_MATCH)
        assert found == "October 2017"

    def test_other_month_is_a_mismatch_naming_the_source_date(self) -> None:
        status, reason, found = date("September 2017", context="Zahreddine refugees")
        assert (status, reason) == (Status.DRIFTED, Reason.DATE_MISMATCH)
        assert found == "October 2017"

    def test_reformatted_dates_match(self) -> None:
        assert date("March 4, 2021", context="ministry report")[0] is Status.VERIFIED
        assert date("2021-03-04", context="ministry report")[0] is Status.VERIFIED
        assert date("March 2021", context="ministry report")[0] is Status.VERIFIED
        assert date("March 5, 2021", context="ministry report")[0] is Status.DRIFTED

    def test_source_less_precise_than_the_claim_is_not_verified(self) -> None:
        status, reason, _ = date("October 1951", context="drafted Refugee Convention")
        assert (status, reason) == (Status.DRIFTED, Reason.DATE_MISMATCH)
        assert date("1951", context="drafted Refugee Convention")[0] is Status.VERIFIED

    def test_since(self) -> None:
        assert date("since 2011", context="Syrians detained")[0] is Status.VERIFIED
        assert date("since 2012", context="Syrians detained")[0] is Status.DRIFTED

    def test_relative_claim_dates_resolve_against_the_reference(self) -> None:
        evidence = match_date(
            "this month", SOURCE, context="ministry report", reference=dt.date(2021, 3, 20)
        )
        assert evidence.status is Status.VERIFIED
        evidence = match_date(
            "last month", SOURCE, context="ministry report", reference=dt.date(2021, 3, 20)
        )
        assert evidence.status is Status.DRIFTED

    def test_relative_source_dates_resolve_against_the_source_date(self) -> None:
        source = Text(
            "The general said during the aired interview last month that refugees must not return.",
            "text/html",
            published=dt.date(2017, 10, 20),
        )
        assert match_date("September 2017", source, context="general interview").status is (
            Status.VERIFIED
        )
        assert match_date("October 2017", source, context="general interview").status is (
            Status.DRIFTED
        )

    def test_absent(self) -> None:
        assert date("October 2017", context="Norway asylum quota")[:2] == (
            Status.BROKEN,
            Reason.NOT_FOUND,
        )

    def test_claim_without_a_date_is_an_input_error(self) -> None:
        with pytest.raises(InvalidClaimError):
            match_date("some day", SOURCE)
        with pytest.raises(InvalidClaimError):
            match_date("October", SOURCE, value="2017-13")


def test_match_claim_dispatches_on_kind() -> None:
    quote = Claim("quote", "stripped 189 Syrian refugees of their residence permits")
    assert match_claim(quote, SOURCE).reason is Reason.EXACT
    figure_claim = Claim("figure", "189 Syrians", context="residence permits")
    assert match_claim(figure_claim, SOURCE).reason is Reason.FIGURE_MATCH
    date_claim = Claim("date", "the October 2017 statement", value="2017-10", context="Zahreddine")
    assert match_claim(date_claim, SOURCE).reason is Reason.DATE_MATCH

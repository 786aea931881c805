"""Every reason the matching engine gives is explained in one plain sentence (issue 15: "Test
the explanation of every reason code"): one line, no raw quotation marks or escape sequences
from the page, quoted words in pairs, and never two equal strings named as a difference."""

from __future__ import annotations

import re

import pytest

from claimcheck import Reason
from claimcheck.matching import match_date, match_figure, match_quote

SOURCE = (
    'Speaking on Monday, the minister was clear. "We reviewed 189 residence permits in October'
    ' 2017 and we will not renew them," she said.\n\n"Around 2,000 people are affected."'
)

RALLY = (
    'He praised the crowd. "That\'s really good," he said of the jobs figures. The campaign had'
    ' expected a larger turnout, aides said. Near the end he returned to trade. "We are going to'
    ' bring back the factories, and nobody can stop us," Trump said.'
)
STAFF = "Officials said 40 of the 60 staff and 12 of the 30 offices were moved last week."

CASES = [
    ("quote", "We reviewed 189 residence permits in October 2017", None, Reason.EXACT),
    ("quote", "we reviewed 189 residence permits in october 2017", None, Reason.NORMALISED),
    ("quote", "We reviewed 189 … in October 2017", None, Reason.ELLIPSIS),
    (
        "quote",
        "We reviewed 189 [Syrian] residence permits in October 2017",
        None,
        Reason.EDITORIAL_BRACKETS,
    ),
    ("quote", "We reviewed 198 residence permits in October 2017", None, Reason.FIGURE_CHANGED),
    ("quote", "We reviewed 189 residence permits in November 2017", None, Reason.DATE_MISMATCH),
    ("quote", "and we will renew them", None, Reason.NEGATION),
    ("quote", "About 2,000 people are affected", None, Reason.HEDGE_CHANGED),
    ("quote", "We reviewed 189 permits in October 2017", None, Reason.SILENT_OMISSION),
    ("quote", "We reviewed 189 residence visas in October 2017", None, Reason.QUOTE_EDITED),
    ("quote", "The weather in Copenhagen was mild all week long", None, Reason.NOT_FOUND),
    ("figure", "189 residence permits", "residence permits", Reason.FIGURE_MATCH),
    ("figure", "198 residence permits", "residence permits", Reason.FIGURE_CHANGED),
    ("date", "October 2017", "reviewed permits", Reason.DATE_MATCH),
    ("date", "November 2017", "reviewed permits", Reason.DATE_MISMATCH),
    (
        "quote",
        'Trump said "that\'s really good," and "we are going to bring back the factories"',
        RALLY,
        Reason.STITCHED_QUOTE,
    ),
    ("figure", "45% of staff", "officials moved", Reason.AMBIGUOUS_FIGURE),
]


def plain(explanation: str) -> bool:
    return "\n" not in explanation and "\\" not in explanation and '"' not in explanation


@pytest.mark.parametrize(("kind", "claim", "context", "reason"), CASES)
def test_every_reason_is_explained_plainly(
    kind: str, claim: str, context: str | None, reason: Reason
) -> None:
    if kind == "quote":
        evidence = match_quote(claim, context or SOURCE)  # a quote's "context": its own source
    elif reason is Reason.AMBIGUOUS_FIGURE:
        evidence = match_figure(claim, STAFF, context=context)
    elif kind == "figure":
        evidence = match_figure(claim, SOURCE, context=context)
    else:
        evidence = match_date(claim, SOURCE, context=context)
    assert evidence.reason is reason, evidence.explanation
    assert evidence.explanation, reason
    assert plain(evidence.explanation), evidence.explanation
    named = re.findall(r"'([^']*)'", evidence.explanation)
    if len(named) == 2 and ("says" in evidence.explanation):
        assert named[0] != named[1], evidence.explanation


def test_the_cases_cover_every_matching_reason() -> None:
    matching = {
        Reason.EXACT,
        Reason.NORMALISED,
        Reason.ELLIPSIS,
        Reason.EDITORIAL_BRACKETS,
        Reason.FIGURE_MATCH,
        Reason.DATE_MATCH,
        Reason.QUOTE_EDITED,
        Reason.FIGURE_CHANGED,
        Reason.NEGATION,
        Reason.HEDGE_CHANGED,
        Reason.DATE_MISMATCH,
        Reason.SILENT_OMISSION,
        Reason.NOT_FOUND,
        Reason.STITCHED_QUOTE,
        Reason.AMBIGUOUS_FIGURE,
    }
    assert matching <= {reason for *_, reason in CASES}

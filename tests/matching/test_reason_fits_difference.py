"""A drift's reason names what differs: a few changed words are ``quote-edited``, never
``date-mismatch`` when neither side holds a date.

English "may", "march" and "mar" are month names only when capitalised (the date reader's rule,
``language``): "the government may review" is a modal verb, "officials will march on" a verb.
"""

from __future__ import annotations

import pytest

from claimcheck import Reason, Status
from claimcheck.matching import match_quote

SOURCE = (
    "The minister said that the government will review the decision in the coming weeks. "
    "Officials will press on with the plan, although critics warned that the dispute could "
    "mar the election. Protesters may gather outside parliament on Friday. The council met "
    "in March 2021 and again in May, when it said it would march with the unions."
)


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        ("the government may review the decision in the coming weeks", Reason.QUOTE_EDITED),
        ("Officials will march on with the plan", Reason.QUOTE_EDITED),
        ("critics warned that the dispute would mar the election", Reason.QUOTE_EDITED),
        ("critics warned that the dispute could spoil the election", Reason.QUOTE_EDITED),
        ("Protesters will gather outside parliament on Friday", Reason.QUOTE_EDITED),
        ("Protesters may march outside parliament on Friday", Reason.QUOTE_EDITED),
        (
            "in March 2021 and again in May, when it said it would walk with the unions",
            Reason.QUOTE_EDITED,
        ),
        # Months and dates still drift as dates.
        ("The council met in May 2021 and again in May", Reason.DATE_MISMATCH),
        ("The council met in March 2022 and again in May", Reason.DATE_MISMATCH),
        ("again in March, when it said it would march with the unions", Reason.DATE_MISMATCH),
        ("again in June, when it said it would march with the unions", Reason.DATE_MISMATCH),
    ],
)
def test_the_reason_names_what_differs(quote: str, reason: Reason) -> None:
    evidence = match_quote(quote, SOURCE)
    assert (evidence.status, evidence.reason) == (Status.DRIFTED, reason), evidence.explanation

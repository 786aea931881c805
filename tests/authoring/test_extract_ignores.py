"""``extract`` leaves out what an ignore entry dismisses: a finding dismissed on purpose (the
"72" of "bill L 72") is not proposed again. The matching rule is the check's
(:func:`claimcheck.checking.ignore_matches`): by text and/or line, and kind; an entry naming a
claim by id dismisses no proposal."""

from __future__ import annotations

from claimcheck.authoring import extract
from claimcheck.model import Ignore

STATEMENT = (
    "It passed bill L 72 in 2019.\n\nIt passed bill L 72 in 2019.\n\n"
    "Around 189 Syrians lost their permits.\n"
)


def proposed(*entries: Ignore) -> list[tuple[str, int]]:
    extraction = extract(STATEMENT, syntax="markdown", ignore=entries)
    return [(p.text, p.line) for p in extraction.proposals]


def test_without_entries_everything_is_proposed() -> None:
    assert proposed() == [
        ("72", 1),
        ("2019", 1),
        ("72", 3),
        ("2019", 3),
        ("Around 189 Syrians", 5),
    ]


def test_dismissed_findings_are_not_proposed_again() -> None:
    assert proposed(Ignore("a bill", text="72")) == [
        ("2019", 1),
        ("2019", 3),
        ("Around 189 Syrians", 5),
    ]
    assert proposed(Ignore("a bill", text="72", line=3)) == [
        ("72", 1),
        ("2019", 1),
        ("2019", 3),
        ("Around 189 Syrians", 5),
    ]
    assert proposed(Ignore("r", line=1, kind="date"), Ignore("r", claim="x")) == [
        ("72", 1),
        ("72", 3),
        ("2019", 3),
        ("Around 189 Syrians", 5),
    ]

"""``--format claimreview`` without what Google's fact-check markup requires (each review's
``url``: ``--review-url``) or recommends (its ``author``: ``--author``) warns once on standard
error, naming what is missing; the report is still written.

Google Search Central, "Fact check (ClaimReview) structured data": required properties
``claimReviewed``, ``reviewRating``, ``url``; recommended ``author``, ``itemReviewed``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import ROOT, WORKED_EXAMPLE_STORE, run_cli


def claimreview(*argv: str | Path) -> tuple[int, str, str]:
    return run_cli(
        "check",
        ROOT / "claims",
        "--offline",
        "--snapshots",
        WORKED_EXAMPLE_STORE,
        "--format",
        "claimreview",
        *argv,
    )


def warnings_of(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("claimcheck: warning:")]


def test_without_review_url_and_author_it_warns_once_naming_both() -> None:
    code, out, err = claimreview()
    assert code == 1  # the worked example's drifted and broken claims, as ever
    assert json.loads(out)  # still written
    (warning,) = warnings_of(err)
    assert err.count("\n") == 1
    assert warning == (
        "claimcheck: warning: --format claimreview without --review-url and --author: Google "
        "requires each review's url (--review-url) and recommends its author (--author)"
    )


@pytest.mark.parametrize(
    ("given", "missing", "absent"),
    [
        (("--review-url", "https://example.org/review"), "--author", "--review-url"),
        (("--author", "Example Checkers"), "--review-url", "--author"),
    ],
)
def test_it_names_only_what_is_missing(given: tuple[str, str], missing: str, absent: str) -> None:
    _, out, err = claimreview(*given)
    assert json.loads(out)
    (warning,) = warnings_of(err)
    assert f"without {missing}:" in warning
    assert f"({absent})" not in warning


def test_with_both_or_another_format_it_says_nothing(tmp_path: Path) -> None:
    _, _, err = claimreview("--review-url", "https://example.org/review", "--author", "Checkers")
    assert err == ""
    _, _, err = run_cli(
        "check", ROOT / "claims", "--offline", "--snapshots", WORKED_EXAMPLE_STORE, "-q"
    )
    assert warnings_of(err) == []


def test_the_report_is_written_to_the_output_file_too(tmp_path: Path) -> None:
    output = tmp_path / "reviews.json"
    code, out, err = claimreview("-o", output)
    assert out.endswith(f"; report written to {output}\n")  # the one-line summary
    assert code == 1
    assert json.loads(output.read_text(encoding="utf-8"))
    assert len(warnings_of(err)) == 1
    assert "--review-url and --author" in err

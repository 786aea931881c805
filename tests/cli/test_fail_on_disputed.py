"""Sources that disagree, through the command line: the worked example's disputed claims (offline,
from the shipped ``snapshots/``), and ``--fail-on disputed``."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

import claimcheck
from support import ROOT, WORKED_EXAMPLE_STORE, run_cli

COUNTS = "26 claims: 15 verified, 4 drifted, 2 broken, 1 unchecked, 4 unsourced"
UNHCR = "https://www.unhcr.org/40a8a7394.html"
INFORMATION = (
    "https://www.information.dk/indland/2015/10/"
    "dansk-kontorchef-spillede-afgoerende-rolle-fns-flygtninge-konvention"
)


def worked_example(*argv: str) -> tuple[int, str, str]:
    return run_cli(
        "check", ROOT / "claims", "--offline", "--snapshots", WORKED_EXAMPLE_STORE, *argv
    )


@pytest.fixture(scope="module")
def report_json() -> dict[str, object]:
    code, out, err = worked_example("--format", "json")
    assert code == 1, err  # drifted and broken claims, as before
    data: dict[str, object] = json.loads(out)
    return data


def test_the_worked_example_flags_the_claims_whose_sources_disagree(
    report_json: dict[str, object],
) -> None:
    """The claims that one source verifies while another gives another figure or date, found
    from the per-source verdicts, are exactly the flagged ones: "twenty-six States" (another
    source says 17) and 1951 (another says 1952)."""
    claims = report_json["claims"]
    assert isinstance(claims, list)
    disagreeing = [
        claim["id"]
        for claim in claims
        if claim["status"] == "verified"
        and any(source["status"] == "drifted" for source in claim["sources"])
    ]
    flagged = [claim["id"] for claim in claims if claim["disputed"]]
    assert flagged == disagreeing == ["drafting-states", "convention-year"]
    by_id = {claim["id"]: claim for claim in claims}
    states, year = by_id["drafting-states"], by_id["convention-year"]
    assert states["status"] == year["status"] == "verified"
    assert states["dispute"] == f"verified by {UNHCR}; {INFORMATION} says '17' (figure-changed)"
    assert year["dispute"] == (
        f"verified by {INFORMATION}; {UNHCR} says '2 July 1952' (date-mismatch)"
    )
    assert states["disputed_by"] == [INFORMATION]
    assert year["disputed_by"] == [UNHCR]
    # A claim whose other source is merely unreadable or a placeholder is not disputed.
    assert not by_id["canada-quote"]["disputed"]
    assert not by_id["safe-since"]["disputed"]
    summary = report_json["summary"]
    assert isinstance(summary, dict)
    assert summary["disputed"] == 2
    assert {k: summary[k] for k in ("verified", "drifted", "broken", "unchecked", "unsourced")} == {
        "verified": 15,
        "drifted": 4,
        "broken": 2,
        "unchecked": 1,
        "unsourced": 4,
    }


def test_the_worked_example_in_text() -> None:
    code, out, _ = worked_example()
    assert code == 1
    lines = out.rstrip().splitlines()
    assert lines[-1] == f"{COUNTS}; 2 disputed"
    words = [line.split() for line in lines]
    flagged = [  # a row's status, "disputed" under it
        words[n][1]
        for n in range(len(words) - 1)
        if words[n][:1] == ["verified"] and words[n + 1][:1] == ["disputed"]
    ]
    assert flagged == ["drafting-states", "convention-year"]
    code, out, _ = worked_example("--verbose")
    said = [line.strip() for line in out.splitlines() if line.startswith("  disputed: ")]
    assert said == [
        f"disputed: verified by {UNHCR}; {INFORMATION} says '17' (figure-changed)",
        f"disputed: verified by {INFORMATION}; {UNHCR} says '2 July 1952' (date-mismatch)",
    ]


def test_the_worked_example_in_html(tmp_path: Path) -> None:
    """In the statement, the tag after each disputed claim says so; its entry says who says
    what."""
    page = tmp_path / "report.html"
    assert worked_example("--format", "html", "-o", str(page))[0] == 1
    document = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    tags = [tag.text_content() for tag in document.xpath("//sup[contains(@class, 'tag')]")]
    disputed = [tag for tag in tags if tag.endswith("disputed")]
    assert [tag.split("\u00a0", 1)[1] for tag in disputed] == ["verified, disputed"] * 2
    entries = document.xpath("//article[@data-disputed='true']")
    assert [entry.get("data-status") for entry in entries] == ["verified", "verified"]
    assert f"{INFORMATION} says '17' (figure-changed)" in entries[0].text_content()


def test_fail_on_disputed_on_the_worked_example() -> None:
    """Exit 1 with ``--fail-on disputed`` alone (only the disputed claims fail); 0, as today,
    when ``--fail-on`` names nothing."""
    assert worked_example("--fail-on", "disputed")[0] == 1
    assert worked_example("--fail-on", "")[0] == 0


def project(tmp_path: Path, second_page: bytes | None) -> Path:
    """A claims file of one quote citing two pages: the first verifies it, the second (when
    captured) leaves out "not"."""
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add("https://a.example/", b"She said the law will not change.", media_type="text/plain")
    if second_page is not None:
        store.add("https://b.example/", second_page, media_type="text/plain")
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "s"\n\n[[claim]]\nid = "law"\nkind = "quote"\n'
        'text = "the law will not change"\n\n[[claim.source]]\nurl = "https://a.example/"\n\n'
        '[[claim.source]]\nurl = "https://b.example/"\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("second_page", "disputed"),
    [(b"She said the law will change.", True), (None, False)],
    ids=["other-source-drifted", "other-source-never-captured"],
)
def test_fail_on_disputed_fails_only_a_disputed_claim(
    tmp_path: Path, second_page: bytes | None, disputed: bool
) -> None:
    folder = project(tmp_path, second_page)
    argv = ("check", folder / "claims.toml", "--offline", "--snapshots", folder / "store")
    code, out, err = run_cli(*argv)
    assert code == 0, err  # verified: the default --fail-on (drifted, broken) passes it
    # the header names the store, whose path has this test's name in it
    assert ("disputed" in out.replace(str(folder), "")) is disputed
    assert run_cli(*argv, "--fail-on", "disputed")[0] == (1 if disputed else 0)
    assert run_cli(*argv, "--fail-on", "broken,disputed")[0] == (1 if disputed else 0)


def test_fail_on_names_disputed_among_its_choices() -> None:
    code, _, err = worked_example("--fail-on", "contested")
    assert code == 2
    assert "disputed" in err
    code, out, _ = run_cli("check", "--help")
    assert "disputed" in " ".join(out.split())

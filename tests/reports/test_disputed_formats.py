"""A disputed claim (verified by one source, another cited source says otherwise) is flagged, with
which source says what, in every report format; ``failing`` may name ``disputed``.

The report: one claim verified by page A while page B has "not" left out (drifted, negation),
so disputed; one claim verified by page A while its other source was never captured, so not
disputed (a source not read disputes nothing)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest
from test_sarif import assert_valid

import claimcheck
from claimcheck.reports import render, to_claimreview, to_json

A = "https://a.example/report"
B = "https://b.example/article"
NEVER = "https://c.example/never-captured"
QUOTE = "the minister said the law will not change"
OTHER = "parliament met on Tuesday"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> claimcheck.Report:
    folder = tmp_path_factory.mktemp("disputed")
    store = claimcheck.SnapshotStore(folder / "store", create=True)
    store.add(A, f"Yesterday {QUOTE}, and {OTHER}.".encode(), media_type="text/plain")
    store.add(B, b"Yesterday the minister said the law will change.", media_type="text/plain")
    claims = (
        claimcheck.Claim(
            "quote", QUOTE, id="law", sources=(claimcheck.Source(A), claimcheck.Source(B))
        ),
        claimcheck.Claim(
            "quote", OTHER, id="tuesday", sources=(claimcheck.Source(A), claimcheck.Source(NEVER))
        ),
    )
    claim_set = claimcheck.ClaimSet(claimcheck.Statement(id="example"), claims)
    return claimcheck.check(claim_set, copies="stored", snapshots=store.root)


def test_the_report_has_one_disputed_claim(report: claimcheck.Report) -> None:
    law, tuesday = report.results
    assert (law.status, tuesday.status) == (claimcheck.Status.VERIFIED,) * 2
    assert [v.reason.value for v in law.verdicts] == ["exact", "negation"]
    assert law.disputed
    assert not tuesday.disputed
    assert law.dispute is not None
    assert law.dispute == f"verified by {A}; {B} differs: the statement adds 'not' (negation)"


def test_text(report: claimcheck.Report) -> None:
    out = render(report, "text", color=False, width=200)
    lines = out.splitlines()
    row = next(n for n, line in enumerate(lines) if line.split()[1:2] == ["law"])
    assert lines[row].split()[0] == "verified"
    assert lines[row + 1].split()[0] == "disputed"  # under the status
    # the sources it names by reference, each URL whole on a line of its own below the row
    assert "disputed: verified by [1]; [2] differs" in " ".join(out.split())
    assert f"[1] {A}" in out
    assert f"[2] {B}" in out
    assert out.rstrip().endswith(
        "2 claims: 2 verified, 0 drifted, 0 broken, 0 unchecked; 1 disputed"
    )
    verbose = render(report, "text", color=False, width=200, verbose=True)
    assert f"  disputed: verified by {A}; {B}" in verbose


def test_json_and_its_schema(report: claimcheck.Report) -> None:
    data = json.loads(render(report, "json"))
    law, tuesday = data["claims"]
    assert (law["status"], law["disputed"], law["disputed_by"]) == ("verified", True, [B])
    assert law["dispute"] == report.results[0].dispute
    assert (tuesday["disputed"], tuesday["dispute"], tuesday["disputed_by"]) == (False, None, [])
    assert data["summary"]["disputed"] == 1
    assert data["summary"]["verified"] == 2
    schema = json.loads(
        (Path(claimcheck.__file__).parent / "schemas" / "report.schema.json").read_text("utf-8")
    )
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(data)
    claim_schema = schema["$defs"]["claim"]["properties"]
    assert {"disputed", "dispute", "disputed_by"} <= set(claim_schema)
    bad = to_json(report)
    bad["claims"][0]["disputed"] = "yes"
    assert not validator.is_valid(bad)


def test_html(report: claimcheck.Report) -> None:
    page = lxml.html.fromstring(render(report, "html"))
    law, tuesday = page.xpath("//article[contains(@class, 'claim')]")
    assert law.get("data-disputed") == "true"
    assert tuesday.get("data-disputed") is None
    assert law.xpath(".//span[contains(@class, 'badge') and contains(@class, 'disputed')]")
    (paragraph,) = law.xpath(".//p[@class='dispute']")
    assert f"verified by {A}; {B} differs" in paragraph.text_content()
    assert not tuesday.xpath(".//*[contains(@class, 'disputed') or @class='dispute']")
    summary = page.xpath("//ul[@class='summary']")[0].text_content()
    assert "1 disputed" in summary


def test_markdown(report: claimcheck.Report) -> None:
    out = render(report, "markdown")
    assert "2 claims: 2 verified, 0 drifted, 0 broken, 0 unchecked; 1 disputed" in out
    law = next(line for line in out.splitlines() if line.startswith("| law"))
    assert "**verified** (**disputed**)" in law
    # markdown_text keeps URLs from becoming links (a zero-width space after "https://")
    assert "**disputed**: verified by https://" in law
    assert "b.example/article differs: the statement adds 'not' \\(negation\\)" in law
    tuesday = next(line for line in out.splitlines() if line.startswith("| tuesday"))
    assert "disputed" not in tuesday


def junit_cases(out: str) -> dict[str, ET.Element]:
    suites = ET.fromstring(out.split("\n", 1)[1])
    (suite,) = suites
    return {case.get("name") or "": case for case in suite}


def test_junit(report: claimcheck.Report) -> None:
    cases = junit_cases(render(report, "junit"))
    (prop,) = cases["law"].iter("property")
    assert prop.get("name") == "disputed"
    assert f"{B} differs" in (prop.get("value") or "")
    assert cases["law"].find("failure") is None  # not failing unless told
    assert not list(cases["tuesday"].iter("property"))
    failing = render(report, "junit", failing={"drifted", "broken", "disputed"})
    suite = ET.fromstring(failing.split("\n", 1)[1])[0]
    assert suite.get("failures") == "1"
    failure = junit_cases(failing)["law"].find("failure")
    assert failure is not None
    assert failure.get("type") == "disputed"
    assert junit_cases(failing)["tuesday"].find("failure") is None


def test_github_annotations(report: claimcheck.Report) -> None:
    out = render(report, "github")
    (line,) = out.splitlines()
    assert line.startswith("::warning ")
    assert "claim law%3A verified (disputed)" in line
    assert f"disputed: verified by {A}" in line
    (line,) = render(report, "github", failing={"disputed"}).splitlines()
    assert line.startswith("::error ")


def sarif_results(log: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def test_sarif(report: claimcheck.Report) -> None:
    log = json.loads(render(report, "sarif"))
    assert_valid(log)
    (result,) = sarif_results(log)  # the undisputed verified claim leaves no result
    assert (result["ruleId"], result["level"]) == ("disputed", "warning")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "disputed"
    assert result["properties"]["disputed"] is True
    assert result["properties"]["dispute"] == report.results[0].dispute
    assert "disputed: verified by" in result["message"]["text"]
    assert log["runs"][0]["properties"]["summary"]["disputed"] == 1
    failing = json.loads(render(report, "sarif", failing={"disputed"}))
    assert_valid(failing)
    (result,) = sarif_results(failing)
    assert result["level"] == "error"
    assert failing["runs"][0]["properties"]["failOn"] == ["disputed"]


def test_claimreview(report: claimcheck.Report) -> None:
    law, tuesday = to_claimreview(report)
    assert law["reviewRating"]["ratingValue"] == 3  # still verified
    assert law["reviewRating"]["alternateName"] != tuesday["reviewRating"]["alternateName"]
    assert "another cited source differs" in law["reviewRating"]["alternateName"]
    assert f"disputed: verified by {A}; {B}" in law["reviewRating"]["ratingExplanation"]
    assert "disputed" not in tuesday["reviewRating"]["ratingExplanation"]


def test_notebook_display_and_pandas(report: claimcheck.Report) -> None:
    html = lxml.html.fromstring(report._repr_html_())
    law, tuesday = html.xpath("//tr[td]")
    assert "disputed" in law.text_content()
    assert f"{B} differs" in law.text_content()
    assert "disputed" not in tuesday.text_content()
    pandas = pytest.importorskip("pandas")
    frame = report.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    by_claim = frame.groupby("claim")["disputed"].all()
    assert bool(by_claim["law"])
    assert not bool(by_claim["tuesday"])


def test_failing_names_disputed_as_a_flag() -> None:
    from claimcheck.model import Flag
    from claimcheck.reports import RenderOptions, failing_value

    assert failing_value("disputed") is Flag.DISPUTED
    assert Flag.DISPUTED in RenderOptions(failing={"disputed"}).failing
    with pytest.raises(claimcheck.ClaimcheckError, match="disputed"):
        RenderOptions(failing={"contested"})

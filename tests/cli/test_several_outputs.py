"""Several reports from one run (``-o json:report.json -o html:report.html``; a bare PATH in
``--format``; ``-`` for standard output), each written whole, and ``-o`` never leaves the
terminal silent: when every report goes to a file, one line says what was found and where the
reports are, unless ``-q``.

Internals tested directly (private modules): how an ``-o`` value is read
(``claimcheck.cli._options.output_target``), which the config file's ``output`` reuses."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from audit_histories import Built
from claimcheck import Report
from claimcheck.cli._options import UsageError, output_target
from claimcheck.reports import formats
from support import ROOT, run_cli

COUNTS = "26 claims: 15 verified, 4 drifted, 2 broken, 1 unchecked, 4 unsourced; 2 disputed"
CHECK = ("check", ROOT / "claims", "--offline")


def test_two_formats_from_one_check(tmp_path: Path) -> None:
    data, page = tmp_path / "report.json", tmp_path / "report.html"
    code, out, err = run_cli(*CHECK, "-o", f"json:{data}", "--output", f"html:{page}")
    assert code == 1, err
    assert json.loads(data.read_text(encoding="utf-8"))["summary"]["disputed"] == 2
    assert lxml.html.fromstring(page.read_bytes()).xpath("//article[@data-status]")
    # the terminal is not left silent: one line, what was found and where it went
    assert out == f"{COUNTS}; reports written to {data}, {page}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.html", "report.json"]


def test_a_bare_path_takes_format_and_quiet_says_nothing(tmp_path: Path) -> None:
    data = tmp_path / "report.json"
    code, out, _ = run_cli(*CHECK, "--format", "json", "-o", data, "-q")
    assert code == 1
    assert out == ""
    assert json.loads(data.read_text(encoding="utf-8"))["schema"] == "claimcheck.report"
    code, out, _ = run_cli(*CHECK, "--format", "json", "-o", data)
    assert out == f"{COUNTS}; report written to {data}\n"


def test_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    data = tmp_path / "report.json"
    code, out, _ = run_cli(*CHECK, "-o", f"json:{data}", "-o", "compact:-")
    assert code == 1
    assert data.exists()
    assert out.splitlines()[-1] == f"Found 13 problems in {COUNTS}"
    assert "written to" not in out  # a report is on the terminal already
    code, out, _ = run_cli(*CHECK, "-o", "-", "-o", f"sarif:{tmp_path / 'r.sarif'}")
    assert " ".join(out.split()).endswith(COUNTS)  # the text report, --format's
    assert "drifted    zahreddine-date" in out


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_cli(*CHECK, "-o", f"xml:{tmp_path / 'r.xml'}")
    assert code == 2
    assert "no report format 'xml'" in err
    assert "json" in err  # the formats there are
    assert not list(tmp_path.iterdir())


def test_output_target_counts_only_registered_formats() -> None:
    names = formats(Report)
    assert output_target("json:report.json", names) == ("json", Path("report.json"))
    assert output_target("report.json", names) == (None, Path("report.json"))
    assert output_target("-", names) == (None, Path("-"))
    assert output_target("compact:-", names) == ("compact", Path("-"))
    # a Windows drive letter is not a format, nor is a name that has a folder before its colon
    assert output_target("C:\\reports\\r.json", names) == (None, Path("C:\\reports\\r.json"))
    assert output_target("c:/reports/r.json", names) == (None, Path("c:/reports/r.json"))
    assert output_target("./html:x", names) == (None, Path("./html:x"))
    assert output_target("out/json:x", names) == (None, Path("out/json:x"))
    for wrong in ("xml:r.xml", "json:", ""):
        with pytest.raises(UsageError):
            output_target(wrong, names)


def test_audit_report_writes_several_formats(built_history: Built, tmp_path: Path) -> None:
    page, data = tmp_path / "history.html", tmp_path / "history.json"
    db = built_history.path
    code, out, err = run_cli("audit", "report", "--db", db, "-o", page, "-o", f"json:{data}")
    assert code == 0, err
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")  # --format: html
    assert json.loads(data.read_text(encoding="utf-8"))["schema"] == "claimcheck.audit-report"
    [line] = out.splitlines()
    assert line.startswith("10 runs, 2026-03-01 to 2026-03-10; 7 citations now: ")
    assert line.endswith(f"; reports written to {page}, {data}")
    assert run_cli("audit", "report", "--db", db, "-o", page, "-q")[:2] == (0, "")


def test_audit_run_writes_several_formats(tmp_path: Path) -> None:
    """An audit of a claim that cites nothing: nothing to fetch, one run recorded."""
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[statement]\nid = "s"\n\n[[claim]]\nid = "c"\nkind = "quote"\ntext = "x"\n'
        'unsourced = "common knowledge"\n',
        encoding="utf-8",
    )
    text, data = tmp_path / "audit.txt", tmp_path / "audit.json"
    code, out, err = run_cli(
        "audit",
        "run",
        claims,
        "--db",
        tmp_path / "audit.sqlite",
        "--snapshots",
        tmp_path / "store",
        "-o",
        text,
        "-o",
        f"json:{data}",
    )
    assert code == 0, err
    assert "claimcheck audit: run 1" in text.read_text(encoding="utf-8")
    assert json.loads(data.read_text(encoding="utf-8"))["schema"] == "claimcheck.audit"
    [line] = out.splitlines()
    assert line.startswith("0 citations: ")
    assert line.endswith(f"; reports written to {text}, {data}")


def test_the_option_is_repeatable_in_help() -> None:
    code, out, _ = run_cli("check", "--help")
    assert code == 0
    assert "[FORMAT:]PATH" in out

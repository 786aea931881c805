"""Nothing a server, an archive or a claims file holds acts on the terminal: every line every
command prints shows control, bidi and unencodable characters as escapes (``\\x1b``,
``\\u202e``); the data formats (JSON, the TOML ``extract`` proposes) keep the data exactly, by
their own escapes.

A hostile origin on 127.0.0.1 sends escape sequences in its ``Content-Type`` and in a redirect's
``Location`` (any byte may stand in a header value: RFC 9110 section 5.5 keeps obs-text, and
http.client reads header bytes as Latin-1, so ``\\x9b`` arrives as the C1 character CSI); the
claims cite URLs with bidi overrides and isolates; Save Page Now answers an error whose words
are escape sequences. Each command that prints then runs in-process.

Internals tested directly (private modules): the stream the command line writes to
(``claimcheck.cli._terminal``); the command line's fetch settings (``FetchConfig``, which the
command line reads from ``claimcheck.sources`` when it runs), made fast for a local origin.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimcheck.sources
from claimcheck import FetchConfig
from claimcheck.cli import main
from claimcheck.cli._terminal import styled_safe
from claimcheck.reports import display_safe
from fake_archive import FakeArchive
from servers import LocalServer, RequestHandler, page
from support import ORIGINAL, QUOTE, run_cli

# Retitles the window and clears the screen (as the issue saw), then CSI as one C1 character.
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
C1 = "\x9b31m"
BIDI = "\u202egnp.exe\u2066x\u2069"
CONTENT_TYPE = f"text/html{ESCAPES}; charset=utf-8"

# What must never reach a terminal raw: C0 controls but tab and line feed, C1 controls, bidi
# formatting characters. Written out here rather than taken from the code under test.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def assert_shown_not_obeyed(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} in {text!r}"


def strings(data: Any) -> Iterator[str]:
    """Every string of JSON data, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


def _loop(handler: RequestHandler) -> None:
    # Every /loop/... answers with the same relative Location: a redirect loop, reported with
    # the address it loops on. Its bytes are UTF-8 (what requests decodes a Location as, after
    # http.client read it as Latin-1), so the client sees C1 and bidi characters, not mojibake.
    location = f"/loop/{ESCAPES}{C1}{BIDI}".encode().decode("latin-1")
    handler.send(302, "", headers=[("Location", location)])


@pytest.fixture(scope="module", autouse=True)
def fast_fetching() -> Iterator[None]:
    """The command line fetches as the tests' other fetches do: no spacing between requests
    to one host, no retries, no soft-404 probe (a redirect loop costs three requests)."""
    fast = functools.partial(FetchConfig, host_spacing=0.0, retries=0, soft_404=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(claimcheck.sources, "FetchConfig", fast)
        yield


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    routes = {"/page": page(ORIGINAL, content_type=CONTENT_TYPE), "/loop/*": _loop}
    with LocalServer(routes) as server:
        yield server.url


def _claims(path: Path, urls: list[str]) -> Path:
    """A claims file quoting ``QUOTE`` from ``urls``, and a quote none of them holds; strings
    written as JSON writes them, which TOML basic strings read the same (``\\u202e``)."""
    sources = "".join(f"\n[[claim.source]]\nurl = {json.dumps(url)}\n" for url in urls)
    path.write_text(
        f'[statement]\nid = "letter"\ntitle = {json.dumps(f"Letter {C1}{BIDI}")}\n\n'
        f'[[claim]]\nid = "quote"\nkind = "quote"\ntext = "{QUOTE}"\n{sources}\n'
        f'[[claim]]\nid = "missing"\nkind = "quote"\ntext = "the minister resigned"\n{sources}',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def project(origin: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``live.toml`` (the hostile origin's page, its redirect loop, a bidi URL on it),
    ``stored.toml`` (the page, and a bidi URL recorded with ``snapshot add``), the store
    ``snapshot fetch`` filled, and what each printed (``fetch.out``, ``add.out``)."""
    folder = tmp_path_factory.mktemp("hostile")
    live = [f"{origin}/page", f"{origin}/loop/a", f"{origin}/loop/{BIDI}"]
    _claims(folder / "live.toml", live)
    stored = f"https://example.org/{BIDI}{C1}"
    _claims(folder / "stored.toml", [stored, f"{origin}/page"])
    store = folder / "store"
    code, out, err = run_cli(
        "snapshot",
        "fetch",
        folder / "live.toml",
        "--snapshots",
        store,
        "--no-archive",
        "--allow-private-addresses",
        "-q",
    )
    assert code == 1, err  # the loops fail
    (folder / "fetch.out").write_text(out + err, encoding="utf-8", errors="surrogateescape")
    (folder / "page.txt").write_text(f"{QUOTE} {ESCAPES}{C1}{BIDI}", encoding="utf-8")
    code, out, err = run_cli(
        "snapshot",
        "add",
        stored,
        folder / "page.txt",
        "--media-type",
        f"text/plain{ESCAPES}",
        "--snapshots",
        store,
    )
    assert code == 0, err
    (folder / "add.out").write_text(out + err, encoding="utf-8")
    return folder


def test_snapshot_fetch_shows_a_hostile_location(project: Path) -> None:
    shown = (project / "fetch.out").read_text(encoding="utf-8")
    assert_shown_not_obeyed(shown)
    # The Location, its unpaired brackets percent-encoded as a sentence shows them (in_sentence).
    assert "\\x1b%5D0;pwned\\x07\\x1b%5B2J\\x9b31m\\u202egnp.exe" in shown
    assert "\\u202egnp.exe\\u2066x\\u2069" in shown  # the bidi URL, shown in order


def test_snapshot_add_and_list_show_what_they_recorded(project: Path) -> None:
    added = (project / "add.out").read_text(encoding="utf-8")
    assert_shown_not_obeyed(added)
    assert "\\u202egnp.exe" in added
    code, out, err = run_cli("snapshot", "list", "--snapshots", project / "store")
    assert code == 0, err
    assert_shown_not_obeyed(out, err)
    assert "text/html\\x1b]0;pwned\\x07\\x1b[2J; charset=utf-8" in out  # the Content-Type
    assert "text/plain\\x1b]0;pwned" in out
    assert "https://example.org/\\u202egnp.exe\\u2066x\\u2069\\x9b31m" in out


def test_snapshot_save_shows_what_save_page_now_said(
    project: Path, monkeypatch: pytest.MonkeyPatch, unthrottled_archives: Path
) -> None:
    with FakeArchive() as archive:
        monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", archive.keys[0])
        monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", archive.keys[1])
        archive.spn_submit_reply = {
            "status": "error",
            "status_ext": f"error:{ESCAPES}",
            "message": f"refused {C1}{BIDI}",
        }
        code, out, err = run_cli(
            "snapshot",
            "save",
            project / "stored.toml",
            "--save-page-now",
            archive.base_url + "/save",
            "--config",
            unthrottled_archives,
        )
    assert code == 1, err
    assert_shown_not_obeyed(out, err)
    assert "error:\\x1b]0;pwned" in out


READABLE = ["text", "markdown", "github", "junit", "html"]


@pytest.mark.parametrize("form", READABLE)
def test_check_reports_for_people_show_what_the_sources_hold(project: Path, form: str) -> None:
    code, out, err = run_cli(
        "check",
        project / "stored.toml",
        "--offline",
        "--snapshots",
        project / "store",
        "--format",
        form,
        "--verbose",
    )
    assert code == 1, err
    assert_shown_not_obeyed(out, err)
    if form != "github":  # annotations name the claim, not the source
        assert "u202egnp.exe" in out  # the bidi URL is there, escaped


@pytest.mark.parametrize("form", ["json", "sarif", "claimreview"])
def test_check_data_formats_keep_the_data_and_print_it_escaped(project: Path, form: str) -> None:
    """JSON escapes control characters itself (``\\u001b``); the C1 controls and bidi
    characters it may write raw are written as ``\\uXXXX`` escapes too: the same data, and
    nothing that acts on a terminal."""
    code, out, err = run_cli(
        "check",
        project / "stored.toml",
        "--offline",
        "--snapshots",
        project / "store",
        "--format",
        form,
        "--review-url",
        "https://reviews.example/letter",
    )
    assert code == 1, err
    assert_shown_not_obeyed(out, err)
    assert display_safe(out) == out  # the neutraliser had nothing left to change
    found = list(strings(json.loads(out)))
    assert any(BIDI in text for text in found)  # the data, exactly
    if form == "json":
        assert CONTENT_TYPE in found


def test_a_live_check_shows_a_hostile_location(project: Path) -> None:
    code, out, err = run_cli(
        "check", project / "live.toml", "--no-archive", "--allow-private-addresses", "-q", "-v"
    )
    assert code in (0, 1), err
    assert_shown_not_obeyed(out, err)
    assert "\\x1b%5D0;pwned" in out  # its unpaired brackets percent-encoded (in_sentence)


def test_audit_run_and_report_show_what_the_sources_hold(project: Path, tmp_path: Path) -> None:
    history = tmp_path / "audit.sqlite"
    common = ["--db", history, "--snapshots", tmp_path / "store", "-q"]
    network = ["--no-archive", "--allow-private-addresses"]
    code, out, err = run_cli("audit", "run", project / "live.toml", *common, *network)
    assert code in (0, 1), err
    assert_shown_not_obeyed(out, err)
    assert "u202egnp.exe" in out
    for form in ["markdown", "json", "html"]:
        code, out, err = run_cli("audit", "report", "--db", history, "--format", form)
        assert code == 0, err
        assert_shown_not_obeyed(out, err)
        if form == "json":
            assert any(BIDI in text for text in strings(json.loads(out)))


def test_extract_prints_a_claims_file_that_keeps_the_statement(tmp_path: Path) -> None:
    statement = tmp_path / "letter.md"
    quoted = f"we will review {C1}{BIDI} every permit"
    statement.write_text(
        f"The minister [said](https://news.example/{BIDI}) “{quoted}” on Monday.\n"
        f"See also [this](https://news.example/{ESCAPES}).\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("extract", statement)
    assert code == 0, err
    assert_shown_not_obeyed(out, err)
    claims = tomllib.loads(out)
    assert claims["claim"][0]["text"] == quoted  # the data, exactly
    assert claims["claim"][0]["source"][0]["url"] == f"https://news.example/{BIDI}"


def test_robustify_lists_each_link_shown(project: Path, tmp_path: Path) -> None:
    statement = tmp_path / "letter.md"
    statement.write_text(
        f"The [minister](https://example.org/{BIDI}{C1}) said "
        f"[so](https://news.example/{ESCAPES}).\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("robustify", statement, "--snapshots", project / "store")
    assert code == 0, err
    assert_shown_not_obeyed(out, err)
    assert "\\u202egnp.exe" in err


def test_error_messages_show_what_they_quote(tmp_path: Path) -> None:
    evil = f"{ESCAPES}{C1}{BIDI}"
    runs = [
        ("check", tmp_path / f"missing{evil}.toml"),  # a usage error naming a path
        ("check", "--format", evil, tmp_path),  # argparse's message
        ("snapshot", "list", "--snapshots", tmp_path / evil),  # not a store
        ("audit", "report", "--db", tmp_path / f"{evil}.sqlite"),
    ]
    claims = tmp_path / "claims.toml"
    claims.write_text(
        f'[[claim]]\nid = "x"\nkind = "figure"\ntext = "189"\nvalue = {json.dumps(evil)}\n',
        encoding="utf-8",
    )
    runs.append(("check", "--offline", claims))  # a problem in the claims, quoting the value
    for argv in runs:
        code, out, err = run_cli(*argv)
        assert code == 2, (argv, err)
        assert_shown_not_obeyed(out, err)
        assert "Traceback" not in err
        assert "\\x1b" in err or "\\u202e" in err, (argv, err)


class _Terminal(io.StringIO):
    """Standard output as a terminal: the text report is coloured."""

    def isatty(self) -> bool:
        return True


def test_a_coloured_report_keeps_its_colours_and_nothing_else(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out, err = _Terminal(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(
            [
                "check",
                str(project / "stored.toml"),
                "--offline",
                "--snapshots",
                str(project / "store"),
                "-v",
            ]
        )
    shown = out.getvalue()
    assert SGR.search(shown)  # coloured
    assert_shown_not_obeyed(SGR.sub("", shown), err.getvalue())
    assert "u202e" in shown


def test_styled_output_keeps_colour_codes_only() -> None:
    text = f"\x1b[1;31mbroken\x1b[0m {ESCAPES}{C1}{BIDI} \x1b[38;5;9mx\x1b[0m"
    shown = styled_safe(text)
    assert shown.startswith("\x1b[1;31mbroken\x1b[0m \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m")
    assert shown.endswith("\x1b[38;5;9mx\x1b[0m")
    assert_shown_not_obeyed(SGR.sub("", shown))


@given(st.text())
def test_the_quick_neutraliser_says_what_display_safe_says(text: str) -> None:
    """The terminal guard writes printable text (tabs and line feeds too) without importing the
    reports, and hands anything else to :func:`~claimcheck.reports.display_safe`: the same text
    either way."""
    from claimcheck.cli._terminal import display_safe as quick
    from claimcheck.reports import display_safe

    assert quick(text) == display_safe(text)
    for plain in ("", "a\tb\n", "".join(map(chr, range(0x20, 0x7F))), "é … — ’"):
        assert quick(plain) == display_safe(plain) == plain
    for hidden in (
        "\x1b",
        "\x7f",
        "\x85",
        "\u061c",
        "\u200e",
        "\u202e",
        "\u2066",
        "\ud800",
        "\uffff",
    ):
        assert quick(f"a{hidden}\n") == display_safe(f"a{hidden}\n") != f"a{hidden}\n"

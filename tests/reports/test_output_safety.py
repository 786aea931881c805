"""What comes from a source never reaches the user raw, every machine format stays valid for
any input, and Save Page Now keys never leave the environment except towards the archive.

Internals tested directly (private modules): the terminal neutraliser
(``claimcheck.reports._display``)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

import claimcheck
from claimcheck.reports import render_text
from claimcheck.reports._display import terminal_safe
from fake_archive import FakeArchive
from support import run_cli

HOSTILE = (
    "\x1b[2J\x1b[31mThe minister\x1b[0m said\r [bold red]nothing[/] \u202eevil\u202c "
    "<script>alert(1)</script> \x07\x9b31m the minister said the law will not change "
    "\u2066isolated\u2069 \x00 end."
)
QUOTE = "the minister said the law will not change"


@pytest.fixture
def hostile_project(tmp_path: Path) -> Path:
    """A folder with a store holding one page full of terminal escapes, bidi overrides and
    markup (``HOSTILE``), and ``claims.toml`` quoting it three ways."""
    store = claimcheck.SnapshotStore(tmp_path / "store", create=True)
    store.add("https://example.org/hostile", HOSTILE.encode("utf-8"), media_type="text/plain")
    (tmp_path / "claims.toml").write_text(
        f"""
[[claim]]
id = "quote"
kind = "quote"
text = "{QUOTE}"

[[claim.source]]
url = "https://example.org/hostile"

[[claim]]
id = "escapes"
kind = "quote"
text = "The minister said everything"

[[claim.source]]
url = "https://example.org/hostile"

[[claim]]
id = "markup"
kind = "quote"
text = "[bold red]nothing[/] \\u202eevil"

[[claim.source]]
url = "https://example.org/hostile"
""",
        encoding="utf-8",
    )
    return tmp_path


UNSAFE = ["\x1b", "\r", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\x00"]


def test_terminal_output_neutralises_control_and_bidi_characters(hostile_project: Path) -> None:
    code, out, err = run_cli(
        "check",
        "--offline",
        str(hostile_project / "claims.toml"),
        "--snapshots",
        str(hostile_project / "store"),
    )
    assert code in (0, 1), err
    for char in UNSAFE:
        assert char not in out, repr(char)


def test_terminal_safe_shows_what_it_neutralises() -> None:
    assert terminal_safe("a\x1b[31mb\r\u202ec") == "a\\x1b[31mb\\r\\u202ec"
    assert terminal_safe("[bold]x[/bold]") == "\\[bold]x\\[/bold]"
    evidence = claimcheck.matching.match_quote("The minister said", HOSTILE)
    source = claimcheck.Source("https://example.org/\x1b[2J")
    claim = claimcheck.Claim("quote", "x", id="[bold]id\u202e", sources=(source,))
    verdict = claimcheck.Verdict(source, evidence.status, evidence.reason, HOSTILE, evidence)
    claim_set = claimcheck.ClaimSet(claimcheck.Statement(), (claim,))
    result = claimcheck.ClaimResult(
        claim, claim_set, evidence.status, evidence.reason, HOSTILE, (verdict,)
    )
    shown = render_text(claimcheck.Report((result,)), color=True, width=400, show_all=True)
    for char in ["\x07", "\x9b", "\u202e", "\u2066", "\x00", "\r"]:
        assert char not in shown, repr(char)
    assert "\x1b[2J" not in shown  # the source's escapes never reach the terminal
    assert "[bold]id" in shown  # markup from a claims file shows as written
    assert "<script>" in shown  # shown as text; no terminal runs scripts


def test_json_keeps_the_data_and_stays_valid(hostile_project: Path) -> None:
    code, out, _ = run_cli(
        "check",
        "--offline",
        str(hostile_project / "claims.toml"),
        "--snapshots",
        str(hostile_project / "store"),
        "--format",
        "json",
    )
    assert code in (0, 1)
    report = json.loads(out)
    first = report["claims"][0]
    assert first["id"] == "quote"
    evidence = first["sources"][0]["evidence"]
    assert evidence["passage"] == QUOTE
    assert first["status"] == "verified"
    markup = report["claims"][2]
    assert markup["text"] == "[bold red]nothing[/] \u202eevil"  # the data, exactly


def test_error_messages_neutralise_what_the_claims_file_holds(tmp_path: Path) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text('[[claim]]\n"evil\\u001b[2J" = 1\n', encoding="utf-8")
    code, _, err = run_cli("check", "--offline", str(claims))
    assert code == 2
    assert "\x1b" not in err
    assert "Traceback" not in err


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        yield fake


def test_save_page_now_keys_stay_secret(
    archive: FakeArchive,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unthrottled_archives: Path,
) -> None:
    access, secret = archive.keys
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", access)
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", secret)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(
        "snapshot",
        "save",
        "https://example.org/page",
        "--poll-interval",
        "0.01",
        "--save-page-now",
        archive.base_url + "/save",
        "--config",
        str(unthrottled_archives),
    )
    assert code == 0, err
    assert secret not in out + err
    assert access not in out + err
    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    assert all(secret.encode() not in data for data in written)
    authorised = [r for r in archive.requests if r.headers.get("Authorization")]
    assert authorised  # sent, and only to the archive's own endpoints
    assert all(r.endpoint.startswith("/save") for r in authorised)


class _Recorder(BaseHTTPRequestHandler):
    """Records every request's headers; answers 307 to ``redirect_to`` when set."""

    seen: ClassVar[list[dict[str, str]]]
    redirect_to: ClassVar[str | None] = None

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append(dict(self.headers.items()))
        if self.redirect_to:
            self.send_response(307)
            self.send_header("Location", self.redirect_to)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def recording(redirect_to: str | None = None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Recorder,), {"seen": seen, "redirect_to": redirect_to})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_save_page_now_keys_do_not_follow_a_redirect(
    archive: FakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", archive.keys[0])
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", archive.keys[1])
    with contextlib.ExitStack() as stack:
        elsewhere, seen_elsewhere = stack.enter_context(recording())
        endpoint, seen_at_endpoint = stack.enter_context(recording(elsewhere + "/save"))
        code, _, _ = run_cli(
            "snapshot",
            "save",
            "https://example.org/page",
            "--poll-interval",
            "0.01",
            "--save-page-now",
            endpoint + "/save",
        )
    assert code in (1, 2)  # not saved: the endpoint moved
    assert any("Authorization" in headers for headers in seen_at_endpoint)
    assert all("Authorization" not in headers for headers in seen_elsewhere)


def test_a_report_file_is_written_whole(hostile_project: Path) -> None:
    target = hostile_project / "report.json"
    target.write_text("previous report", encoding="utf-8")
    store = str(hostile_project / "store")
    claims = str(hostile_project / "claims.toml")
    code, _, _ = run_cli(
        "check", "--offline", claims, "--snapshots", store, "--format", "json", "-o", str(target)
    )
    assert code in (0, 1)
    json.loads(target.read_text(encoding="utf-8"))
    assert not list(hostile_project.glob(".tmp-*"))

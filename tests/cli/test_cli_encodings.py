"""The command line against hostile encodings: a page served as UTF-7 (``+2AA-`` decodes to a lone
surrogate, which no UTF-8 writer can write), a cited URL that is not ASCII, a claims file whose
name is not UTF-8, and a statement that starts with a byte order mark. ``check`` writes a valid
report and exits by its findings (0 here), never with a traceback."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from servers import LocalServer, page
from support import ORIGINAL, QUOTE, claim_toml, run_cli

# "+2AA-" is U+D800 in UTF-7, "+2D3eAA-" the pair U+D83D U+DE00; browsers ignore the label.
UTF7_PAGE = ORIGINAL.replace("</p>", " +2AA- +2D3eAA-</p>").encode("ascii")


@pytest.fixture
def server() -> Iterator[str]:
    routes = {
        "/utf7": page(UTF7_PAGE, content_type="text/html; charset=utf-7"),
        "/K%C3%B6ln": page(ORIGINAL),  # what the client sends for /Köln (UTF-8, escaped)
        "/fine": page(ORIGINAL),
    }
    with LocalServer(routes) as running:
        yield running.url


def check(claims: Path, *argv: str) -> tuple[int, str, str]:
    store = claims.parent / "store"
    return run_cli(
        "check", claims, "--snapshots", store, "--allow-private-addresses", "--no-archive", *argv
    )


def test_check_of_a_utf7_page_writes_json_and_verbose_text(server: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text(claim_toml("utf7", "quote", QUOTE, f"{server}/utf7"), encoding="utf-8")

    code, out, err = check(claims, "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    [claim] = report["claims"]
    assert claim["status"] == "verified"
    out.encode("utf-8")

    code, out, err = check(claims, "-v")
    assert (code, err) == (0, "")
    assert "1 verified" in out
    out.encode("utf-8")


def test_check_of_a_url_that_is_not_ascii(server: str, tmp_path: Path) -> None:
    # The capture's WARC request line once held the raw "ö" (warcio writes it as ASCII).
    claims = tmp_path / "claims.toml"
    claims.write_text(claim_toml("iri", "quote", QUOTE, f"{server}/Köln"), encoding="utf-8")
    code, out, err = check(claims, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["claims"][0]["status"] == "verified"


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes on POSIX only")
def test_a_claims_file_whose_name_is_not_utf8(server: str, tmp_path: Path) -> None:
    # os.fsdecode reads the byte 0xE9 as the lone surrogate U+DCE9: the statement's name (the
    # file's stem) then holds one, and every format writes it.
    name = os.fsdecode(b"caf\xe9.toml")
    claims = tmp_path / name
    claims.write_text(claim_toml("fine", "quote", QUOTE, f"{server}/fine"), encoding="utf-8")
    code, out, err = check(claims, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["claims"][0]["statement"] == "caf\ufffd"
    # (ClaimReview with the review's URL and author Google asks for: no warning.)
    review = ("--review-url", "https://example.org/review", "--author", "Checkers")
    for format in ("sarif", "claimreview", "junit", "markdown", "github", "text", "html"):
        code, out, err = check(claims, "--offline", "--format", format, *review)  # the capture
        assert (code, err) == (0, ""), format
        out.encode("utf-8")


def test_extract_counts_columns_after_a_byte_order_mark_as_the_loader_does(
    tmp_path: Path,
) -> None:
    statement = tmp_path / "statement.md"
    statement.write_text("\ufeffOfficials said “the border stays open” today.\n", "utf-8")
    claims = tmp_path / "claims.toml"
    code, _, err = run_cli("extract", statement, "-o", claims)
    assert code == 0, err
    assert "statement.md:1:17: quote 'the border stays open'" in err
    assert "# statement.md:1:17" in claims.read_text(encoding="utf-8")

"""A UTF-8 byte order mark (what Windows editors write at the start of a "UTF-8" file) is not
content: a claims file, its statement's text and a fetch configuration that start with one read
as they do without it.

Internals tested directly (private modules): the loader of a claims file's text
(``claimcheck.claimsfile._load.loads``)."""

from __future__ import annotations

from pathlib import Path

import claimcheck
from claimcheck.claimsfile._load import loads
from claimcheck.sources import ArchiveConfig

BOM = "\ufeff"
STATEMENT = "Officials said “the border stays open” on Monday.\n"
CLAIMS = """\
[statement]
id = "letter"
text = "statement.md"

[[claim]]
id = "open"
kind = "quote"
text = "the border stays open"

[[claim.source]]
url = "https://example.org/news"
"""


def test_a_claims_file_and_its_statement_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    marked = tmp_path / "marked"
    for folder, mark in ((plain, ""), (marked, BOM)):
        folder.mkdir()
        (folder / "statement.md").write_text(mark + STATEMENT, encoding="utf-8")
        (folder / "claims.toml").write_text(mark + CLAIMS, encoding="utf-8")
    expected = claimcheck.load(plain / "claims.toml")
    loaded = claimcheck.load(marked / "claims.toml")
    assert loaded.name == expected.name == "letter"
    [claim] = loaded.claims
    assert claim.text == "the border stays open"
    # the mark is not a column: the quote is where an editor shows it
    assert claim.location == expected.claims[0].location
    assert claim.location is not None
    assert (claim.location.line, claim.location.column) == (1, 17)


def test_loads_skips_a_byte_order_mark_too() -> None:
    assert loads(BOM + CLAIMS.replace('text = "statement.md"\n', "")).name == "letter"


def test_a_configuration_file_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "claimcheck.toml"
    path.write_text(BOM + '[archives]\nwayback = "https://archive.example"\n', encoding="utf-8")
    assert ArchiveConfig.from_file(path).wayback == "https://archive.example"

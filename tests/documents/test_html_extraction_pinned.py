"""HTML extraction pinned: real pages of the corpus give the text (and regions, title, language,
date, readability) they gave before the extractor was made faster, and the ASCII fast path of
the page-furniture test agrees with its general, case-insensitive patterns.

Internals tested directly (private module): ``claimcheck.documents._html_source``'s furniture
test, against the patterns it stands in for."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimcheck.documents._html_source as _html_source
from claimcheck.documents import Text, extract_text

# Page (first 8 characters of its file name) -> fingerprint of its Text, as extracted before
# issue 17's extraction speed-ups (news pages of 50 KB to 1 MB, each with an article region).
PINNED = {
    "04a6711c": "7c25b15e9430d97cf360",
    "2c46804d": "ae1e5d214771ced977d2",
    "4a44ab3e": "ba3650a462979a94a1ec",
    "6ebac05f": "db18623cac4fbb2a89eb",
    "8380689f": "8e8ea4f73631058d58dc",
    "9eef8162": "0e1f2441fd27a503017c",
    "c58aa507": "58b0d58caaa7b71a8311",
    "ffc109d4": "b6b717a28e919d38a584",
}


def fingerprint(text: Text) -> str:
    regions = ";".join(f"{r.label}:{r.start}-{r.end}" for r in text.regions)
    fields = [text.text, regions, *map(str, (text.title, text.language, text.published))]
    fields.append(str(text.unreadable))
    return hashlib.sha256("\x00".join(fields).encode("utf-8")).hexdigest()[:20]


@pytest.mark.parametrize("page", sorted(PINNED))
def test_corpus_pages_extract_as_pinned(corpus_dir: Path, page: str) -> None:
    found = sorted((corpus_dir / "news-html" / "html").glob(f"{page}*.html.gz"))
    if not found:
        pytest.skip(f"page {page} not in the corpus")
    data = gzip.decompress(found[0].read_bytes())
    assert fingerprint(extract_text(data, "text/html; charset=utf-8")) == PINNED[page]


def general(marks: str) -> bool:
    """The furniture test with the case-insensitive patterns alone (what any marks get)."""
    furniture = _html_source._BOILERPLATE_MARKS.search(marks) is not None
    return furniture and not _html_source._ARTICLE_MARKS.search(marks)


MARK_WORDS = [
    *_html_source._BOILERPLATE_WORDS,
    *_html_source._ARTICLE_WORDS,
    "nav",
    "Nav",
    "NAVBAR",
    "Comment",
    "ARTICLE",
    "main-nav",
    "unav",
]
ascii_marks = st.lists(
    st.one_of(st.sampled_from(MARK_WORDS), st.text("abcmnotuvAMN_- \t", max_size=8)),
    max_size=6,
).map("".join)


@given(ascii_marks, ascii_marks)
def test_ascii_furniture_test_agrees_with_the_general_patterns(classes: str, ident: str) -> None:
    marks = f"{' '.join(classes.split())} {ident}"
    assert _html_source._marked_as_furniture((classes, ident)) == general(marks)

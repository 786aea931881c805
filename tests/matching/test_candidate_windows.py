"""Where a quote that leaves words out is looked for (issue 15's accuracy benchmark): a passage
where one word of the quote recurs ("an online business … a viable online business") must not
outvote the passage where every rare word of the quote stands, though the omission splits that
passage's votes across two diagonals. On a real page of the corpus (skipped without it)."""

from __future__ import annotations

import gzip
from pathlib import Path

from claimcheck import Status
from claimcheck.documents import extract_text
from claimcheck.matching import match_quote

PAGE = "c582d3b7"  # a news page that says "online business" a dozen times


def test_a_quote_that_leaves_words_out_is_found_where_its_words_are(corpus_dir: Path) -> None:
    (path,) = (corpus_dir / "news-html" / "html").glob(f"{PAGE}*.html.gz")
    text = extract_text(gzip.decompress(path.read_bytes()), "text/html")
    # The page: 'But they were completely baffled by this "online business thing."'
    evidence = match_quote("But they this \u201conline business thing.\u201d", text)
    assert evidence.status is Status.DRIFTED, evidence.explanation


def test_a_quote_that_leaves_many_words_out_is_drifted_not_absent(corpus_dir: Path) -> None:
    # The page: "Noem saw the Twitter reaction and ... doubled down on the slogan." The quote
    # leaves eight of its tokens out: its passage is twice its length, longer than the window a
    # quote is first looked for in.
    (path,) = (corpus_dir / "news-html" / "html").glob("3f65af7b*.html.gz")
    text = extract_text(gzip.decompress(path.read_bytes()), "text/html")
    evidence = match_quote("Noem saw doubled down on the slogan.", text)
    assert evidence.status is Status.DRIFTED, evidence.explanation

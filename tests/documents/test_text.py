"""Tests for source text extraction (claimcheck.documents: extract_text and its cache).

Internals tested directly (private modules): the HTML reader and the extraction module
(``claimcheck.documents._html_source``, ``._extraction``), patched to simulate parser failures."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import claimcheck.documents._extraction as _extraction
import claimcheck.documents._html_source as _html_source
from claimcheck.documents import (
    ExtractionCache,
    Region,
    Text,
    extract_text,
    region_at,
    text_from_string,
)
from claimcheck.errors import TextExtractionError


def html(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def body_text(body: str) -> str:
    return extract_text(html(body), "text/html").text


class TestSeparators:
    def test_inline_elements_add_no_whitespace(self) -> None:
        assert body_text("<p>a <a href='#'>word</a>, b</p>") == "a word, b"
        assert body_text("<p><span>x</span><span>y</span><em>z</em></p>") == "xyz"
        assert body_text("<p>10<sup>2</sup> and H<sub>2</sub>O, <q>q</q>.</p>") == "102 and H2O, q."

    def test_block_elements_separate(self) -> None:
        assert body_text("<div>one</div><div>two</div>") == "one\ntwo"
        assert body_text("<p>one</p><p>two</p>") == "one\n\ntwo"
        assert body_text("<ul><li>a</li><li>b</li></ul><h2>c</h2>") == "a\nb\n\nc"

    def test_table_cells_and_rows(self) -> None:
        table = "<table><tr><th>year</th><td>189</td></tr><tr><td>x</td><td>y</td></tr></table>"
        assert body_text(table) == "year\t189\nx\ty"

    def test_whitespace_collapses_inside_blocks(self) -> None:
        assert body_text("<p>  a \n\t b  <b> c </b> d </p>") == "a b c d"

    def test_br(self) -> None:
        assert body_text("<p>line<br>break<br/>again</p>") == "line\nbreak\nagain"

    def test_pre_keeps_whitespace(self) -> None:
        # The newline right after <pre> is dropped, as browsers do.
        assert body_text("<p>x</p><pre>\n  a  =  1\n\tb <b>bold</b></pre>") == (
            "x\n\n  a  =  1\n\tb bold"
        )

    def test_entities_are_decoded(self) -> None:
        assert body_text("<p>&amp; &eacute; &#8364; &lt;b&gt; a&nbsp;b</p>") == "& é € <b> a\xa0b"


class TestDropped:
    def test_invisible_content_is_dropped(self) -> None:
        text = body_text(
            "<script>var secret = 1;</script><style>p { color: red }</style>"
            "<template><p>tpl</p></template><noscript>enable js</noscript>"
            "<svg><title>icon</title><text>svgtext</text></svg><!-- a comment -->"
            "<input type='hidden' value='hidden'><p>visible</p>"
        )
        assert text == "visible"

    def test_head_is_dropped_except_title(self) -> None:
        head = "<title>The title</title><meta name='description' content='desc'><style>x</style>"
        t = extract_text(html("<p>body</p>", head))
        assert t.text == "The title\n\nbody"
        assert t.title == "The title"

    def test_ruby_annotations_are_dropped(self) -> None:
        assert body_text("<p><ruby>漢<rt>kan</rt>字<rp>(</rp><rt>ji</rt></ruby></p>") == "漢字"


class TestCharsets:
    def test_meta_charset(self) -> None:
        page = "<html><head><meta charset='windows-1252'></head><body><p>Café “x”</p></body>"
        t = extract_text(page.encode("cp1252"))
        assert t.text == "Café “x”"
        assert t.charset == "cp1252"

    def test_meta_http_equiv(self) -> None:
        page = (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
            "</head><body><p>Привет</p></body></html>"
        )
        assert extract_text(page.encode("koi8-r")).text == "Привет"

    def test_header_charset_and_argument(self) -> None:
        data = "<p>Grüße aus Köln</p>".encode("latin-1")
        assert extract_text(data, "text/html; charset=ISO-8859-1").text == "Grüße aus Köln"
        # The explicit argument wins over the header.
        data = "<p>Grüße</p>".encode()
        assert extract_text(data, "text/html; charset=latin-1", charset="utf-8").text == "Grüße"

    def test_header_wins_over_meta(self) -> None:
        page = "<html><head><meta charset='utf-8'></head><body><p>Ça va</p></body></html>"
        t = extract_text(page.encode("cp1252"), "text/html; charset=windows-1252")
        assert t.text == "Ça va"

    def test_bom_wins_over_declarations(self) -> None:
        data = b"\xef\xbb\xbf" + "<p>Straße</p>".encode()
        t = extract_text(data, "text/html; charset=iso-8859-1")
        assert t.text == "Straße"
        assert t.charset == "utf-8"

    def test_utf16_with_bom(self) -> None:
        page = "<html><head><title>Tïtle</title></head><body><p>Ünïcode ✓</p></body></html>"
        for codec in ("utf-16-le", "utf-16-be"):
            bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
            t = extract_text(bom + page.encode(codec))
            assert t.text == "Tïtle\n\nÜnïcode ✓"
            assert t.media_type == "text/html"

    def test_latin1_served_as_utf8(self) -> None:
        page = (
            "<html><head><meta charset='utf-8'><title>Café</title></head><body>"
            "<p>Le café est très bon, déjà vu, à la crème brûlée. Größe über alles.</p>"
            "</body></html>"
        )
        t = extract_text(page.encode("latin-1"), "text/html; charset=utf-8")
        assert "Le café est très bon, déjà vu, à la crème brûlée. Größe über alles." in t.text
        assert t.readable

    def test_mostly_utf8_with_a_stray_byte_stays_utf8(self) -> None:
        data = ("<p>" + "naïve café " * 20 + "</p>").encode() + b"<p>stray \xe9 byte</p>"
        t = extract_text(data, "text/html; charset=utf-8")
        assert "naïve café" in t.text
        assert t.charset == "utf-8"

    def test_unknown_charset_label_is_ignored(self) -> None:
        t = extract_text("<p>Ökonomie</p>".encode(), "text/html; charset=x-no-such-charset")
        assert t.text == "Ökonomie"

    def test_escape_codecs_are_not_charsets(self) -> None:
        t = extract_text(b"<p>a\\x41b</p>", "text/html; charset=unicode_escape")
        assert t.text == "a\\x41b"

    def test_xml_declaration_with_encoding(self) -> None:
        # XHTML is read as HTML, from bytes or from a str that still declares its encoding.
        page = (
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>Été</title>'
            "</head><body><p>Café crème</p></body></html>"
        )
        t = extract_text(page.encode("latin-1"), "application/xhtml+xml")
        assert (t.text, t.title, t.language, t.charset) == (
            "Été\n\nCafé crème",
            "Été",
            "fr",
            "cp1252",
        )
        s = text_from_string(page, "application/xhtml+xml")
        assert (s.text, s.title, s.language) == (t.text, t.title, t.language)


class TestRegions:
    PAGE = html(
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        "<article><h1>Headline</h1>"
        + "".join(
            f"<p>Paragraph {n} of the story, long enough to count as text.</p>" for n in "12345"
        )
        + "</article><footer>Copyright footer</footer>",
        "<title>Page title</title>",
    )

    def test_title_region(self) -> None:
        t = extract_text(self.PAGE)
        title = t.regions[0]
        assert title == Region("title", 0, len("Page title"), "title")
        assert t.text[title.start : title.end] == "Page title"
        assert t.text.startswith("Page title\n\n")

    def test_article_region_offsets_are_exact(self) -> None:
        t = extract_text(self.PAGE)
        (article,) = (region for region in t.regions if region.label == "article")
        assert article.name == "article body"
        content = t.text[article.start : article.end]
        assert content.startswith("Headline\n\nParagraph 1")
        assert content.endswith("Paragraph 5 of the story, long enough to count as text.")

    def test_region_at(self) -> None:
        t = extract_text(self.PAGE)
        assert region_at(t, 0) == "title"
        assert region_at(t, t.text.index("Home")) == "page furniture"
        assert region_at(t, t.text.index("Paragraph 3")) == "article body"
        assert region_at(t, t.text.index("Copyright")) == "page furniture"
        assert region_at(t, len(t.text) + 1) is None
        assert region_at(t, -1) is None

    def test_densest_block_beats_teaser_articles(self) -> None:
        # <article> often marks teasers or comments; the text itself decides.
        story = "".join(f"<p>Sentence {n} of the real story, which is long.</p>" for n in range(9))
        page = html(
            "<article><p>Teaser one is short.</p></article>"
            f"<div class='story'>{story}</div>"
            "<article><p>Teaser two is also short.</p></article>"
        )
        t = extract_text(page)
        assert region_at(t, t.text.index("Sentence 4")) == "article body"
        assert region_at(t, t.text.index("Teaser one")) == "page furniture"

    def test_comments_inside_article_are_trimmed(self) -> None:
        story = "".join(f"<p>Story sentence {n} that is long enough.</p>" for n in range(9))
        page = html(
            f"<article><div class='entry-content'>{story}</div>"
            "<div id='comments'><div class='comment'><p>A comment</p></div></div></article>"
        )
        t = extract_text(page)
        assert region_at(t, t.text.index("Story sentence 8")) == "article body"
        assert region_at(t, t.text.index("A comment")) == "page furniture"

    def test_br_separated_text_is_found(self) -> None:
        lines = "<br>".join(f"Line {n} of a story written with line breaks only." for n in range(9))
        t = extract_text(html(f"<div class='menu'><a>a</a></div><div>{lines}</div>"))
        assert region_at(t, t.text.index("Line 5")) == "article body"

    def test_plain_text_has_no_regions(self) -> None:
        t = extract_text(b"just text", "text/plain")
        assert t.regions == ()
        assert region_at(t, 0) is None


class TestUnreadable:
    def test_script_only_shell(self) -> None:
        page = html(
            '<div id="root"></div><script src="/static/js/main.js"></script>',
            "<title>App</title>",
        )
        t = extract_text(page)
        assert t.unreadable == "script-only"
        assert not t.readable

    def test_noscript_asking_for_javascript(self) -> None:
        page = html("<noscript>You need to enable JavaScript to run this app.</noscript><p>…</p>")
        assert extract_text(page).unreadable == "script-only"
        # In <head> too, and the text of a <noscript> is read across its elements.
        head = "<noscript><p>Please enable Java</p><b>Script</b></noscript>"
        assert extract_text(html("<p>…</p>", head)).unreadable == "script-only"

    def test_empty_body(self) -> None:
        assert extract_text(html("")).unreadable == "empty"
        assert extract_text(html("  \n <div> </div> ", "<title>T</title>")).unreadable == "empty"
        assert extract_text(b"", "text/html").unreadable == "empty"

    def test_short_page_without_scripts_is_readable(self) -> None:
        t = extract_text(html("<p>Short but real.</p>"))
        assert t.readable
        assert t.unreadable is None

    def test_undecodable(self) -> None:
        assert extract_text(html("<p>" + "\ufffd" * 50 + " ok</p>")).unreadable == "undecodable"
        assert extract_text(("\ufffd" * 20).encode(), "text/plain").unreadable == "undecodable"


class TestMetadata:
    def test_language_title_published(self) -> None:
        page = (
            '<html lang="de-DE"><head><title>Nachricht</title>'
            '<meta property="article:published_time" content="2019-11-18T10:00:00Z">'
            "</head><body><p>Text.</p></body></html>"
        )
        t = extract_text(page.encode())
        assert t.language == "de-DE"
        assert t.title == "Nachricht"
        assert t.published == dt.date(2019, 11, 18)

    def test_content_language_meta(self) -> None:
        page = '<head><meta http-equiv="Content-Language" content="fr"></head><p>x</p>'
        assert extract_text(page.encode(), "text/html").language == "fr"

    def test_missing_metadata_is_none(self) -> None:
        t = extract_text(html("<p>x</p>"))
        assert (t.language, t.title, t.published) == (None, None, None)

    def test_title_is_the_first_outside_svg(self) -> None:
        t = extract_text(html("<svg><title>icon</title></svg><p>body</p><title>Late title</title>"))
        assert t.title == "Late title"
        assert t.text == "Late title\n\nbody"


class TestMediaTypes:
    def test_sniffing(self) -> None:
        assert extract_text(html("<p>x</p>")).media_type == "text/html"
        assert extract_text(b"  <HTML><p>x</p></HTML>", "application/octet-stream").media_type == (
            "text/html"
        )
        assert extract_text(b"plain words").media_type == "text/plain"

    def test_bytes_win_when_unambiguous(self) -> None:
        error_page = html("<p>Please log in to download this PDF.</p>")
        assert extract_text(error_page, "application/pdf").media_type == "text/html"
        assert extract_text(b"%PDF-1.4 truncated", "text/html").media_type == "application/pdf"

    def test_not_a_document(self) -> None:
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
        with pytest.raises(TextExtractionError):
            extract_text(png, "image/png")
        with pytest.raises(TextExtractionError):
            extract_text(png)
        with pytest.raises(TextExtractionError):
            extract_text(b"PK\x03\x04\x14\x00\x00\x00", "application/zip")
        with pytest.raises(TextExtractionError):
            extract_text(b"not really an image", "image/png")
        with pytest.raises(TextExtractionError):
            extract_text(bytes(range(256)) * 4)
        assert issubclass(TextExtractionError, ValueError)

    def test_a_stray_nul_is_still_text(self) -> None:
        assert extract_text(b"plain text " * 20 + b"with a stray \x00 in it").readable

    def test_plain_text(self) -> None:
        t = extract_text("line one\r\nline two\rthree\n".encode("utf-16"), "text/plain")
        assert t.text == "line one\nline two\nthree\n"
        assert t.media_type == "text/plain"
        assert t.charset == "utf-16-le"
        assert extract_text(b"  \n ", "text/plain").unreadable == "empty"

    def test_text_from_string(self) -> None:
        t = text_from_string("<p>a <b>b</b></p>", "text/html; charset=utf-8")
        assert (t.text, t.media_type, t.charset) == ("a b", "text/html", None)
        t = text_from_string("<p>kept\r\n")
        assert (t.text, t.media_type) == ("<p>kept\n", "text/plain")
        with pytest.raises(TextExtractionError):
            text_from_string("%PDF-1.4", "application/pdf")


class TestRobustness:
    @pytest.mark.parametrize("depth", [5_000, 100_000])
    def test_deep_nesting(self, depth: int) -> None:
        page = "<html><body>" + "<div>" * depth + "deep" + "</div>" * depth + "<p>after</p>"
        t = extract_text(page.encode())
        assert t.text.startswith("deep")
        assert "after" in t.text

    def test_text_beyond_the_depth_of_libxml2_trees(self) -> None:
        # libxml2 stops building a tree at 256 levels (2,048 with huge_tree), dropping the rest
        # of the page; the regions and the text after the deep part must survive.
        story = "".join(f"<p>Sentence {n} of a story nested very deep.</p>" for n in range(9))
        page = html(
            "<div>" * 3_000 + f"<article>{story}</article>" + "</div>" * 3_000 + "<p>end</p>"
        )
        t = extract_text(page)
        assert region_at(t, t.text.index("Sentence 8")) == "article body"
        assert t.text.endswith("deep.\n\nend")

    def test_markup_lxml_rejects_as_a_str_is_read_as_utf8(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        feed = _html_source._feed
        fed: list[str | bytes] = []

        def picky(markup: str | bytes, encoding: str | None) -> _html_source._Events:
            fed.append(markup)
            if isinstance(markup, str):
                raise etree.ParserError("rejected")
            return feed(markup, encoding)

        monkeypatch.setattr(_html_source, "_feed", picky)
        unique = uuid.uuid4().hex
        t = text_from_string(f"<p>Grüße aus <b>Köln</b> {unique}</p>", "text/html")
        assert t.text == f"Grüße aus Köln {unique}"
        assert [type(markup) for markup in fed] == [str, bytes]

    def test_unclosed_and_broken_markup(self) -> None:
        t = extract_text(b"<p>one<p>two<div><span>three</b></i><td>four</table>")
        assert t.text.split() == ["one", "two", "three", "four"]


MARKUP_PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<a href=x>", "</a>", "<pre>", "</pre>", "<br>", "<td>",
    "<table><tr>", "<script>", "</script>", "<!--", "-->", "<title>", "</title>", "<article>",
    "</article>", " ", "\n", "word", "é", "&amp;", "&#0;", "\x00", "<meta charset=utf-16>",
    "<html lang=", ">", "<svg>", "\ufffd", "<main>", "<rt>", "<noscript>", "<textarea>", "\r\n",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(MARKUP_PIECES), max_size=40),
    codec=st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]),
    media_type=st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/plain"]),
)
def test_any_markup_extracts_with_valid_regions(
    pieces: list[str], codec: str, media_type: str | None
) -> None:
    try:
        t = extract_text("".join(pieces).encode(codec, "replace"), media_type)
    except TextExtractionError:  # mostly NULs: binary
        assert "\x00" in pieces
        return
    for region in t.regions:
        assert 0 <= region.start <= region.end <= len(t.text)
    for offset in (0, len(t.text) // 2, len(t.text)):
        region_at(t, offset)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The markup each HTML parse of the test parses, in order."""
    calls: list[str] = []
    parse = _extraction.parse_html

    def counting(markup: str, charset: str | None) -> Text:
        calls.append(markup)
        return parse(markup, charset)

    monkeypatch.setattr(_extraction, "parse_html", counting)
    return calls


class TestCache:
    def test_same_bytes_same_object_parsed_once(self, parsed: list[str]) -> None:
        cache = ExtractionCache()
        data = html(f"<p>cache test {uuid.uuid4()}</p>")
        first = extract_text(data, "text/html", cache=cache)
        assert extract_text(data, "text/html", cache=cache) is first
        assert extract_text(bytes(bytearray(data)), "text/html", cache=cache) is first
        assert len(parsed) == 1
        # A different declared media type is a different extraction.
        extract_text(data, "text/html; charset=windows-1252", cache=cache)
        assert len(parsed) == 2
        # Strings are cached alike, apart from bytes.
        string = f"<p>a string {uuid.uuid4()}</p>"
        assert text_from_string(string, "text/html", cache=cache) is text_from_string(
            string, "text/html", cache=cache
        )
        assert len(parsed) == 3

    def test_without_a_cache_nothing_is_kept(self, parsed: list[str]) -> None:
        # No module-level cache: the caller owns whatever is kept (issue 12).
        data = html(f"<p>no cache {uuid.uuid4()}</p>")
        assert extract_text(data, "text/html") == extract_text(data, "text/html")
        assert len(parsed) == 2

    def test_cache_is_bounded(self) -> None:
        cache = ExtractionCache(size=8)
        for n in range(cache.size + 5):
            extract_text(f"bounded {n} {uuid.uuid4()}".encode(), "text/plain", cache=cache)
        assert len(cache) == cache.size

    def test_a_cache_holds_at_least_one_text(self) -> None:
        with pytest.raises(ValueError, match="at least 1"):
            ExtractionCache(size=0)


# --- PDFs from the shared corpus -----------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_dir(corpus_dir: Path) -> Path:
    directory = corpus_dir / "pdf"
    if not directory.is_dir():
        pytest.skip(f"no PDF corpus at {directory}")
    return directory


def read_pdf(pdf_dir: Path, name: str) -> Text:
    path = pdf_dir / name
    if not path.is_file():
        pytest.skip(f"missing {path}")
    return extract_text(path.read_bytes(), "application/pdf")


READABLE_PDFS = [
    "minimal-document.pdf",
    "002-trivial-libre-office-writer.pdf",
    "google-doc-document.pdf",
    "pdflatex-4-pages.pdf",
    "multicolumn.pdf",
    "crazyones-pdfa.pdf",
    "GeoTopo-komprimiert.pdf",
    "habibi.pdf",
]


class TestPdf:
    @pytest.mark.parametrize("name", READABLE_PDFS)
    def test_readable_without_pdfium_markers(self, pdf_dir: Path, name: str) -> None:
        t = read_pdf(pdf_dir, name)
        assert t.readable, t.unreadable
        assert t.media_type == "application/pdf"
        assert "\x02" not in t.text
        assert "\ufffe" not in t.text
        assert "\r" not in t.text

    def test_hyphenated_words_are_joined(self, pdf_dir: Path) -> None:
        t = read_pdf(pdf_dir, "GeoTopo-komprimiert.pdf")
        for word in ("Übungsaufgaben", "Widerspruchsbeweisen", "unterschiedlichem"):
            assert word in t.text
        assert "Übungsauf-" not in t.text
        # Before a capital the hyphen was a real one.
        assert "Schwarz-Weiß" in t.text
        multicolumn = read_pdf(pdf_dir, "multicolumn.pdf")
        assert "adipiscing" in multicolumn.text

    def test_page_regions(self, pdf_dir: Path) -> None:
        t = read_pdf(pdf_dir, "pdflatex-4-pages.pdf")
        assert [region.name for region in t.regions] == [f"page {n}" for n in range(1, 5)]
        assert t.regions[0].start == 0
        assert t.regions[-1].end == len(t.text)
        for before, after in zip(t.regions, t.regions[1:], strict=False):
            assert t.text[before.end : after.start] == "\n\n"
        for region in t.regions:
            middle = (region.start + region.end) // 2
            assert region_at(t, middle) == region.name
            assert region_at(t, region.end) == region.name  # the separator after the page

    def test_book_pages(self, pdf_dir: Path) -> None:
        t = read_pdf(pdf_dir, "GeoTopo-komprimiert.pdf")
        assert len(t.regions) == 117
        assert region_at(t, t.text.index("Übungsaufgaben")) == "page 2"
        assert t.title == "Geometrie und Topologie"
        assert t.published == dt.date(2016, 12, 31)

    def test_metadata(self, pdf_dir: Path) -> None:
        t = read_pdf(pdf_dir, "002-trivial-libre-office-writer.pdf")
        assert t.language == "en-US"
        assert t.published == dt.date(2022, 4, 3)
        assert read_pdf(pdf_dir, "google-doc-document.pdf").title == "PDF Example Document"

    def test_image_only(self, pdf_dir: Path) -> None:
        t = read_pdf(pdf_dir, "imagemagick-images.pdf")
        assert t.unreadable == "no-text-layer"
        assert len(t.regions) == 6

    def test_encrypted(self, pdf_dir: Path) -> None:
        t = read_pdf(pdf_dir, "libreoffice-writer-password.pdf")
        assert t.unreadable == "encrypted"
        assert t.text == ""

    @pytest.mark.parametrize("name", [*READABLE_PDFS, "imagemagick-images.pdf"])
    def test_truncated(self, pdf_dir: Path, name: str) -> None:
        path = pdf_dir / name
        if not path.is_file():
            pytest.skip(f"missing {path}")
        data = path.read_bytes()
        t = extract_text(data[: len(data) // 2])
        assert t.media_type == "application/pdf"
        assert t.unreadable == "damaged" or t.readable

"""Hostile encodings: whatever bytes and charset a server sends, and whatever string a caller
passes, the text that enters the pipeline is well-formed Unicode (no lone surrogates), and it is
decoded as a browser would show it: a charset no browser decodes (UTF-7, the escape codecs) is
ignored, as the WHATWG Encoding Standard ignores an unknown label.

A lone surrogate (U+D800 to U+DFFF on its own) is a Python string that no UTF-8 writer can
write: JSON, SQLite, XML and the terminal all fail on it. UTF-7 decodes ``+2AA-`` to one."""

from __future__ import annotations

import base64
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.documents import extract_text, read_statement, text_from_string
from claimcheck.errors import TextExtractionError
from claimcheck.model import well_formed

LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def assert_well_formed(text: str) -> None:
    assert not LONE_SURROGATE.search(text), ascii(text)
    text.encode("utf-8")  # what every writer does in the end


def test_a_utf7_page_is_read_as_a_browser_shows_it() -> None:
    # Browsers do not decode UTF-7 (WHATWG Encoding: "utf-7" is no label, so it is ignored and
    # the page is read as the default or sniffed encoding): the "+...-" runs are shown as is.
    data = b"<html><body><p>the minister said +2AA- and +AEEAQgBD- here</p></body></html>"
    t = extract_text(data, "text/html; charset=utf-7")
    assert_well_formed(t.text)
    assert t.text == "the minister said +2AA- and +AEEAQgBD- here"
    assert t.charset != "utf-7"


def test_words_only_utf7_would_show_are_not_read() -> None:
    # "+AHQAaABl...-" is UTF-7 for "the law will not change": a browser shows the "+...-" run
    # as it is, so a quote hidden in it must not verify (claimcheck reads what readers see).
    # (UTF-7 may spell any character in modified base64 of UTF-16, RFC 2152.)
    spelled = base64.b64encode("the law will not change".encode("utf-16-be")).rstrip(b"=")
    hidden = b"+" + spelled + b"-"
    assert hidden.decode("utf-7") == "the law will not change"
    t = extract_text(b"<p>the minister said: " + hidden + b"</p>", "text/html; charset=utf-7")
    assert "the law will not change" not in t.text
    assert hidden.decode("ascii") in t.text


def test_utf7_in_a_meta_tag_or_plain_text_is_ignored_too() -> None:
    page = b"<html><head><meta charset='utf-7'></head><body><p>a +2AA- b</p></body></html>"
    assert extract_text(page).text == "a +2AA- b"
    plain = extract_text(b"a +2AA- b +2AD-", "text/plain; charset=UTF-7")
    assert plain.text == "a +2AA- b +2AD-"


def test_labels_browsers_do_not_know_are_ignored() -> None:
    ignored = ("utf-7", "unicode-1-1-utf-7", "csunicode11utf7", "hz", "rot13", "base64", "cp037")
    for label in ignored:
        t = extract_text("<p>Ökonomie +2AA-</p>".encode(), f"text/html; charset={label}")
        assert t.text == "Ökonomie +2AA-", label


def test_web_encodings_are_still_honoured() -> None:
    cases = {
        "koi8-r": "Привет",
        "windows-1251": "Привет",
        "shift_jis": "日本語",
        "euc-jp": "日本語",
        "iso-2022-jp": "日本語",
        "gb2312": "中文",
        "big5": "中文",
        "euc-kr": "한국어",
        "iso-8859-7": "Ελληνικά",
        "windows-1255": "עברית",
    }
    for label, words in cases.items():
        t = extract_text(f"<p>{words}</p>".encode(label), f"text/html; charset={label}")
        assert t.text == words, label


LABELS = (
    "utf-7 utf-8 utf-16 utf-16-le utf-16-be utf-32 cp1252 iso-2022-jp shift_jis gb18030 big5 "
    "koi8-r x-no-such-charset"
).split()


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=200),
    label=st.sampled_from([None, *LABELS]),
    kind=st.sampled_from(["text/html", "text/plain", None]),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"+2AA-", b"<p>"]),
)
def test_any_bytes_in_any_charset_decode_to_well_formed_text(
    data: bytes, label: str | None, kind: str | None, prefix: bytes
) -> None:
    media_type = None if kind is None else kind + (f"; charset={label}" if label else "")
    try:
        t = extract_text(prefix + data, media_type)
    except TextExtractionError:
        return  # binary: refused, nothing enters
    assert_well_formed(t.text)
    for field in (t.title, t.language):
        if field is not None:
            assert_well_formed(field)


def test_strings_given_by_a_caller_are_made_well_formed() -> None:
    for media_type in ("text/plain", "text/html"):
        t = text_from_string("a \ud800 b \udfff c", media_type)
        assert t.text == "a \ufffd b \ufffd c"
    statement = read_statement("He said \u201cno \udc80 way\u201d.", "text")
    assert_well_formed(statement.source)
    assert_well_formed(statement.prose.text)
    assert len(statement.source) == len("He said \u201cno \udc80 way\u201d.")  # offsets kept


def test_well_formed_replaces_only_lone_surrogates() -> None:
    assert well_formed("a\ud800b\udc00c\ud83d") == "a\ufffdb\ufffdc\ufffd"
    kept = "plain, é, 😀 (a pair in UTF-16, one code point here), \ufffe \U0010ffff \x00"
    assert well_formed(kept) == kept
    assert well_formed("\ud83d\ude00") == "\ufffd\ufffd"  # a pair of surrogate code points

"""The fast normaliser gives exactly what the character-by-character one gave (issue 17: one
quote on a fresh source paid ~300 ms per MB of normalising).

The reference below is the earlier implementation, kept here only: it folded each run of special
characters (with the ASCII character before it) in a Python loop over the whole text and read the
tokens one match object at a time. The property compares everything a normalised text holds: the
canonical text, tokens, their starts in it and in the folded text, the offset map's segments, and
what spans map back to.

Both ways of normalising are compared (``keep_gaps``: the whitespace before each token kept, or
worked out again by folding a chunk when a span is mapped back), on arbitrary text and on the
news pages of the corpus (skipped without it).

Internals tested directly: the reference is built from the modules' unchanged private steps
(cluster folding, the offset map, the token pattern), and the chunk size is made small so that
short texts are cut too.
"""

from __future__ import annotations

import gzip
import re
from array import array
from itertools import accumulate
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimcheck.documents import extract_text
from claimcheck.language import NormalizedText, normalize
from claimcheck.language import _folding as folding
from claimcheck.language import _normalize as module
from support import chunks_of, stored_state

_REFERENCE_RUN = re.compile(r"[\x20-\x7e]?[^\t\n\r\x20-\x5f\x61-\x7e]+")


def _reference_fold(original: str) -> tuple[str, module._OffsetMap]:
    pieces: list[str] = []
    offsets = module._OffsetMap(len(original))
    derived = 0
    copied_until = 0

    def copy(until: int) -> None:
        nonlocal derived, copied_until
        if until > copied_until:
            piece = original[copied_until:until].lower()
            offsets.add(derived, copied_until, until, copy=True)
            pieces.append(piece)
            derived += len(piece)
            copied_until = until

    for match in _REFERENCE_RUN.finditer(original):
        copy(match.start())
        run = match.group()
        if folding._CLUSTERED.search(run) is None:
            folded_run = run.translate(folding._FOLD_TABLE)
            if len(folded_run) == len(run) and folding._NOT_ONE_TO_ONE.isdisjoint(run):
                offsets.add(derived, match.start(), match.end(), copy=True)
                pieces.append(folded_run)
                derived += len(folded_run)
                copied_until = match.end()
                continue
        after_superscript = False
        for start, end in folding._clusters(run):
            cluster = run[start:end]
            folded = folding._normalize_cluster(cluster, after_superscript)
            after_superscript = cluster[0] in folding._SUPERSCRIPT_DIGITS
            if folded:
                linear = len(folded) == len(cluster)
                offsets.add(derived, match.start() + start, match.start() + end, copy=linear)
                pieces.append(folded)
                derived += len(folded)
        copied_until = match.end()
    copy(len(original))
    return "".join(pieces), offsets


def _reference(original: str) -> NormalizedText:
    self = NormalizedText.__new__(NormalizedText)
    self.original = original
    pre, self._pre_to_original = _reference_fold(original)
    self.tokens = []
    self._token_pre_starts = array("q")
    for match in folding._TOKEN.finditer(pre):
        self.tokens.append(match.group())
        self._token_pre_starts.append(match.start())
    self.text = " ".join(self.tokens)
    self.token_starts = array(
        "q", accumulate((len(t) + 1 for t in self.tokens[:-1]), initial=0) if self.tokens else ()
    )
    self._index = None
    return self


def _assert_same(text: str) -> None:
    # first with no run folded yet (all folded at once), then with all of them cached
    folding._RUN_FOLDS.clear()
    for keep_gaps in (False, True):
        _assert_same_made(text, keep_gaps)


def _assert_same_made(text: str, keep_gaps: bool) -> None:
    expected = _reference(text)
    made = normalize(text, keep_gaps=keep_gaps)
    assert made.text == expected.text
    assert made.tokens == expected.tokens
    assert made.token_starts == expected.token_starts
    # spans mapped back while the folded starts are worked out a chunk at a time, when asked
    for start in range(0, len(made.text) + 1, max(1, len(made.text) // 7)):
        for end in (start, start + 1, start + 5, len(made.text)):
            assert made.to_original(start, end) == expected.to_original(start, end)
    # every token's start one at a time (lazily), then all of them at once
    lazily = normalize(text, keep_gaps=keep_gaps)
    pre_starts = expected._token_pre_starts
    assert [lazily._pre_start(token) for token in range(len(pre_starts))] == list(pre_starts)
    assert made._pre_starts() == pre_starts
    offsets = expected._pre_to_original
    segments = [offsets._derived_starts, offsets._original_starts, offsets._original_ends]
    assert made.state()["text"] == [expected.text]
    assert made.state()["segments"] == [*segments, [int(copy) for copy in offsets._copy]]
    assert made.token_spans() == expected.token_spans()
    assert normalize(text, keep_gaps=keep_gaps).token_spans() == expected.token_spans()
    # read back from its state (the cache's): the folded starts worked out again by chunk
    restored = NormalizedText.from_state(text, stored_state(made.state()))
    assert restored.text == expected.text
    assert list(restored.tokens) == list(made.tokens) == expected.tokens
    assert restored.token_starts == expected.token_starts
    assert restored.token_spans() == expected.token_spans()
    for start in range(0, len(made.text) + 1, max(1, len(made.text) // 5)):
        assert restored.to_original(start, start + 3) == expected.to_original(start, start + 3)
    # a long text's tokens are read from its text: the same, one by one and by slices
    n = len(expected.tokens)
    assert [made.tokens[i] for i in range(-n, n)] == expected.tokens * 2
    for first in range(0, n + 1, max(1, n // 4)):
        for stop in (first, first + 1, first + 3, n + 2):
            assert made.tokens[first:stop] == expected.tokens[first:stop]


# Everything the normaliser treats specially, with plain ASCII around it.
_CHARACTERS = (
    list("abcXYZ019 ,.'-\t\n\r`^[]()%")
    + list("éÉçñøßİıﬁﬂ")  # accents, dotted capital I, ligatures
    + ["e\u0301", "a\u0308", "\u0301", "\u0327", "\u0915\u093e", "\u0628\u064e"]  # marks
    + list("²³¹⁰⁹½¼⅓⅞⁄")  # superscripts and fractions
    + list("‘’“”«»‹›′″´ʼ")  # curly quotes, guillemets, primes
    + list("‐‑–—−…")  # dashes, minus, ellipsis
    + ["\u00ad", "\u200b", "\u200d", "\ufeff", "\u200f", "\u0002", "\ufffe", "\u0640"]
    + list("٠١٢٣٤٥٦٧٨٩٬٫،۴")  # Arabic-Indic digits and separators
    + ["\x00", "\x07", "\x1c", "\x7f", "\x85", "\u2028", "\u00a0", "\u3000", "\u2009"]
    + list("ЖжΣσςａＢ１２™№℃㎏")  # Cyrillic, Greek, fullwidth, compatibility letterlike
    + ["don't", "100,000", "3.5", "x^2", "  ", "\n\n"]
    # past the BMP: an emoji, a keycap, combining marks (musical, Brahmi) and a variation
    # selector that the token pattern's marks leave out
    + ["\U0001f600", "1\ufe0f\u20e3", "\u2764\ufe0f", "\U0001d167", "\U00011038", "\U000e0100"]
)
_TEXTS = st.lists(st.sampled_from(_CHARACTERS), max_size=80).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
@example("")
@example("a\u0301 b")  # a mark after an ASCII letter composes with it
@example(" \u0301x")
@example("`\u0301")
@example("x²³ ½2")
@example("a\u00adb\u00adc")  # deleted characters between copied ones
@example("x\U0001d167 e\u0301")  # a mark past the BMP after a letter
def test_the_normaliser_gives_what_the_reference_gave(text: str) -> None:
    _assert_same(text)


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.integers(min_value=1, max_value=12))
def test_cutting_into_chunks_changes_nothing(text: str, chunk: int) -> None:
    with chunks_of(chunk):
        _assert_same(text)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_normalises_as_before(text: str) -> None:
    with chunks_of(5):
        _assert_same(text)
    _assert_same(text)


def test_a_long_mixed_text_normalises_as_before() -> None:
    text = " ".join(_CHARACTERS * 40) + "\n" + "plain words and more " * 3000
    _assert_same(text)
    with chunks_of(97):
        _assert_same(text)


def test_the_run_cache_is_bounded() -> None:
    saved = module._RUN_CACHE_LIMIT
    module._RUN_CACHE_LIMIT = 3
    try:
        with chunks_of(4):
            _assert_same(" ".join(f"w{chr(0x430 + k)}" for k in range(30)))
        assert len(folding._RUN_FOLDS) <= 3 + 30
    finally:
        module._RUN_CACHE_LIMIT = saved


def test_whitespace_longer_than_a_byte_holds_changes_nothing() -> None:
    # The gaps between tokens are kept a byte each: a chunk with a longer one is folded again.
    text = "a\u00bd b" + " " * 300 + "c, \u2026d" + "\n" * 256 + "e\u0301 f  g"
    with chunks_of(9):
        _assert_same(text * 3)
    _assert_same(text * 40)


def test_tokens_longer_than_a_byte_holds_change_nothing() -> None:
    # Where tokens start is summed from their lengths a byte each: a chunk with a token of 255
    # characters or more is summed otherwise.
    text = "a " + "w" * 254 + " b, " + "x" * 255 + " c " + "1" * 300 + " d\u00e9"
    with chunks_of(400):
        _assert_same(text * 3)
    _assert_same(text * 40)


def test_a_run_folded_to_a_tab_is_folded_run_by_run() -> None:
    # No character folds to a tab (the separator the runs are translated joined by); were one
    # to, the runs would be folded one by one, as before.
    table = folding._FOLD_TABLE
    table[ord("\u2603")] = "a\tb"
    try:
        _assert_same("x\u2603y \u00e9 \u2026 \u2603\u2603 z\u00e9")
        runs = ["\u2603", "\u00e9", "\u2026"]
        assert folding._folds(runs) == [folding._RUN_FOLDS[run] for run in runs]
    finally:
        del table[ord("\u2603")]
        folding._RUN_FOLDS.clear()


def test_the_news_pages_normalise_as_before(corpus_dir: Path) -> None:
    # Real pages of many languages and scripts (skipped without the corpus), each alone and
    # all joined into one long text of many chunks.
    paths = sorted((corpus_dir / "news-html" / "html").glob("*.html.gz"))
    texts = [extract_text(gzip.decompress(path.read_bytes()), "text/html").text for path in paths]
    for text in texts:
        _assert_same(text)
    joined = "\n\n".join(texts)
    expected, made = _reference(joined), normalize(joined, keep_gaps=True)
    assert made.text == expected.text
    assert made.token_starts == expected.token_starts
    assert made._pre_starts() == expected._token_pre_starts
    offsets = expected._pre_to_original
    segments = [offsets._derived_starts, offsets._original_starts, offsets._original_ends]
    assert made.state()["segments"] == [*segments, [int(copy) for copy in offsets._copy]]
    assert made.token_spans() == expected.token_spans()

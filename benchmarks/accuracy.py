"""Matching accuracy of claimcheck on real news pages, side by side with a naive fuzzy baseline.

Why: claimcheck's promise is that it tells a verbatim (or legitimately edited) quote from a quote
whose meaning drifted by one material edit, and both from a quote that is not in the source. A
single fuzzy score cannot do that (``reference/matching.md`` §1.8: a changed digit still scores
~99, an inserted "not" ~97), so this benchmark measures exactly those distinctions, and prints the
same tables for a naive ``partial_ratio`` baseline computed in the same process over the same
cases, so the numbers can be compared directly.

Corpus: the 97 real news pages of ``../shared/corpus/news-html`` (raw gzipped HTML plus the
ground-truth article text, ScrapingHub article-extraction benchmark, MIT). They are read in place,
never copied into the project. When the corpus is absent the script says so and exits 0.

Cases (deterministic for a given ``--seed``): sentences of each page's ground-truth article body
that really occur in the page are turned into

- quotes expected *verified* (verbatim, typographic variant, case change, correct ellipsis,
  bracketed editorial insertion, truncation),
- quotes expected *drifted*, one material edit each (digit, number word, negation, hedge, date,
  word substitution, silent omission, stitched quote),
- quotes expected *absent* (a sentence of another page),
- figure and date claims (with context words) expected verified, drifted or absent.

Run from the project root::

    python benchmarks/accuracy.py                      # full run, report on stdout
    python benchmarks/accuracy.py --limit-pages 5      # quick smoke run
    python benchmarks/accuracy.py --output benchmarks/accuracy.txt

``main(argv)`` is importable and returns the exit status, so a test can do a tiny smoke run.
"""

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = (
    Path(
        os.environ.get("CLAIMCHECK_CORPUS")
        or Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
    / "news-html"
)
DEFAULT_SEED = 20211

#: Sentences shorter or longer than this (in characters) are not used as quotes.
MIN_SENTENCE, MAX_SENTENCE = 60, 300

#: Targets for claimcheck on quotes (the naive baseline is judged by the same yardstick).
TARGET_VERIFIED_RECALL = 0.995
TARGET_DRIFTED_RECALL = 0.98

CLASSES = ("verified", "drifted", "absent")
KINDS = ("quote", "figure", "date")

VERIFIED_VARIANTS = ("verbatim", "typographic", "case", "ellipsis", "brackets", "truncated")
DRIFT_TYPES = (
    "digit",
    "number-word",
    "negation",
    "hedge",
    "date",
    "word",
    "omission",
    "stitched",
)

# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (keeps the word lists below compact)."""
    return frozenset(text.split())


STOPWORDS = _words(
    """
    a about above after again against all also although am an and another any are around as
    at be because been before being below between both but by can could did do does doing
    down during each either even ever every few for from further had has have having he her
    here hers herself him himself his how however i if in into is it its itself just least
    less like made make many may me might more most much must my myself near neither no nor
    not now of off often on once one only or other others our ours ourselves out over own
    per perhaps rather said same say says see she should since so some such than that the
    their theirs them themselves then there these they this those though through thus to too
    toward towards under until up upon us very via was we well were what whatever when where
    whether which while who whom whose why will with within without would yet you your yours
    yourself yourselves get got going gone told tell still back according already being
    across among again along
    """
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBREVIATIONS = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
MONTH_NUMBER = {
    **{name: number for number, name in enumerate(MONTHS, start=1)},
    **MONTH_ABBREVIATIONS,
}
WEEKDAYS = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday
    """
)
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
AUXILIARIES = _words(
    """
    is was has have had will can would are were does did should could must might
    """
)
CONTRACTIONS = {  # negative contraction -> the auxiliary without the negation
    "don't": "do",
    "doesn't": "does",
    "didn't": "did",
    "isn't": "is",
    "wasn't": "was",
    "aren't": "are",
    "weren't": "were",
    "can't": "can",
    "cannot": "can",
    "won't": "will",
    "wouldn't": "would",
    "shouldn't": "should",
    "couldn't": "could",
    "hasn't": "has",
    "haven't": "have",
    "hadn't": "had",
}
NEGATIONS = frozenset({"not", "never", "no", "nor", "none", "nothing", "nobody", "neither"})
HEDGES_INSERTED = ("about", "approximately", "more than", "at least")
_HEDGE_ALT = (
    r"about|around|approximately|roughly|nearly|almost|some|an estimated|estimated|close to"
    r"|just about|more or less|more than|greater than|less than|fewer than|just over"
    r"|just under|well over|well under|over|above|under|below|at least|at most|up to"
    r"|as many as|as much as|upwards of|in excess of|a maximum of|a minimum of|no more than"
    r"|no fewer than|no less than|not more than|not less than|circa"
)
#: Single words that, next to the edge of a truncated quote, would change what it says.
HEDGE_WORDS = _words(
    """
    about around approximately roughly nearly almost some estimated than over above under below
    least most to circa upwards excess maximum minimum
    """
)
#: A hedge directly before a (currency) number, for removing it.
HEDGE_RE = re.compile(rf"\b(?:{_HEDGE_ALT})\s+(?=[$£€]?\d)", re.IGNORECASE)
#: A hedge at the end of a text, for "is this number already hedged?".
HEDGE_BEFORE_RE = re.compile(rf"\b(?:{_HEDGE_ALT})\s+$", re.IGNORECASE)
NUMBER_WORD_GROUPS = (
    ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
    ("hundred", "thousand", "million", "billion"),
    ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
)
NUMBER_WORDS = frozenset(word for group in NUMBER_WORD_GROUPS for word in group)
SCALE_WORDS = ("million", "billion", "trillion", "thousand")
BRACKET_TEXTS = (
    "[the spokesperson]",
    "[the minister]",
    "[the company]",
    "[the officials]",
    "[the report]",
)
PRONOUN_BRACKETS = {
    "he": "[the spokesperson]",
    "she": "[the minister]",
    "they": "[the officials]",
    "them": "[the officials]",
    "him": "[the spokesperson]",
    "it": "[the company]",
    "we": "[the organisers]",
    "his": "[the spokesperson's]",
    "their": "[the group's]",
    "its": "[the company's]",
}
ELLIPSIS_MARKS = (" ... ", " […] ")
#: Words that never count as a content word, a figure's noun or a substitute word.
NON_CONTENT = (
    STOPWORDS
    | NEGATIONS
    | NUMBER_WORDS
    | WEEKDAYS
    | {month.lower() for month in MONTHS}
    | {"percent", "cent", "nearly", "almost", "roughly", "approximately", "least", "never"}
)

# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

_SQUASH_TABLE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)


def _fold(text: str) -> str:
    """NFKC, straight quotes, ASCII hyphens, no invisible characters, casefolded."""
    return unicodedata.normalize("NFKC", text).translate(_SQUASH_TABLE).casefold()


def project(text: str) -> str:
    """Return a case-, quote- and spacing-normalised projection of ``text``, words kept apart.

    Decides whether a sentence *really is* in a page: whitespace runs become one space and
    spaces next to punctuation are dropped (HTML extraction adds them at tag boundaries: ``word
    ,``), but words stay separate words, so a ground-truth artefact such as "Arte mis m oon" for
    the page's "Artemis moon" does not count as located.
    """
    return re.sub(r" ?([^\w ]) ?", r"\1", " ".join(_fold(text).split()))


def squash(text: str) -> str:
    """Return the whitespace-free projection of ``text`` (see :func:`project`).

    The lenient test for "an edited quote is *not* in the page after all": an edit is only
    trusted when even this projection of the page lacks it.
    """
    return "".join(_fold(text).split())


_ABBREVIATIONS = _words(
    """
    mr mrs ms dr gov sen rep st jr sr gen lt col capt prof inc co corp no vs u.s u.k u.n ft
    mt rev sgt adm maj jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e etc ave fig
    approx dept
    """
)
_SENTENCE_END = re.compile(r"""[.!?]['"’”)\]]*(?=\s+['"‘“(\[]?[A-Z0-9])""")


def split_sentences(body: str) -> list[str]:
    """Split an article body into sentences (paragraph by paragraph, abbreviation-aware)."""
    sentences: list[str] = []
    for paragraph in body.splitlines():
        paragraph = paragraph.strip()
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            if match.group().startswith("."):
                words = paragraph[start : match.start()].split()
                previous = words[-1].lstrip("(\"'“‘").lower() if words else ""
                if previous in _ABBREVIATIONS or re.fullmatch(r"[a-z]", previous):
                    continue
            sentence = paragraph[start : match.end()].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
        rest = paragraph[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of the whitespace-separated tokens of ``text``."""
    return [match.span() for match in re.finditer(r"\S+", text)]


def match_case(template: str, word: str) -> str:
    """Return ``word`` capitalised like ``template`` (all caps, initial capital or lower)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def content_words_near(
    sentence: str, position: int, exclude: tuple[int, int], count: int
) -> list[str]:
    """Return ``count`` distinct content words of ``sentence`` nearest to ``position``.

    Words inside the ``exclude`` span (the figure or date itself) are skipped. The words are
    returned in sentence order, as written: they are the claim's *context*.
    """
    candidates: list[tuple[int, int, str]] = []
    for match in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)*", sentence):
        word = match.group()
        if match.start() < exclude[1] and match.end() > exclude[0]:
            continue
        if len(word) < 4 or word.lower() in NON_CONTENT or "'" in word or "’" in word:
            continue
        candidates.append((abs(match.start() - position), match.start(), word))
    chosen: list[tuple[int, str]] = []
    seen: set[str] = set()
    for _distance, start, word in sorted(candidates):
        if word.lower() in seen:
            continue
        seen.add(word.lower())
        chosen.append((start, word))
        if len(chosen) == count:
            break
    return [word for _start, word in sorted(chosen)]


# Numbers: a run of digits with optional thousands groups and decimals, not glued to letters,
# other digits, times, slashes or hyphenated ranges.
NUMBER_RE = re.compile(
    r"(?<![\w.,:/#'’-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w:/]|[.,]\d|[-–]\w)"
)
YEAR_RE = re.compile(r"(?<![\w$£€.,:/-])((?:19|20)\d\d)(?![\w]|[.,]\d)")
_MONTH_ALT = "|".join(MONTHS)
_ABBR_ALT = "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_ALT}|(?:{_ABBR_ALT})\.?)\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_ALT}),?\s+"
    rf"(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<m3>{_MONTH_ALT}),?\s+(?P<y3>(?:19|20)\d\d))(?![\w]|[.,]\d)"
)


def is_year(text: str) -> bool:
    """Whether a number token looks like a year (1900-2099) rather than a quantity."""
    return re.fullmatch(r"(?:19|20)\d\d", text) is not None


def number_key(text: str) -> str:
    """Canonical form of a number token ("3,000" -> "3000") for presence checks."""
    return text.replace(",", "")


_NUMBER_WORD_VALUES = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {
    word: str(10 * value)
    for value, word in enumerate(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2
    )
}


def page_numbers(text: str) -> frozenset[str]:
    """All numbers of a page, canonicalised: digit tokens and the simplest number words."""
    digits = {number_key(m.group(1)) for m in NUMBER_RE.finditer(text)}
    words = {
        _NUMBER_WORD_VALUES[word]
        for word in re.findall(r"[a-z]+", text.lower())
        if word in _NUMBER_WORD_VALUES
    }
    return frozenset(digits | words)


def is_sensitive(token: str) -> bool:
    """Whether dropping ``token`` next to a quote's edge or inside an ellipsis changes its sense.

    Negations ("not", "never", "didn't") and hedges ("more than", "about"): a truncated quote
    that starts just after "No" in "No one has shown symptoms" says the opposite of its source.
    """
    word = token.strip(".,;:!?\"'“”‘’()[]—–-").lower().replace("’", "'")
    return (
        word in NEGATIONS
        or word in HEDGE_WORDS
        or word.endswith("n't")
        or word in ("cannot", "neither")
    )


@dataclass(frozen=True)
class DateMention:
    """A date written in a sentence: its span, surface and (year, month, day or None)."""

    start: int
    end: int
    surface: str
    year: int
    month: int
    day: int | None
    style: str  # "mdy", "dmy" or "my"


def find_dates(text: str) -> list[DateMention]:
    """Find "Month Day, Year", "Day Month Year" and "Month Year" dates in ``text``."""
    mentions = []
    for match in DATE_RE.finditer(text):
        if match.group("m1"):
            month, day, year, style = match.group("m1"), match.group("d1"), match.group("y1"), "mdy"
        elif match.group("m2"):
            month, day, year, style = match.group("m2"), match.group("d2"), match.group("y2"), "dmy"
        else:
            month, day, year, style = match.group("m3"), None, match.group("y3"), "my"
        number = MONTH_NUMBER[month.rstrip(".")]
        if day is not None and not 1 <= int(day) <= DAYS_IN_MONTH[number - 1]:
            continue
        mentions.append(
            DateMention(
                match.start(),
                match.end(),
                match.group(),
                int(year),
                number,
                int(day) if day is not None else None,
                style,
            )
        )
    return mentions


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


@dataclass
class Page:
    """One news page: raw bytes, ground truth, and what the case generator needs to know."""

    id: str
    url: str
    raw: bytes
    naive_text: str  # BeautifulSoup(html, "lxml").get_text(): the baseline's search space
    projected: str  # project(naive_text): "is this sentence really in the page?"
    squashed: str  # squash(naive_text): "is this edited quote really not in the page?"
    words: frozenset[str]  # casefolded words of the page, for "no context word is here"
    sentences: list[str]  # all sentences of the article body, in order
    kept: list[int]  # indexes of sentences of usable length that are located in the page
    candidates: int  # sentences of usable length (located or not)
    numbers: frozenset[str]
    months: frozenset[tuple[int, int]]  # (year, month) of every full date in the page


@dataclass
class Corpus:
    """The loaded pages and what loading them cost."""

    pages: list[Page]
    parse_seconds: float  # BeautifulSoup parsing + get_text, i.e. the baseline's extraction


def load_corpus(directory: Path, limit: int | None = None) -> Corpus:
    """Read ``ground-truth.json`` and the gzipped pages of ``directory`` (sorted by id)."""
    from bs4 import BeautifulSoup

    truth: dict[str, dict[str, str]] = json.loads(
        (directory / "ground-truth.json").read_text(encoding="utf-8")
    )
    pages: list[Page] = []
    parse_seconds = 0.0
    for page_id in sorted(truth)[:limit]:
        path = directory / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        started = time.perf_counter()
        naive_text = BeautifulSoup(raw, "lxml").get_text()
        parse_seconds += time.perf_counter() - started
        projected = project(naive_text)
        sentences = split_sentences(truth[page_id].get("articleBody", ""))
        usable = [
            index
            for index, sentence in enumerate(sentences)
            if MIN_SENTENCE <= len(sentence) <= MAX_SENTENCE
        ]
        kept = [index for index in usable if project(sentences[index]) in projected]
        spaced = " ".join(naive_text.split())
        pages.append(
            Page(
                id=page_id,
                url=truth[page_id].get("url", ""),
                raw=raw,
                naive_text=naive_text,
                projected=projected,
                squashed=squash(naive_text),
                words=frozenset(re.findall(r"\w+", projected)),
                sentences=sentences,
                kept=kept,
                candidates=len(usable),
                numbers=page_numbers(spaced),
                months=frozenset((d.year, d.month) for d in find_dates(spaced)),
            )
        )
    return Corpus(pages, parse_seconds)


def build_vocabulary(pages: Iterable[Page]) -> dict[int, list[str]]:
    """Lower-case content words (>= 5 letters) of all article bodies, grouped by length."""
    words: set[str] = set()
    for page in pages:
        for sentence in page.sentences:
            for word in re.findall(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])", sentence):
                if word not in NON_CONTENT:
                    words.add(word)
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in sorted(words):
        by_length[len(word)].append(word)
    return by_length


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One labelled claim to check against one page.

    ``variant`` is the verified variant, the drift edit type, or ``other-page`` for absent
    claims. ``origin`` is the sentence the claim was made from (for the failure list).
    """

    id: str
    page: str
    kind: str  # quote | figure | date
    expected: str  # verified | drifted | absent
    variant: str
    claim: str
    context: str | None = None
    origin: str = ""


Rng = random.Random
Edit = Callable[[str, Rng], str | None]


# -- verified quote variants -------------------------------------------------------------------


def verbatim(sentence: str, rng: Rng) -> str | None:
    """The sentence exactly as in the article body."""
    return sentence


def typographic(sentence: str, rng: Rng) -> str | None:
    """Swap straight and curly quotes/apostrophes and hyphens/en dashes; double one space."""
    out: list[str] = []
    for index, char in enumerate(sentence):
        before = sentence[index - 1] if index else " "
        after = sentence[index + 1] if index + 1 < len(sentence) else " "
        if char in "‘’":
            out.append("'")
        elif char in "“”":
            out.append('"')
        elif char == "'":
            out.append("‘" if before.isspace() or before in "([" else "’")
        elif char == '"':
            out.append("“" if before.isspace() or before in "([" else "”")
        elif char == "-" and before.isalnum() and after.isalnum():
            out.append("–")
        elif char == "–":
            out.append("-")
        else:
            out.append(char)
    text = "".join(out)
    spaces = [match.start() for match in re.finditer(" ", text)]
    if spaces:
        where = rng.choice(spaces)
        text = text[:where] + "  " + text[where + 1 :]
    return text if text != sentence else None


def case_change(sentence: str, rng: Rng) -> str | None:
    """Lower-case the first letter, or upper-case the whole sentence."""
    if sentence[:1].isupper() and rng.random() < 0.5:
        return sentence[0].lower() + sentence[1:]
    upper = sentence.upper()
    return upper if upper != sentence else None


def ellipsis(sentence: str, rng: Rng) -> str | None:
    """Drop a middle run of 3-8 words, marked with " ... " or " […] "."""
    spans = word_spans(sentence)
    if len(spans) < 11:
        return None
    length = rng.randint(3, min(8, len(spans) - 8))
    start = rng.randint(4, len(spans) - 4 - length)
    if any(is_sensitive(sentence[a:b]) for a, b in spans[start - 1 : start + length + 1]):
        return None  # an ellipsis must not hide a negation or a hedge
    left = sentence[: spans[start - 1][1]]
    right = sentence[spans[start + length][0] :]
    return left + rng.choice(ELLIPSIS_MARKS) + right


def brackets(sentence: str, rng: Rng) -> str | None:
    """Replace a pronoun or a 1-3-word run by bracketed editorial text, or insert "[sic]"."""
    spans = word_spans(sentence)
    options: list[Callable[[], str]] = []
    for start, end in spans:
        word = sentence[start:end]
        if word.lower() in PRONOUN_BRACKETS:
            bracket = PRONOUN_BRACKETS[word.lower()]
            replacement = "[" + match_case(word, bracket[1:])

            def pronoun(start: int = start, end: int = end, replacement: str = replacement) -> str:
                return sentence[:start] + replacement + sentence[end:]

            options.append(pronoun)
    plain = [i for i, (s, e) in enumerate(spans) if re.fullmatch(r"[A-Za-z]+", sentence[s:e])]
    if len(spans) > 6:
        first = rng.randint(1, len(spans) - 4)
        length = rng.randint(1, 3)
        run = list(range(first, first + length))
        sensitive = any(is_sensitive(sentence[slice(*spans[i])]) for i in run)
        if all(i in plain for i in run) and not sensitive:
            bracket = rng.choice(BRACKET_TEXTS)

            def phrase() -> str:
                return sentence[: spans[run[0]][0]] + bracket + sentence[spans[run[-1]][1] :]

            options.append(phrase)
    sic_after = [i for i in plain if 0 < i < len(spans) - 1]
    if sic_after:
        index = rng.choice(sic_after)

        def sic() -> str:
            return sentence[: spans[index][1]] + " [sic]" + sentence[spans[index][1] :]

        options.append(sic)
    return rng.choice(options)() if options else None


def truncated(sentence: str, rng: Rng) -> str | None:
    """A contiguous run of at least 8 words, shorter than the sentence."""
    spans = word_spans(sentence)
    if len(spans) < 9:
        return None
    length = rng.randint(8, len(spans) - 1)
    start = rng.randint(0, len(spans) - length)
    outside = [spans[i] for i in (start - 1, start + length) if 0 <= i < len(spans)]
    if any(is_sensitive(sentence[a:b]) for a, b in outside):
        return None
    quote = sentence[spans[start][0] : spans[start + length - 1][1]]
    after = sentence[spans[start + length - 1][1] :]
    if re.match(r"\d", quote[-1:]) and re.match(r"\s*(?:%|per ?cent|percent)", after, re.I):
        return None  # "rose by 23" cut from "rose by 23 percent" drops the number's unit
    return quote


VERIFIED_EDITS: dict[str, Edit] = {
    "verbatim": verbatim,
    "typographic": typographic,
    "case": case_change,
    "ellipsis": ellipsis,
    "brackets": brackets,
    "truncated": truncated,
}

# -- drifted quote edits -----------------------------------------------------------------------


def _quantities(sentence: str) -> list[re.Match[str]]:
    """Number tokens of ``sentence`` that are quantities (not years, not days of a date)."""
    found = []
    for match in NUMBER_RE.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        currency = sentence[match.start() - 1 : match.start()] in ("$", "£", "€")
        if is_year(match.group(1)) and not currency:
            continue
        if re.search(rf"\b(?:{_MONTH_ALT}|{_ABBR_ALT})\.?$", before):
            continue
        if re.search(r"(?:\bNo\.|#)$", before):
            continue
        found.append(match)
    return found


def change_digit(sentence: str, rng: Rng) -> str | None:
    """Change one digit of a quantity (never a year: that is the ``date`` edit)."""
    numbers = _quantities(sentence)
    if not numbers:
        return None
    match = rng.choice(numbers)
    positions = [i for i, char in enumerate(match.group(1)) if char.isdigit()]
    position = rng.choice(positions)
    old = match.group(1)[position]
    choices = [d for d in "0123456789" if d != old and not (position == 0 and d == "0")]
    where = match.start(1) + position
    return sentence[:where] + rng.choice(choices) + sentence[where + 1 :]


def change_number_word(sentence: str, rng: Rng) -> str | None:
    """Replace a number word ("three", "million") by another of its group."""
    options = []
    for match in re.finditer(r"\b[A-Za-z]+\b", sentence):
        word = match.group().lower()
        for group in NUMBER_WORD_GROUPS:
            if word in group:
                options.append((match, group))
    if not options:
        return None
    match, group = rng.choice(options)
    new = rng.choice([word for word in group if word != match.group().lower()])
    return sentence[: match.start()] + match_case(match.group(), new) + sentence[match.end() :]


def change_negation(sentence: str, rng: Rng) -> str | None:
    """Insert "not" after an auxiliary, or remove an existing "not"/"never"/"n't"."""
    options: list[tuple[int, int, str]] = []
    for match in re.finditer(r"\b([A-Za-z]+)(?=\s+([A-Za-z’']+))", sentence):
        following = match.group(2).lower()
        if match.group(1).lower() in AUXILIARIES and following not in NEGATIONS | {"n't"}:
            options.append((match.end(), match.end(), " not"))
    for match in re.finditer(r"\s+(?:not|never)\b", sentence, re.IGNORECASE):
        options.append((match.start(), match.end(), ""))
    for match in re.finditer(r"\b[A-Za-z]+(?:n[’']t|not)\b", sentence):
        key = match.group().lower().replace("’", "'")
        if key in CONTRACTIONS:
            positive = match_case(match.group(), CONTRACTIONS[key])
            options.append((match.start(), match.end(), positive))
    if not options:
        return None
    start, end, text = rng.choice(options)
    return sentence[:start] + text + sentence[end:]


def change_hedge(sentence: str, rng: Rng) -> str | None:
    """Insert a hedge ("about", "more than", ...) before a quantity, or remove one."""
    options: list[tuple[int, int, str]] = []
    for match in _quantities(sentence):
        start = match.start()
        if sentence[start - 1 : start] in ("$", "£", "€"):
            start -= 1
        if HEDGE_BEFORE_RE.search(sentence[:start]):
            continue
        hedge = rng.choice(HEDGES_INSERTED)
        if start == 0:
            hedge = hedge.capitalize()
        options.append((start, start, hedge + " "))
    for match in HEDGE_RE.finditer(sentence):
        following = sentence[match.end() :].lstrip("$£€")
        if not is_year(following[:4]) or following[4:5].isdigit():
            options.append((match.start(), match.end(), ""))
    if not options:
        return None
    start, end, text = rng.choice(options)
    return sentence[:start] + text + sentence[end:]


def _date_month_options(sentence: str) -> list[tuple[int, int, str]]:
    """Month names used as dates, with a different month for each (day kept valid)."""
    options = []
    for mention in find_dates(sentence):
        match = re.match(
            rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?({_MONTH_ALT}|{_ABBR_ALT})",
            mention.surface,
        )
        if match is None:
            continue
        start = mention.start + match.start(1)
        end = mention.start + match.end(1)
        for number in range(1, 13):
            if number == mention.month:
                continue
            if mention.day is not None and mention.day > DAYS_IN_MONTH[number - 1]:
                continue
            name = MONTHS[number - 1]
            if match.group(1) in MONTH_ABBREVIATIONS:
                name = name[:3]
            options.append((start, end, name))
    # Bare "in March", "last October": month names in a date-like position without a year.
    for match in re.finditer(
        rf"\b(?:in|since|until|by|last|next|this|early|late|mid-|during|from|through)\s+"
        rf"({_MONTH_ALT})\b(?!,?\s+\d)",
        sentence,
    ):
        if match.group(1) == "May":
            continue
        for name in MONTHS:
            if name not in (match.group(1), "May"):
                options.append((match.start(1), match.end(1), name))
    return options


def change_date(sentence: str, rng: Rng) -> str | None:
    """Change a month name to another month, or a year by +/-1."""
    options = _date_month_options(sentence)
    for match in YEAR_RE.finditer(sentence):
        year = int(match.group(1))
        for new in (year - 1, year + 1):
            options.append((match.start(1), match.end(1), str(new)))
    if not options:
        return None
    start, end, text = rng.choice(options)
    return sentence[:start] + text + sentence[end:]


def substitute_word(vocabulary: dict[int, list[str]]) -> Edit:
    """Make an edit replacing a content word by an unrelated corpus word of similar length."""
    from rapidfuzz.distance import Levenshtein

    def edit(sentence: str, rng: Rng) -> str | None:
        candidates = [
            match
            for match in re.finditer(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])", sentence)
            if match.group() not in NON_CONTENT
        ]
        rng.shuffle(candidates)
        for match in candidates:
            old = match.group()
            pool = [
                word
                for length in (len(old) - 1, len(old), len(old) + 1)
                for word in vocabulary.get(length, ())
                if word[:4] != old[:4] and Levenshtein.distance(word, old) >= 3
            ]
            if pool:
                new = rng.choice(pool)
                return sentence[: match.start()] + new + sentence[match.end() :]
        return None

    return edit


def omission(sentence: str, rng: Rng) -> str | None:
    """Silently delete 2-5 consecutive words from the middle (no ellipsis)."""
    spans = word_spans(sentence)
    if len(spans) < 8:
        return None
    length = rng.randint(2, min(5, len(spans) - 6))
    start = rng.randint(2, len(spans) - 3 - length)
    removed = sentence[spans[start][0] : spans[start + length][0]]
    if not re.search(r"\w", removed):
        return None
    return sentence[: spans[start][0]] + sentence[spans[start + length][0] :]


def stitch(first: str, second: str) -> str | None:
    """The first half of ``first`` joined to the second half of ``second``, no ellipsis."""
    a, b = word_spans(first), word_spans(second)
    if len(a) < 8 or len(b) < 8:
        return None
    return first[: a[len(a) // 2 - 1][1]] + " " + second[b[len(b) // 2][0] :]


# -- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number followed by its noun in a sentence ("3,000 people", "$5 million", "25%")."""

    surface: str  # as written, currency and noun included
    number: str  # the digits as written ("3,000")
    start: int  # span of the surface in the sentence
    end: int
    hedge: str | None  # the hedge written before it ("about"), if any


def find_figures(sentence: str) -> list[Figure]:
    """Quantities of ``sentence`` followed by a noun, a scale word or a percent sign."""
    figures = []
    for match in _quantities(sentence):
        start = match.start()
        if sentence[start - 1 : start] in ("$", "£", "€"):
            start -= 1
        hedge = HEDGE_BEFORE_RE.search(sentence[:start])
        previous = sentence[:start].split()[-1:]
        if not hedge and previous and previous[0][:1].isupper():
            continue  # "Week 13", "Note 10", "Apollo 11": a name, not a quantity
        rest = sentence[match.end() :]
        tail = re.match(r"%|\s+per\s?cent\b|\s+percent\b", rest)
        if tail is None:
            tail = re.match(
                rf"(?:\s+(?:{'|'.join(SCALE_WORDS)}))?\s+(?:(?:cubic|square)\s+)?"
                rf"([a-z][a-z-]{{2,}})\b(?!['’-])",
                rest,
            )
            if tail is None or tail.group(1) in NON_CONTENT or tail.group(1).endswith("ly"):
                continue
        end = match.end() + tail.end()
        figures.append(
            Figure(
                surface=sentence[start:end],
                number=match.group(1),
                start=start,
                end=end,
                hedge=hedge.group().strip() if hedge else None,
            )
        )
    return figures


def changed_numbers(number: str) -> list[tuple[str, str]]:
    """Drifted values for a figure: the leading digit +1 (9 -> 8), and the value times ten."""
    digits = number.replace(",", "")
    lead = int(digits[0])
    bumped = str(lead + 1 if lead < 9 else lead - 1) + digits[1:]
    if "." in digits:
        whole, fraction = digits.split(".")
        times_ten = (whole + fraction[0]).lstrip("0") + ("." + fraction[1:] if fraction[1:] else "")
    else:
        times_ten = digits + "0"

    def grouped(value: str) -> str:
        if "," not in number:
            return value
        whole, _, fraction = value.partition(".")
        return f"{int(whole):,}" + ("." + fraction if fraction else "")

    return [("digit", grouped(bumped)), ("x10", grouped(times_ten or "0"))]


# -- dates -------------------------------------------------------------------------------------


def format_date(year: int, month: int, day: int | None, style: str) -> str:
    """Write a date in one of the styles found by :func:`find_dates` (full month names)."""
    name = MONTHS[month - 1]
    if day is None:
        return f"{name} {year}"
    if style == "dmy":
        return f"{day} {name} {year}"
    return f"{name} {day}, {year}"


# -- generation --------------------------------------------------------------------------------


@dataclass
class CaseSet:
    """The generated cases and the bookkeeping reported alongside the results."""

    cases: list[Case]
    sentences: int  # sentences of usable length
    located: int  # ... of which found in their page
    dropped_examples: list[str]


def make_case(
    page: Page,
    kind: str,
    expected: str,
    variant: str,
    claim: str,
    number: int,
    *,
    context: str | None = None,
    origin: str = "",
) -> Case:
    """A case with a readable, stable id: ``<page id prefix>-<q|f|d>-<variant>-<n>``."""
    return Case(
        id=f"{page.id[:8]}-{kind[0]}-{variant}-{number}",
        page=page.id,
        kind=kind,
        expected=expected,
        variant=variant,
        claim=claim,
        context=context,
        origin=origin,
    )


def generate_cases(pages: Sequence[Page], seed: int, per_type: int) -> CaseSet:
    """Build the labelled case set: per page up to ``per_type`` cases of each variant/type.

    Every page gets its own random stream (derived from ``seed`` and the page id) so the cases of
    a page do not depend on how many pages are loaded, except where another page is drawn from.
    """
    drift_edits: dict[str, Edit] = {
        "digit": change_digit,
        "number-word": change_number_word,
        "negation": change_negation,
        "hedge": change_hedge,
        "date": change_date,
        "word": substitute_word(build_vocabulary(pages)),
        "omission": omission,
    }
    cases: list[Case] = []
    dropped: list[str] = []
    for page in pages:
        rng = random.Random(f"{seed}:{page.id}")
        others = [other for other in pages if other.id != page.id and other.kept]
        cases.extend(quote_cases(page, others, rng, per_type, drift_edits))
        cases.extend(figure_cases(page, others, rng, per_type))
        cases.extend(date_cases(page, others, rng, per_type))
        kept = set(page.kept)
        dropped.extend(
            sentence
            for index, sentence in enumerate(page.sentences)
            if MIN_SENTENCE <= len(sentence) <= MAX_SENTENCE and index not in kept
        )
    located = sum(len(page.kept) for page in pages)
    return CaseSet(cases, sum(page.candidates for page in pages), located, dropped[:3])


def quote_cases(
    page: Page, others: Sequence[Page], rng: Rng, per_type: int, drift_edits: dict[str, Edit]
) -> list[Case]:
    """Quote claims: each verified variant, each drift edit type, stitched, and absent."""
    cases: list[Case] = []
    sentences = [page.sentences[i] for i in page.kept]
    for variant, edit in VERIFIED_EDITS.items():
        made = 0
        for sentence in rng.sample(sentences, len(sentences)):
            quote = edit(sentence, rng)
            if quote is None:
                continue
            made += 1
            cases.append(
                make_case(page, "quote", "verified", variant, quote, made, origin=sentence)
            )
            if made == per_type:
                break
    for variant, edit in drift_edits.items():
        made = 0
        for sentence in rng.sample(sentences, len(sentences)):
            quote = edit(sentence, rng)
            # The edited quote must not, by chance, be in the page after all.
            if quote is None or quote == sentence or squash(quote) in page.squashed:
                continue
            made += 1
            cases.append(make_case(page, "quote", "drifted", variant, quote, made, origin=sentence))
            if made == per_type:
                break
    made = 0
    for first in rng.sample(page.kept, len(page.kept)):
        partners = [i for i in page.kept if abs(i - first) >= 3]
        if not partners:
            continue
        second = rng.choice(partners)
        quote = stitch(page.sentences[first], page.sentences[second])
        if quote is None or squash(quote) in page.squashed:
            continue
        made += 1
        origin = page.sentences[first] + " /// " + page.sentences[second]
        cases.append(make_case(page, "quote", "drifted", "stitched", quote, made, origin=origin))
        if made == per_type:
            break
    made = 0
    for _attempt in range(20 * per_type):
        if not others or made == 2 * per_type:
            break
        other = rng.choice(others)
        sentence = other.sentences[rng.choice(other.kept)]
        if squash(sentence) in page.squashed:
            continue
        made += 1
        origin = f"page {other.id[:8]}"
        case = make_case(page, "quote", "absent", "other-page", sentence, made, origin=origin)
        cases.append(case)
    return cases


def shares_context(page: Page, context: str) -> bool:
    """Whether any context word of a claim occurs in ``page``.

    Absent figure and date claims must not: with its context words in the page, a claim made
    for another page could fairly be read as drifted (the page has the context, with another
    value) rather than absent.
    """
    return any(word in page.words for word in re.findall(r"\w+", context.casefold()))


def _figure_claims(page: Page, rng: Rng) -> list[tuple[Figure, str, str]]:
    """(figure, context, sentence) for every figure of the page's located sentences."""
    found = []
    for index in page.kept:
        sentence = page.sentences[index]
        for figure in find_figures(sentence):
            context = content_words_near(
                sentence, figure.start, (figure.start, figure.end), rng.choice((2, 3))
            )
            if len(context) >= 2:
                found.append((figure, " ".join(context), sentence))
    return found


def figure_cases(page: Page, others: Sequence[Page], rng: Rng, per_type: int) -> list[Case]:
    """Figure claims: verified (as written / "around"), drifted (digit, x10), absent.

    Verified claims keep the source's hedge ("more than 400,000 state"). Drifted claims change
    the leading digit or multiply by ten and drop any hedge, so that no other figure of the page
    can support them within a hedge's tolerance ("up to 20 years" is consistent with any
    smaller number); a drifted value that occurs anywhere in the page is skipped. Absent claims
    come from another page and share no value and no context word with this one.
    """
    cases: list[Case] = []
    claims = _figure_claims(page, rng)
    for number, (figure, context, sentence) in enumerate(
        rng.sample(claims, min(per_type, len(claims))), start=1
    ):
        prefix = figure.hedge + " " if figure.hedge else ""
        made: list[tuple[str, str, str]] = [("verified", "as-written", prefix + figure.surface)]
        if not figure.hedge:
            made.append(("verified", "around", "around " + figure.surface))
        local = figure.surface.index(figure.number)
        for variant, value in changed_numbers(figure.number):
            if number_key(value) in page.numbers:
                continue
            surface = figure.surface[:local] + value + figure.surface[local + len(figure.number) :]
            made.append(("drifted", variant, surface))
        cases.extend(
            make_case(
                page, "figure", expected, variant, claim, number, context=context, origin=sentence
            )
            for expected, variant, claim in made
        )
    made_absent, seen = 0, set()
    for _attempt in range(10 * per_type):
        if not others or made_absent == per_type:
            break
        other = rng.choice(others)
        other_claims = _figure_claims(other, rng)
        if not other_claims:
            continue
        figure, context, sentence = rng.choice(other_claims)
        if (
            number_key(figure.number) in page.numbers
            or (figure.surface, context) in seen
            or shares_context(page, context)
        ):
            continue
        seen.add((figure.surface, context))
        made_absent += 1
        cases.append(
            make_case(
                page,
                "figure",
                "absent",
                "other-page",
                figure.surface,
                made_absent,
                context=context,
                origin=f"page {other.id[:8]}: {sentence}",
            )
        )
    return cases


def _date_claims(page: Page, rng: Rng) -> list[tuple[DateMention, str, str]]:
    """(date, context, sentence) for every full date of the page's located sentences."""
    found = []
    for index in page.kept:
        sentence = page.sentences[index]
        for mention in find_dates(sentence):
            context = content_words_near(
                sentence, mention.start, (mention.start, mention.end), rng.choice((2, 3))
            )
            if len(context) >= 2:
                found.append((mention, " ".join(context), sentence))
    return found


def date_cases(page: Page, others: Sequence[Page], rng: Rng, per_type: int) -> list[Case]:
    """Date claims: verified (as written / reformatted), drifted (month, year), absent.

    A drifted date whose (year, month) occurs anywhere in the page is skipped, so the page can
    never legitimately support it. Absent claims come from another page and share no (year,
    month) and no context word with this one.
    """
    cases: list[Case] = []
    claims = _date_claims(page, rng)
    # Dates with a year are rare in the corpus, so up to twice as many are used as of the rest.
    for number, (date, context, sentence) in enumerate(
        rng.sample(claims, min(2 * per_type, len(claims))), start=1
    ):
        made: list[tuple[str, str, str]] = [("verified", "as-written", date.surface)]
        if date.day is not None:
            style = "mdy" if date.style == "dmy" else "dmy"
            made.append(
                ("verified", "reformatted", format_date(date.year, date.month, date.day, style))
            )
        months = [
            month
            for month in range(1, 13)
            if month != date.month
            and (date.year, month) not in page.months
            and (date.day or 1) <= DAYS_IN_MONTH[month - 1]
        ]
        if months:
            new = format_date(date.year, rng.choice(months), date.day, date.style)
            made.append(("drifted", "month", new))
        years = [y for y in (date.year - 1, date.year + 1) if (y, date.month) not in page.months]
        if years:
            new = format_date(rng.choice(years), date.month, date.day, date.style)
            made.append(("drifted", "year", new))
        cases.extend(
            make_case(
                page, "date", expected, variant, claim, number, context=context, origin=sentence
            )
            for expected, variant, claim in made
        )
    made_absent, wanted, seen = 0, max(1, per_type // 2), set()
    for _attempt in range(10 * per_type):
        if not others or made_absent == wanted:
            break
        other = rng.choice(others)
        other_claims = _date_claims(other, rng)
        if not other_claims:
            continue
        date, context, sentence = rng.choice(other_claims)
        if (
            (date.year, date.month) in page.months
            or (date.surface, context) in seen
            or shares_context(page, context)
        ):
            continue
        seen.add((date.surface, context))
        made_absent += 1
        cases.append(
            make_case(
                page,
                "date",
                "absent",
                "other-page",
                date.surface,
                made_absent,
                context=context,
                origin=f"page {other.id[:8]}: {sentence}",
            )
        )
    return cases


# ---------------------------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """What a method said about a case; ``status`` is a class name, "unchecked" or "error"."""

    status: str
    reason: str = ""
    explanation: str = ""
    score: float | None = None


@dataclass
class MethodRun:
    """One method's predictions (by case id) and its timings."""

    name: str
    predictions: dict[str, Prediction]
    extract_seconds: float
    match_seconds: float


def run_baseline(corpus: Corpus, cases: Sequence[Case]) -> MethodRun:
    """The naive baseline: ``partial_ratio(claim, get_text())`` with fixed thresholds.

    No normalisation at all; >= 90 is "verified", >= 60 "drifted", anything lower "absent".
    Figures and dates are treated as quotes of their claim text (the context is ignored).
    """
    from rapidfuzz import fuzz

    texts = {page.id: page.naive_text for page in corpus.pages}
    predictions: dict[str, Prediction] = {}
    started = time.perf_counter()
    for case in cases:
        score = fuzz.partial_ratio(case.claim, texts[case.page])
        status = "verified" if score >= 90 else "drifted" if score >= 60 else "absent"
        predictions[case.id] = Prediction(status, f"partial_ratio {score:.1f}", score=score)
    return MethodRun(
        "naive baseline", predictions, corpus.parse_seconds, time.perf_counter() - started
    )


def run_claimcheck(corpus: Corpus, cases: Sequence[Case]) -> MethodRun:
    """claimcheck itself: ``extract_text`` once per page, then ``match_quote``/``figure``/``date``
    against the page's :class:`~claimcheck.matching.SourceIndex` (made on the page's first case,
    timed with the matching).

    A crash on one case is recorded as an "error" prediction (with the exception in the
    explanation) rather than aborting the benchmark; "broken" counts as predicting "absent".
    """
    import claimcheck
    from claimcheck.matching import SourceIndex

    texts: dict[str, Any] = {}
    indexes: dict[str, SourceIndex] = {}
    failures: dict[str, str] = {}
    started = time.perf_counter()
    for page in corpus.pages:
        try:
            texts[page.id] = claimcheck.documents.extract_text(page.raw, "text/html")
        except Exception as error:  # a benchmark reports crashes, it does not stop on them
            failures[page.id] = f"extract_text: {type(error).__name__}: {error}"
    extract_seconds = time.perf_counter() - started

    predictions: dict[str, Prediction] = {}
    started = time.perf_counter()
    for case in cases:
        if case.page in failures:
            predictions[case.id] = Prediction("error", explanation=failures[case.page])
            continue
        text = texts[case.page]
        index = indexes.get(case.page)
        if index is None:
            index = indexes[case.page] = SourceIndex(text.text)
        try:
            if case.kind == "quote":
                evidence = claimcheck.matching.match_quote(case.claim, text, index=index)
            elif case.kind == "figure":
                evidence = claimcheck.matching.match_figure(
                    case.claim, text, context=case.context, index=index
                )
            else:
                evidence = claimcheck.matching.match_date(
                    case.claim, text, context=case.context, index=index
                )
        except Exception as error:  # a benchmark reports crashes, it does not stop on them
            predictions[case.id] = Prediction(
                "error", explanation=f"{type(error).__name__}: {error}"
            )
            continue
        status = str(evidence.status)
        predictions[case.id] = Prediction(
            "absent" if status == "broken" else status,
            str(evidence.reason),
            evidence.explanation,
            evidence.score,
        )
    return MethodRun("claimcheck", predictions, extract_seconds, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def pct(part: int, whole: int) -> str:
    """A share as a fixed-width percentage, or "-" when there is nothing to divide by."""
    return f"{100 * part / whole:6.1f}%" if whole else "      -"


def class_table(cases: Sequence[Case], run: MethodRun) -> list[str]:
    """Precision and recall per class, plus the confusion counts behind them."""
    expected = Counter(case.expected for case in cases)
    predicted = Counter(run.predictions[case.id].status for case in cases)
    hits = Counter(
        case.expected for case in cases if run.predictions[case.id].status == case.expected
    )
    confusion = Counter((case.expected, run.predictions[case.id].status) for case in cases)
    columns = [*CLASSES, "unchecked", "error"]
    lines = [
        f"    {'class':<10} {'n':>5} {'precision':>10} {'recall':>8}   predicted as: "
        + " ".join(f"{name:>9}" for name in columns)
    ]
    for name in CLASSES:
        lines.append(
            f"    {name:<10} {expected[name]:>5} {pct(hits[name], predicted[name]):>10} "
            f"{pct(hits[name], expected[name]):>8}                 "
            + " ".join(f"{confusion[name, column]:>9}" for column in columns)
        )
    return lines


def variant_table(cases: Sequence[Case], run: MethodRun, expected: str) -> list[str]:
    """Recall per variant/edit type of one expected class, and where the misses went.

    For claimcheck the most frequent reasons are listed too: a digit edit should come out as
    ``figure-changed``, a negation edit as ``negation``, and so on.
    """
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        if case.expected == expected:
            groups[case.variant].append(case)
    others = [name for name in CLASSES if name != expected]
    reasons = run.name == "claimcheck"
    lines = [
        f"    {'type':<14} {'n':>5} {'recall':>8} "
        + " ".join(f"{'→ ' + name:>10}" for name in others)
        + f" {'other':>7}"
        + ("   reasons (most frequent)" if reasons else "")
    ]
    for variant, members in groups.items():
        got = Counter(run.predictions[case.id].status for case in members)
        rest = len(members) - got[expected] - sum(got[name] for name in others)
        why = Counter(run.predictions[case.id].reason for case in members).most_common(3)
        lines.append(
            f"    {variant:<14} {len(members):>5} {pct(got[expected], len(members)):>8} "
            + " ".join(f"{pct(got[name], len(members)):>10}" for name in others)
            + f" {rest:>7}"
            + ("   " + ", ".join(f"{r or '-'} {n}" for r, n in why) if reasons else "")
        )
    return lines


def ordered(cases: Sequence[Case], kind: str) -> list[Case]:
    """The cases of one kind, grouped by class and variant in a fixed, readable order."""
    order = {name: i for i, name in enumerate((*VERIFIED_VARIANTS, *DRIFT_TYPES))}
    return sorted(
        (case for case in cases if case.kind == kind),
        key=lambda case: (CLASSES.index(case.expected), order.get(case.variant, 99)),
    )


def target_results(cases: Sequence[Case], run: MethodRun) -> list[tuple[str, bool]]:
    """The quote targets, each as (description with the measured value, met?)."""
    quotes = [case for case in cases if case.kind == "quote"]

    def status(case: Case) -> str:
        return run.predictions[case.id].status

    verified = [case for case in quotes if case.expected == "verified"]
    hits = sum(status(case) == "verified" for case in verified)
    results = [
        (
            f"verified recall >= {100 * TARGET_VERIFIED_RECALL:.1f}%: "
            f"{pct(hits, len(verified)).strip()}",
            not verified or hits / len(verified) >= TARGET_VERIFIED_RECALL,
        )
    ]
    short: list[str] = []
    for variant in DRIFT_TYPES:
        members = [c for c in quotes if c.expected == "drifted" and c.variant == variant]
        hits = sum(status(case) == "drifted" for case in members)
        if members and hits / len(members) < TARGET_DRIFTED_RECALL:
            short.append(f"{variant} {pct(hits, len(members)).strip()}")
    results.append(
        (
            f"drifted recall >= {100 * TARGET_DRIFTED_RECALL:.0f}% for every edit type"
            + (f" (below: {', '.join(short)})" if short else ""),
            not short,
        )
    )
    leaked = sum(status(case) == "verified" for case in quotes if case.expected == "absent")
    results.append((f"no absent quote verified: {leaked} verified", leaked == 0))
    return results


def clip(text: str, width: int = 240) -> str:
    """Shorten ``text`` to one line of at most ``width`` characters."""
    text = " ".join(text.split()) if "  " not in text else text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def failure_lines(cases: Sequence[Case], run: MethodRun, limit: int) -> list[str]:
    """Misclassified cases, round-robin over (kind, class, variant) so every pattern shows."""
    groups: dict[tuple[str, str, str], list[Case]] = defaultdict(list)
    for case in cases:
        if run.predictions[case.id].status != case.expected:
            groups[case.kind, case.expected, case.variant].append(case)
    lines = []
    patterns = Counter(
        (case.kind, case.variant, run.predictions[case.id].status, run.predictions[case.id].reason)
        for members in groups.values()
        for case in members
    )
    lines.append(f"  failure patterns ({sum(patterns.values())} misclassified cases):")
    for (kind, variant, status, reason), count in sorted(
        patterns.items(), key=lambda item: (-item[1], item[0])
    ):
        lines.append(f"    {count:>4}  {kind:<6} {variant:<14} -> {status} ({reason or '-'})")
    lines.append("")
    queues = [list(members) for _key, members in sorted(groups.items())]
    shown = 0
    while shown < limit and any(queues):
        for queue in queues:
            if queue and shown < limit:
                case = queue.pop(0)
                prediction = run.predictions[case.id]
                score = "-" if prediction.score is None else f"{prediction.score:.1f}"
                shown += 1
                lines.append(
                    f"  [{case.id}] {case.kind}/{case.variant}: expected {case.expected}, "
                    f"got {prediction.status} ({prediction.reason or '-'}, score {score})"
                )
                lines.append(f"      claim:   {clip(case.claim)!r}")
                if case.context:
                    lines.append(f"      context: {case.context!r}")
                lines.append(f"      origin:  {clip(case.origin)!r}")
                if prediction.explanation:
                    lines.append(f"      why:     {clip(prediction.explanation)}")
    return lines


def format_report(
    corpus: Corpus, case_set: CaseSet, runs: Sequence[MethodRun], args: argparse.Namespace
) -> str:
    """The whole plain-text report."""
    cases = case_set.cases
    lines = [
        "claimcheck matching accuracy on real news pages (benchmarks/accuracy.py)",
        "=" * 72,
        f"corpus: news-html, {len(corpus.pages)} pages; seed {args.seed}; "
        f"up to {args.per_type} case(s) per type per page",
        f"sentences {MIN_SENTENCE}-{MAX_SENTENCE} chars: {case_set.sentences}; located in their "
        f"page: {case_set.located}; dropped (not in the page's text): "
        f"{case_set.sentences - case_set.located}",
        *(f"  e.g. dropped: {clip(sentence, 100)!r}" for sentence in case_set.dropped_examples),
        "",
        "cases (n per class / variant):",
    ]
    for kind in KINDS:
        members = ordered(cases, kind)
        lines.append(f"  {kind}s: {len(members)}")
        for expected in CLASSES:
            counts = Counter(case.variant for case in members if case.expected == expected)
            detail = ", ".join(f"{name} {count}" for name, count in counts.items())
            lines.append(f"    {expected:<9} {sum(counts.values()):>5}  ({detail})")
    for run in runs:
        lines += ["", "-" * 72, f"{run.name}", "-" * 72]
        for kind in KINDS:
            members = ordered(cases, kind)
            if not members:
                continue
            lines += ["", f"  {kind}s: classes"]
            lines += class_table(members, run)
            for expected, title in (("verified", "verified variants"), ("drifted", "edit types")):
                lines += ["", f"  {kind}s: {title}"]
                lines += variant_table(members, run, expected)
        quotes = [case for case in cases if case.kind == "quote"]
        absent_verified = sum(
            run.predictions[case.id].status == "verified"
            for case in quotes
            if case.expected == "absent"
        )
        lines += ["", f"  absent quotes predicted verified: {absent_verified}"]
        errors = sum(run.predictions[case.id].status == "error" for case in cases)
        if errors:
            lines.append(f"  cases that raised an exception: {errors}")
        lines += ["", "  targets (quotes):"]
        lines += [
            f"    {'met    ' if met else 'NOT MET'}  {text}"
            for text, met in target_results(cases, run)
        ]
    lines += ["", "-" * 72, "timing (informational, seconds)", "-" * 72]
    for run in runs:
        per_case = 1000 * run.match_seconds / len(cases) if cases else 0.0
        lines.append(
            f"  {run.name:<16} extraction {run.extract_seconds:8.2f}   matching "
            f"{run.match_seconds:8.2f}   ({per_case:.2f} ms per case)"
        )
    for run in runs:
        if run.name == "claimcheck":
            lines += ["", "-" * 72, "claimcheck: misclassified cases", "-" * 72]
            lines += failure_lines(cases, run, args.failures)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="news-html directory")
    parser.add_argument("--limit-pages", type=int, default=None, metavar="N", help="first N pages")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--per-type", type=int, default=2, metavar="N", help="cases per variant/type per page"
    )
    parser.add_argument("--failures", type=int, default=30, metavar="N", help="failures to list")
    parser.add_argument("--output", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--baseline-only", action="store_true", help="skip claimcheck (develop the cases)"
    )
    parser.add_argument(
        "--check-targets",
        action="store_true",
        help="exit 1 when claimcheck misses a target (or cannot run)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report; return the process exit status."""
    args = parse_args(argv)
    corpus_dir: Path = args.corpus
    if not (corpus_dir / "ground-truth.json").is_file() or not (corpus_dir / "html").is_dir():
        print(f"accuracy benchmark skipped: no news-html corpus at {corpus_dir}")
        return 0
    corpus = load_corpus(corpus_dir, args.limit_pages)
    case_set = generate_cases(corpus.pages, args.seed, args.per_type)
    runs = [run_baseline(corpus, case_set.cases)]
    unavailable = "skipped (--baseline-only)" if args.baseline_only else None
    if unavailable is None:
        runs.insert(0, run_claimcheck(corpus, case_set.cases))
    report = format_report(corpus, case_set, runs, args)
    if unavailable is not None:
        report += f"\nclaimcheck not measured: {unavailable}\n"
    sys.stdout.write(report)
    if args.output is not None:
        args.output.write_text(report, encoding="utf-8")
    if args.check_targets:
        met = all(ok for _text, ok in target_results(case_set.cases, runs[0]))
        return 0 if unavailable is None and met else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Matching accuracy of claimcheck on real pages, side by side with a fair and a naive baseline.

Why: claimcheck's promise is that it tells a verbatim (or legitimately edited) quote from a quote
whose meaning drifted by one material edit, and both from a quote that is not in the source. A
single fuzzy score cannot do that (``reference/matching.md`` §1.8: a changed digit still scores
~99, an inserted "not" ~97), so this benchmark measures exactly those distinctions, for claimcheck
and, in the same process over the same cases, for two baselines: a *fair* one (the benchmark's
own normalisation, exact search of each fragment between omission marks and brackets, else
fuzzy >= 60 is drifted) and a *naive* one (``partial_ratio`` without any normalisation).

Sources: the 97 real news pages of ``../shared/corpus/news-html`` (raw gzipped HTML plus the
ground-truth article text, ScrapingHub article-extraction benchmark, MIT), the PDFs of
``../shared/corpus/pdf`` (poppler's ``pdftotext`` reading gives the reference sentences), the
worked example's verbatim passages (``../shared/worked-example/sources.json``) and synthetic
German, Danish, French and Arabic sentences. They are read in place, never copied into the
project. When the news corpus is absent the script says so and exits 0; a missing PDF directory
or worked example only skips its suite.

Suites (deterministic for a given seed; ``--seeds`` runs several):

- ``news``: sentences of the news pages as quotes expected *verified* (verbatim, typographic,
  case, ellipsis, brackets, truncation), *drifted* (one material edit: digit, number word,
  negation, hedge, date, word, silent omission, stitched quote) and *absent* (another page's
  sentence); figure and date claims with context words. The engine was developed with these.
- ``known-misses``: issue 15's named misses built from news sentences (a changed ordinal, a
  leading omission mark with and without words left out after it, a hedged figure whose number
  changed).
- ``near-miss``: a quote with two names or nouns swapped, with a word replaced by another word of
  the same page (drifted), and the closest sentence of another page on the same topic (never
  verified).
- ``two-edit``: two material edits of different types in one quote (drifted).
- ``natural``: the worked example's passages with the same variants and edits, and other outlets'
  wording of the same thing (never verified).
- ``pdf``: sentences of the corpus PDFs with the same variants and edits.
- ``lang``: synthetic figures (digits in the local convention, number words) and dates in German,
  Danish, French and Arabic (Arabic-Indic digits).

Run from the project root::

    python benchmarks/accuracy.py                      # full run, report on stdout
    python benchmarks/accuracy.py --limit-pages 5      # quick smoke run
    python benchmarks/accuracy.py --output benchmarks/accuracy.txt
    python benchmarks/accuracy.py --check-targets      # exit 1 when a target is missed

``main(argv)`` is importable and returns the exit status, so a test can do a tiny smoke run.
"""

import argparse
import gzip
import json
import math
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _accuracy_cases as extra  # the helper module beside this script

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
#: Modal verbs: "it may be a good idea" is not "[the official] be a good idea" nor "it ... be".
MODALS = frozenset({"may", "might", "could", "would", "should", "must"})
#: Negations of the PDF and worked-example sources' other languages (German, Danish, French):
#: an ellipsis or a cut must not drop them either.
FOREIGN_NEGATIONS = frozenset(
    {"nicht", "kein", "keine", "keinen", "nie", "niemals", "ikke", "aldrig", "ingen", "pas"}
    | {"jamais", "aucun", "aucune", "rien", "personne"}
)
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
        or word in FOREIGN_NEGATIONS
        or word in MODALS
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
    fair_text: str = ""  # project(get_text(" ")): the fair baseline's search space
    mime: str = "text/html"


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
        soup = BeautifulSoup(raw, "lxml")
        naive_text = soup.get_text()
        parse_seconds += time.perf_counter() - started
        fair_text = project(soup.get_text(" "))
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
                fair_text=fair_text,
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
    suite: str = "news"  # news | near-miss | two-edit | natural | pdf | lang-<xx>
    language: str | None = None  # the claim's language, given to claimcheck as a claims file would


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
    suite: str = "news",
    language: str | None = None,
) -> Case:
    """A case with a readable, stable id: ``[<suite>-]<page id prefix>-<q|f|d>-<variant>-<n>``."""
    prefix = "" if suite == "news" else suite + "-"
    return Case(
        id=f"{prefix}{page.id[:8]}-{kind[0]}-{variant}-{number}",
        page=page.id,
        kind=kind,
        expected=expected,
        variant=variant,
        claim=claim,
        context=context,
        origin=origin,
        suite=suite,
        language=language,
    )


def drift_edit_set(pages: Sequence[Page]) -> dict[str, Edit]:
    """The one-edit drift generators (the ``word`` edit draws from the pages' vocabulary)."""
    return {
        "digit": change_digit,
        "number-word": change_number_word,
        "negation": change_negation,
        "hedge": change_hedge,
        "date": change_date,
        "word": substitute_word(build_vocabulary(pages)),
        "omission": omission,
    }


def generate_cases(pages: Sequence[Page], seed: int, per_type: int) -> CaseSet:
    """Build the labelled case set: per page up to ``per_type`` cases of each variant/type.

    Every page gets its own random stream (derived from ``seed`` and the page id) so the cases of
    a page do not depend on how many pages are loaded, except where another page is drawn from.
    """
    drift_edits = drift_edit_set(pages)
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
# Cases the engine's rules were not written from
# ---------------------------------------------------------------------------------------------


def text_page(
    page_id: str,
    text: str,
    *,
    raw: bytes | None = None,
    mime: str = "text/plain",
    naive_text: str | None = None,
) -> Page:
    """A source that is not a news page (a passage set, a PDF, a synthetic text) as a Page.

    ``text`` is the reference reading whose sentences become cases; ``raw`` and ``mime`` are
    what claimcheck extracts (the text itself, UTF-8, by default); ``naive_text`` is the
    baselines' reading (``text`` by default).
    """
    naive = text if naive_text is None else naive_text
    sentences = [
        sentence for paragraph in text.split("\n") for sentence in split_sentences(paragraph)
    ]
    projected = project(naive)
    return Page(
        id=page_id,
        url="",
        raw=text.encode("utf-8") if raw is None else raw,
        naive_text=naive,
        projected=projected,
        squashed=squash(naive) + squash(text),
        words=frozenset(re.findall(r"\w+", project(text))),
        sentences=sentences,
        kept=[i for i, s in enumerate(sentences) if MIN_SENTENCE <= len(s) <= MAX_SENTENCE],
        candidates=len(sentences),
        numbers=page_numbers(" ".join(naive.split())),
        months=frozenset((d.year, d.month) for d in find_dates(" ".join(text.split()))),
        fair_text=projected,
        mime="text/plain; charset=utf-8" if mime == "text/plain" else mime,
    )


def content_words(sentence: str) -> frozenset[str]:
    """Lower-case content words (>= 4 letters) of a sentence, for "shares many words"."""
    return frozenset(
        word for word in re.findall(r"[^\W\d_]{4,}", sentence.casefold()) if word not in NON_CONTENT
    )


_NAME_RE = re.compile(r"(?<![\w'’-])[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})*(?![\w'’-])")


def swap_roles(sentence: str, rng: Rng) -> str | None:
    """Swap two names (capitalised runs, not the first word), else two content words >= 5
    letters at least two words apart: "Russia accused Ukraine" -> "Ukraine accused Russia"."""
    names = [
        m
        for m in _NAME_RE.finditer(sentence)
        if m.start() > 0 and m.group().lower() not in NON_CONTENT and m.group() not in MONTHS
    ]
    pairs = [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if a.group().lower() != b.group().lower() and b.start() - a.end() >= 3
    ]
    if not pairs:
        words = [
            m
            for m in re.finditer(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])", sentence)
            if m.group() not in NON_CONTENT
        ]
        pairs = [
            (a, b)
            for i, a in enumerate(words)
            for b in words[i + 1 :]
            if a.group() != b.group() and len(sentence[a.end() : b.start()].split()) >= 2
        ]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    return (
        sentence[: a.start()]
        + b.group()
        + sentence[a.end() : b.start()]
        + a.group()
        + sentence[b.end() :]
    )


def page_word(page: Page) -> Edit:
    """Make an edit replacing a content word by another content word of the same page (a near
    miss: every word of the quote is on the page)."""
    from rapidfuzz.distance import Levenshtein

    vocabulary = sorted(
        {
            word
            for sentence in page.sentences
            for word in re.findall(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])", sentence)
            if word not in NON_CONTENT
        }
    )

    def edit(sentence: str, rng: Rng) -> str | None:
        candidates = [
            m
            for m in re.finditer(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])", sentence)
            if m.group() not in NON_CONTENT
        ]
        rng.shuffle(candidates)
        for match in candidates:
            old = match.group()
            pool = [w for w in vocabulary if w[:4] != old[:4] and Levenshtein.distance(w, old) >= 3]
            if pool:
                return sentence[: match.start()] + rng.choice(pool) + sentence[match.end() :]
        return None

    return edit


@dataclass
class Neighbours:
    """For each page, sentences of other pages that share >= 4 content words with one of its
    sentences (the same-topic near misses), best first."""

    by_page: dict[str, list[tuple[int, str, str]]]  # page id -> (shared, sentence, other page id)


def alnum(text: str) -> str:
    """Only the letters and digits of ``text``, folded: the strictest "is it in the page?"."""
    return re.sub(r"[\W_]+", "", _fold(text))


def find_neighbours(pages: Sequence[Page], shared: int = 4) -> Neighbours:
    """Index every located sentence by its content words and find each page's near misses."""
    index: dict[str, list[tuple[str, int]]] = defaultdict(list)
    words: dict[tuple[str, int], frozenset[str]] = {}
    for page in pages:
        for i in page.kept:
            words[page.id, i] = content_words(page.sentences[i])
            for word in words[page.id, i]:
                index[word].append((page.id, i))
    by_id = {page.id: page for page in pages}
    result: dict[str, list[tuple[int, str, str]]] = {}
    for page in pages:
        letters = alnum(page.naive_text)
        best: dict[tuple[str, int], int] = {}
        for i in page.kept:
            counts: Counter[tuple[str, int]] = Counter()
            for word in words[page.id, i]:
                if len(index[word]) <= 50:  # common words say nothing about the topic
                    counts.update(key for key in index[word] if key[0] != page.id)
            for key, count in counts.items():
                if count >= shared:
                    best[key] = max(best.get(key, 0), count)
        found = []
        for (other, i), count in best.items():
            sentence = by_id[other].sentences[i]
            if alnum(sentence) not in letters:  # the same sentence, punctuated otherwise
                found.append((count, sentence, other))
        result[page.id] = sorted(found, reverse=True)
    return Neighbours(result)


def near_miss_cases(page: Page, neighbours: Neighbours, rng: Rng, per_type: int) -> list[Case]:
    """Quotes that were never said but look it: roles swapped, a word replaced by another word
    of the same page (both expected drifted), and the closest sentence of another page on the
    same topic (expected absent; drifted is an acceptable answer, verified never)."""
    cases: list[Case] = []
    sentences = [page.sentences[i] for i in page.kept]
    for variant, edit in (("swap", swap_roles), ("page-word", page_word(page))):
        made = 0
        for sentence in rng.sample(sentences, len(sentences)):
            quote = edit(sentence, rng)
            if quote is None or quote == sentence or squash(quote) in page.squashed:
                continue
            made += 1
            cases.append(
                make_case(
                    page,
                    "quote",
                    "drifted",
                    variant,
                    quote,
                    made,
                    origin=sentence,
                    suite="near-miss",
                )
            )
            if made == per_type:
                break
    close = neighbours.by_page.get(page.id, [])[: 4 * per_type]
    for number, (count, sentence, other) in enumerate(
        rng.sample(close, min(per_type, len(close))), start=1
    ):
        origin = f"page {other[:8]} ({count} content words shared with a sentence here)"
        cases.append(
            make_case(
                page,
                "quote",
                "absent",
                "same-topic",
                sentence,
                number,
                origin=origin,
                suite="near-miss",
            )
        )
    return cases


def two_edit_cases(page: Page, rng: Rng, per_type: int, drift_edits: dict[str, Edit]) -> list[Case]:
    """Quotes with two material edits of different types (e.g. a digit and a negation)."""
    cases: list[Case] = []
    sentences = [page.sentences[i] for i in page.kept]
    names = sorted(drift_edits)
    made = 0
    for sentence in rng.sample(sentences, len(sentences)):
        first, second = rng.sample(names, 2)
        once = drift_edits[first](sentence, rng)
        twice = drift_edits[second](once, rng) if once and once != sentence else None
        if twice is None or twice in (once, sentence) or squash(twice) in page.squashed:
            continue
        made += 1
        cases.append(
            make_case(
                page,
                "quote",
                "drifted",
                "two-edit",
                twice,
                made,
                origin=f"{first} + {second}: {sentence}",
                suite="two-edit",
            )
        )
        if made == per_type:
            break
    return cases


def edited_quote_cases(
    page: Page,
    others: Sequence[Page],
    rng: Rng,
    per_type: int,
    drift_edits: dict[str, Edit],
    suite: str,
) -> list[Case]:
    """The news suite's quote variants and edits on another kind of source (passages, PDFs):
    every verified variant, every drift edit type, and a sentence of another source (absent)."""
    cases: list[Case] = []
    sentences = [page.sentences[i] for i in page.kept]
    for expected, edits in (("verified", VERIFIED_EDITS), ("drifted", drift_edits)):
        for variant, edit in edits.items():
            made = 0
            for sentence in rng.sample(sentences, len(sentences)):
                quote = edit(sentence, rng)
                if quote is None:
                    continue
                if expected == "drifted" and (quote == sentence or squash(quote) in page.squashed):
                    continue
                made += 1
                cases.append(
                    make_case(
                        page, "quote", expected, variant, quote, made, origin=sentence, suite=suite
                    )
                )
                if made == per_type:
                    break
    pool = [(other, i) for other in others for i in other.kept]
    made = 0
    for other, i in rng.sample(pool, min(len(pool), 4 * per_type)):
        sentence = other.sentences[i]
        if made == per_type or squash(sentence) in page.squashed:
            continue
        if len(content_words(sentence) & page.words) >= 3:
            continue  # shares words with this source: not plainly absent
        made += 1
        cases.append(
            make_case(
                page,
                "quote",
                "absent",
                "other-source",
                sentence,
                made,
                origin=f"source {other.id}",
                suite=suite,
            )
        )
    return cases


def _ordinal(number: int) -> str:
    """``number`` with its English ordinal suffix (1st, 2nd, 11th, 22nd)."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def change_ordinal(sentence: str, rng: Rng) -> str | None:
    """Change one digit of an ordinal ("19th century" -> "18th century"), suffix kept right."""
    options = list(re.finditer(r"(?<![\w.,])(\d{1,4})(?:st|nd|rd|th)\b", sentence))
    if not options:
        return None
    match = rng.choice(options)
    digits = match.group(1)
    position = rng.randrange(len(digits))
    choices = [
        d for d in "0123456789" if d != digits[position] and not (position == 0 and d == "0")
    ]
    new = int(digits[:position] + rng.choice(choices) + digits[position + 1 :])
    return sentence[: match.start()] + _ordinal(new) + sentence[match.end() :]


LEADING_MARKS = ("[…] ", "… ", "[...] ", "... ")


def leading_ellipsis(sentence: str, rng: Rng) -> str | None:
    """The sentence without its first 2-5 words, marked by a leading omission mark."""
    spans = word_spans(sentence)
    if len(spans) < 10:
        return None
    cut = rng.randint(2, 5)
    if any(is_sensitive(sentence[a:b]) for a, b in spans[: cut + 1]):
        return None
    return rng.choice(LEADING_MARKS) + sentence[spans[cut][0] :]


def leading_ellipsis_omission(sentence: str, rng: Rng) -> str | None:
    """A leading omission mark, and 2-5 words left out silently further on (issue 15, item 3:
    the mark must not swallow them). Not for a sentence with omission marks or brackets of its
    own: a word left out next to the source's own "…" could fairly be read as elided there."""
    if re.search(r"\.\.\.|…|\[", sentence):
        return None
    quote = leading_ellipsis(sentence, rng)
    if quote is None:
        return None
    mark, _, rest = quote.partition(" ")
    cut = omission(rest, rng)
    return None if cut is None else f"{mark} {cut}"


def known_miss_cases(page: Page, rng: Rng, per_type: int) -> list[Case]:
    """Cases of the misclassifications named in issue 15, built from the news pages' sentences:
    a changed ordinal (drifted), a leading omission mark (verified) and one with words left
    out silently after it (drifted), and a hedged figure whose number changed while the hedge
    stayed ("up to 50" -> "up to 60": drifted, as the issue's hedge table says)."""
    cases: list[Case] = []
    sentences = [page.sentences[i] for i in page.kept]
    edits: tuple[tuple[str, str, Edit], ...] = (
        ("drifted", "ordinal", change_ordinal),
        ("verified", "leading-ellipsis", leading_ellipsis),
        ("drifted", "leading-omission", leading_ellipsis_omission),
    )
    for expected, variant, edit in edits:
        made = 0
        for sentence in rng.sample(sentences, len(sentences)):
            quote = edit(sentence, rng)
            if quote is None or (expected == "drifted" and squash(quote) in page.squashed):
                continue
            made += 1
            cases.append(
                make_case(
                    page,
                    "quote",
                    expected,
                    variant,
                    quote,
                    made,
                    origin=sentence,
                    suite="known-misses",
                )
            )
            if made == per_type:
                break
    hedged = [claim for claim in _figure_claims(page, rng) if claim[0].hedge]
    made = 0
    for figure, context, sentence in rng.sample(hedged, len(hedged)):
        variant, value = rng.choice(changed_numbers(figure.number))
        if number_key(value) in page.numbers:
            continue
        local = figure.surface.index(figure.number)
        surface = figure.surface[:local] + value + figure.surface[local + len(figure.number) :]
        made += 1
        cases.append(
            make_case(
                page,
                "figure",
                "drifted",
                "hedged-" + variant,
                f"{figure.hedge} {surface}",
                made,
                context=context,
                origin=sentence,
                suite="known-misses",
            )
        )
        if made == per_type:
            break
    return cases


#: The worked example beside the corpus (``../shared/worked-example``) or as the environment says.
WORKED_EXAMPLE = Path(
    os.environ.get("CLAIMCHECK_WORKED_EXAMPLE") or DEFAULT_CORPUS.parent.parent / "worked-example"
)


def natural_pages(directory: Path) -> list[Page]:
    """The worked example's sources (``sources.json``): each source's verbatim passages, one
    paragraph each, as one source text."""
    pages = []
    for source in extra.load_passages(directory / "sources.json"):
        pages.append(text_page(source.id, "\n".join(source.passages)))
    return pages


def other_outlet_cases(pages: Sequence[Page]) -> list[Case]:
    """Natural variation: a passage of one outlet quoted against another outlet whose passage
    reports the same thing in other words (>= 4 content words shared, e.g. the same speech in
    two translations). Expected drifted; never verified."""
    cases: list[Case] = []
    for page in pages:
        made = 0
        for other in pages:
            if other.id == page.id:
                continue
            for sentence in other.sentences:
                if len(sentence.split()) < 6 or squash(sentence) in page.squashed:
                    continue
                shared = max(
                    (len(content_words(sentence) & content_words(own)) for own in page.sentences),
                    default=0,
                )
                if shared >= 4:
                    made += 1
                    cases.append(
                        make_case(
                            page,
                            "quote",
                            "drifted",
                            "other-outlet",
                            sentence,
                            made,
                            origin=f"source {other.id}",
                            suite="natural",
                        )
                    )
    return cases


def is_prose(sentence: str) -> bool:
    """Whether a PDF sentence reads as prose a statement could quote: it ends a sentence, is
    mostly letters, has no mathematical or other symbols, Greek letters, combining marks or
    control characters, and at most two one-letter words (formula variables). A textbook's
    formulas are not quotes, and the readings of their sub- and superscripts differ between any
    two extractors; table cells and headings are not sentences."""
    if sum(c.isalpha() or c.isspace() for c in sentence) < 0.9 * len(sentence):
        return False
    if any(
        unicodedata.category(c) in ("Sm", "So", "Mn", "Cc", "Co") or "\u0370" <= c <= "\u03ff"
        for c in sentence
    ):
        return False
    singles = [w for w in re.findall(r"\b\w\b", sentence) if w not in ("a", "A", "I", "à")]
    return (
        len(singles) <= 2
        and re.search(r"[.!?][\"'”’)]*$", sentence) is not None  # not a heading or table cells
        and ". . ." not in sentence
        and not re.search(r"\b[^\W\d_]+\d+\b", sentence)  # "R2", "x0": symbols with indexes
        and not re.search(r"\([a-z]\)", sentence)  # "(a) ... im(b)": sub-figure captions
    )


def pdf_pages(directory: Path) -> tuple[list[Page], str]:
    """The corpus PDFs as sources: poppler's reading gives the sentences (the reference),
    claimcheck extracts the bytes, the baselines read pypdfium2's plain text."""
    pages = []
    sources = extra.load_pdfs(directory)
    for source in sources:
        page = text_page(
            source.id,
            "\n".join(source.paragraphs),
            raw=source.raw,
            mime="application/pdf",
            naive_text=extra.naive_pdf_text(source.raw),
        )
        page.kept = [i for i in page.kept if is_prose(page.sentences[i])]
        pages.append(page)
    reader = sources[0].reader if sources else "-"
    return pages, reader


LANGUAGE_GROUPS = ("de", "da", "fr", "ar")


def language_cases(seed: int, count: int) -> tuple[list[Page], list[Case]]:
    """Synthetic figure and date sentences in German, Danish, French and Arabic (Arabic-Indic
    digits), ``count`` source texts per language (see ``_accuracy_cases.synthetic_cases``)."""
    pages: list[Page] = []
    cases: list[Case] = []
    for language in LANGUAGE_GROUPS:
        made: Counter[str] = Counter()
        sources: dict[str, Page] = {}
        for case in extra.synthetic_cases(language, random.Random(f"{seed}:{language}"), count):
            page = sources.get(case.source)
            if page is None:
                page = text_page(f"{language}{len(sources):03d}", case.source)
                sources[case.source] = page
                pages.append(page)
            key = f"{case.kind}-{case.expected}-{case.variant}"
            made[key] += 1
            cases.append(
                make_case(
                    page,
                    case.kind,
                    case.expected,
                    case.variant,
                    case.claim,
                    made[key],
                    context=case.context,
                    origin=case.source,
                    suite=f"lang-{language}",
                    language=case.language,
                )
            )
    return pages, cases


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


def run_baseline(pages: Sequence[Page], cases: Sequence[Case], parse_seconds: float) -> MethodRun:
    """The naive baseline: ``partial_ratio(claim, get_text())`` with fixed thresholds.

    No normalisation at all; >= 90 is "verified", >= 60 "drifted", anything lower "absent".
    Figures and dates are treated as quotes of their claim text (the context is ignored).
    """
    from rapidfuzz import fuzz

    texts = {page.id: page.naive_text for page in pages}
    predictions: dict[str, Prediction] = {}
    started = time.perf_counter()
    for case in cases:
        score = fuzz.partial_ratio(case.claim, texts[case.page])
        status = "verified" if score >= 90 else "drifted" if score >= 60 else "absent"
        predictions[case.id] = Prediction(status, f"partial_ratio {score:.1f}", score=score)
    return MethodRun("naive baseline", predictions, parse_seconds, time.perf_counter() - started)


def run_fair_baseline(
    pages: Sequence[Page], cases: Sequence[Case], parse_seconds: float
) -> MethodRun:
    """The fair baseline: what a careful user would script in an afternoon.

    Claim and page (``get_text(" ")``) both go through the benchmark's own normalisation
    (:func:`project`: NFKC, straight quotes, ASCII hyphens, casefolded, whitespace collapsed),
    the normalisation claimcheck is given credit for. The claim is cut at omission marks and
    brackets (:func:`_accuracy_cases.fragments`); when every fragment is found, in order, it is
    "verified"; else ``partial_ratio`` of the normalised claim >= 60 is "drifted", below
    "absent". Figures and dates: the claim text as the quote.
    """
    from rapidfuzz import fuzz

    texts = {page.id: page.fair_text for page in pages}
    predictions: dict[str, Prediction] = {}
    started = time.perf_counter()
    for case in cases:
        text = texts[case.page]
        parts = [project(part) for part in extra.fragments(case.claim)]
        if parts and extra.in_order(parts, text):
            predictions[case.id] = Prediction("verified", "fragments found", score=100.0)
            continue
        score = fuzz.partial_ratio(project(case.claim), text)
        status = "drifted" if score >= 60 else "absent"
        predictions[case.id] = Prediction(status, f"partial_ratio {score:.1f}", score=score)
    return MethodRun("fair baseline", predictions, parse_seconds, time.perf_counter() - started)


#: claimcheck's extracted texts, kept across seeds (keyed by page id and the bytes' hash).
_EXTRACTED: dict[tuple[str, int], Any] = {}


def run_claimcheck(pages: Sequence[Page], cases: Sequence[Case]) -> MethodRun:
    """claimcheck itself: ``extract_text`` once per source, then ``match_quote``/``figure``/
    ``date`` against the source's :class:`~claimcheck.matching.SourceIndex` (made on the
    source's first case, timed with the matching).

    A crash on one case is recorded as an "error" prediction (with the exception in the
    explanation) rather than aborting the benchmark; "broken" counts as predicting "absent".
    A case's ``language`` (the synthetic non-English claims) is passed on as a claims file
    would pass it.
    """
    import claimcheck
    from claimcheck.matching import SourceIndex

    texts: dict[str, Any] = {}
    indexes: dict[str, SourceIndex] = {}
    failures: dict[str, str] = {}
    started = time.perf_counter()
    for page in pages:
        key = (page.id, hash(page.raw))
        if key in _EXTRACTED:
            texts[page.id] = _EXTRACTED[key]
            continue
        try:
            texts[page.id] = _EXTRACTED[key] = claimcheck.documents.extract_text(
                page.raw, page.mime
            )
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
                    case.claim, text, context=case.context, language=case.language, index=index
                )
            else:
                evidence = claimcheck.matching.match_date(
                    case.claim, text, context=case.context, language=case.language, index=index
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


#: Answers other than the expected class that are still right: a same-topic sentence of another
#: page was never said here, and calling it drifted (it resembles a sentence here) is not wrong;
#: another outlet's wording of the same speech is drifted or, when the wordings share too little,
#: not found. Neither may ever be verified (their own target).
ACCEPTABLE = {
    "same-topic": frozenset({"absent", "drifted"}),
    "other-outlet": frozenset({"absent", "drifted"}),
}

SUITES = ("news", "known-misses", "near-miss", "two-edit", "natural", "pdf", "lang")
SUITE_TITLES = {
    "news": "news pages, one edit (the cases the engine was developed with)",
    "known-misses": "issue 15's named misses, built from news sentences (ordinals, leading "
    "omission marks, hedged figures)",
    "near-miss": "near misses on news pages (roles swapped, a word of the same page, same topic)",
    "two-edit": "two edits in one quote, news pages",
    "natural": "worked example: verbatim passages of real sources, other outlets' wording",
    "pdf": "PDF corpus (reference reading: pdftotext)",
    "lang-de": "synthetic German figures (digits, number words) and dates",
    "lang-da": "synthetic Danish figures (digits, number words) and dates",
    "lang-fr": "synthetic French figures (digits, number words) and dates",
    "lang-ar": "synthetic Arabic figures and dates in Arabic-Indic digits",
}
#: A language group must have this many cases for its figure/date target to count.
MIN_GROUP = 30
TARGET_FIGURES_DATES = 0.97


def correct(case: Case, status: str) -> bool:
    """Whether a method's answer for ``case`` is right (see :data:`ACCEPTABLE`)."""
    return status in ACCEPTABLE.get(case.variant, frozenset({case.expected}))


def suite_order(suite: str) -> int:
    """Sort key of a suite name (``lang-xx`` after the others)."""
    return SUITES.index("lang" if suite.startswith("lang-") else suite) * 10 + (
        LANGUAGE_GROUPS.index(suite[5:]) if suite.startswith("lang-") else 0
    )


@dataclass(frozen=True)
class Target:
    """One target measured on one seed's cases: its value as text, the number behind it."""

    name: str
    value: float  # a share (0..1) or a count
    shown: str
    met: bool
    count: bool = False  # a count ("0 verified") rather than a share


def target_results(cases: Sequence[Case], run: MethodRun) -> list[Target]:
    """The stated targets of issue 15, measured on ``cases`` for ``run`` (claimcheck)."""

    def status(case: Case) -> str:
        return run.predictions[case.id].status

    quotes = [case for case in cases if case.kind == "quote"]
    targets: list[Target] = []
    verified = [case for case in quotes if case.expected == "verified"]
    hits = sum(status(case) == "verified" for case in verified)
    share = hits / len(verified) if verified else 1.0
    targets.append(
        Target(
            f"verified recall >= {100 * TARGET_VERIFIED_RECALL:.1f}% (all quote suites)",
            share,
            extra.share_with_interval(hits, len(verified)),
            share >= TARGET_VERIFIED_RECALL,
        )
    )
    by_type: dict[str, list[Case]] = defaultdict(list)
    for case in quotes:
        if case.expected == "drifted":
            by_type[case.variant].append(case)
    for variant, members in sorted(by_type.items()):
        if variant in ACCEPTABLE:
            continue  # judged by "never verified" below
        hits = sum(status(case) == "drifted" for case in members)
        share = hits / len(members)
        suites = ",".join(sorted({case.suite for case in members}, key=suite_order))
        targets.append(
            Target(
                f"drifted recall >= {100 * TARGET_DRIFTED_RECALL:.0f}%: {variant} ({suites})",
                share,
                extra.share_with_interval(hits, len(members)),
                share >= TARGET_DRIFTED_RECALL,
            )
        )
    near = [case for case in quotes if case.suite == "near-miss" or case.variant == "other-outlet"]
    leaked = sum(status(case) == "verified" for case in near)
    targets.append(
        Target(
            f"near misses verified: 0 (of {len(near)})",
            leaked,
            f"{leaked} verified",
            leaked == 0,
            count=True,
        )
    )
    absent = [case for case in quotes if case.expected == "absent"]
    leaked = sum(status(case) == "verified" for case in absent)
    targets.append(
        Target(
            f"absent quotes verified: 0 (of {len(absent)})",
            leaked,
            f"{leaked} verified",
            leaked == 0,
            count=True,
        )
    )
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        if case.kind != "quote":
            language = case.suite[5:] if case.suite.startswith("lang-") else "en"
            groups[language, case.kind].append(case)
    for (language, kind), members in sorted(groups.items()):
        if len(members) < MIN_GROUP:
            continue
        hits = sum(correct(case, status(case)) for case in members)
        share = hits / len(members)
        targets.append(
            Target(
                f"{kind}s ({language}) correct >= {100 * TARGET_FIGURES_DATES:.0f}%",
                share,
                extra.share_with_interval(hits, len(members)),
                share >= TARGET_FIGURES_DATES,
            )
        )
    return targets


def side_by_side(cases: Sequence[Case], runs: Sequence[MethodRun]) -> list[str]:
    """Per suite, kind, class and variant: each method's share of right answers with its 95 %
    Wilson interval, and how often claimcheck said "verified" where it must not."""
    names = [run.name for run in runs]
    lines = [
        f"    {'kind':<6} {'class':<8} {'variant':<14} {'n':>5}  "
        + "  ".join(f"{name:<22}" for name in names)
        + "  cc→verified"
    ]
    groups: dict[tuple[str, str, str, str], list[Case]] = defaultdict(list)
    for case in cases:
        groups[case.suite, case.kind, case.expected, case.variant].append(case)
    order = {name: i for i, name in enumerate((*VERIFIED_VARIANTS, *DRIFT_TYPES))}
    current = None
    for key in sorted(
        groups,
        key=lambda k: (
            suite_order(k[0]),
            KINDS.index(k[1]),
            CLASSES.index(k[2]),
            order.get(k[3], 99),
            k[3],
        ),
    ):
        suite, kind, expected, variant = key
        members = groups[key]
        if suite != current:
            current = suite
            lines += ["", f"  {suite}: {SUITE_TITLES.get(suite, suite)}"]
        cells = []
        for run in runs:
            hits = sum(correct(case, run.predictions[case.id].status) for case in members)
            cells.append(f"{extra.share_with_interval(hits, len(members)):<22}")
        leaked = (
            ""
            if expected == "verified"
            else str(sum(runs[0].predictions[case.id].status == "verified" for case in members))
        )
        lines.append(
            f"    {kind:<6} {expected:<8} {variant:<14} {len(members):>5}  "
            + "  ".join(cells)
            + f"  {leaked:>11}"
        )
    lenient = [case for case in cases if case.variant in ACCEPTABLE]
    for variant in sorted({case.variant for case in lenient}):
        for run in runs:
            said = Counter(run.predictions[c.id].status for c in lenient if c.variant == variant)
            lines.append(
                f"    {variant} ({sum(said.values())}), {run.name} said: "
                + ", ".join(f"{status} {count}" for status, count in sorted(said.items()))
            )
    return lines


def wins_and_losses(cases: Sequence[Case], runs: Sequence[MethodRun]) -> list[str]:
    """Per suite, kind and class: claimcheck against the fair baseline, with the variants where
    the baseline does better ("wins" / "loses" only when the 95 % intervals do not overlap)."""
    claimcheck, fair = runs[0], next(run for run in runs if run.name == "fair baseline")
    groups: dict[tuple[str, str, str], list[Case]] = defaultdict(list)
    for case in cases:
        groups[case.suite, case.kind, case.expected].append(case)
    lines = []
    for key in sorted(
        groups, key=lambda k: (suite_order(k[0]), KINDS.index(k[1]), CLASSES.index(k[2]))
    ):
        members = groups[key]
        n = len(members)
        ours = sum(correct(c, claimcheck.predictions[c.id].status) for c in members)
        theirs = sum(correct(c, fair.predictions[c.id].status) for c in members)
        (low, high), (their_low, their_high) = extra.wilson(ours, n), extra.wilson(theirs, n)
        verdict = "wins " if low > their_high else "loses" if high < their_low else "ties "
        worse = []
        for variant in sorted({c.variant for c in members}):
            part = [c for c in members if c.variant == variant]
            a = sum(correct(c, claimcheck.predictions[c.id].status) for c in part)
            b = sum(correct(c, fair.predictions[c.id].status) for c in part)
            if b > a:
                ours_part, theirs_part = pct(a, len(part)).strip(), pct(b, len(part)).strip()
                worse.append(f"{variant} {ours_part} vs {theirs_part}")
        lines.append(
            f"    {verdict}  {key[0]:<12} {key[1]:<6} {key[2]:<8} n={n:<5} claimcheck "
            f"{pct(ours, n).strip():>6}, fair {pct(theirs, n).strip():>6}"
            + (f"; fair baseline better on: {', '.join(worse)}" if worse else "")
        )
    return lines


def clip(text: str, width: int = 240) -> str:
    """Shorten ``text`` to one line of at most ``width`` characters."""
    text = " ".join(text.split()) if "  " not in text else text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def failure_lines(cases: Sequence[Case], run: MethodRun, limit: int) -> list[str]:
    """Misclassified cases, round-robin over (kind, class, variant) so every pattern shows."""
    groups: dict[tuple[str, str, str], list[Case]] = defaultdict(list)
    for case in cases:
        if not correct(case, run.predictions[case.id].status):
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


@dataclass
class SeedResult:
    """One seed's cases and each method's predictions on them."""

    seed: int
    case_set: CaseSet  # the news suite and its bookkeeping
    cases: list[Case]  # every suite
    runs: list[MethodRun]  # claimcheck first (when measured), then the baselines
    targets: list[Target]  # claimcheck's, empty when it was not measured


def case_counts(cases: Sequence[Case]) -> list[str]:
    """Cases per suite, kind and class, with the variants."""
    lines = []
    for suite in sorted({case.suite for case in cases}, key=suite_order):
        lines.append(f"  {suite}: {SUITE_TITLES.get(suite, suite)}")
        for kind in KINDS:
            members = ordered([case for case in cases if case.suite == suite], kind)
            for expected in CLASSES:
                counts = Counter(case.variant for case in members if case.expected == expected)
                if counts:
                    detail = ", ".join(f"{name} {count}" for name, count in counts.items())
                    lines.append(
                        f"    {kind:<6} {expected:<9} {sum(counts.values()):>5}  ({detail})"
                    )
    return lines


def news_details(cases: Sequence[Case], runs: Sequence[MethodRun]) -> list[str]:
    """The detailed tables of the news suite, per method (as before issue 15)."""
    lines: list[str] = []
    for run in runs:
        lines += ["", "-" * 72, f"{run.name}: news suite in detail", "-" * 72]
        for kind in KINDS:
            members = ordered(cases, kind)
            if not members:
                continue
            lines += ["", f"  {kind}s: classes"]
            lines += class_table(members, run)
            for expected, title in (("verified", "verified variants"), ("drifted", "edit types")):
                lines += ["", f"  {kind}s: {title}"]
                lines += variant_table(members, run, expected)
        errors = sum(run.predictions[case.id].status == "error" for case in cases)
        if errors:
            lines.append(f"  cases that raised an exception: {errors}")
    return lines


def seeds_table(results: Sequence[SeedResult]) -> list[str]:
    """Each target per seed, its worst and mean value, and whether every seed meets it."""
    seeds = [result.seed for result in results]
    lines = [
        f"    {'':<7}  {'target':<58} "
        + " ".join(f"{'seed ' + str(seed):>12}" for seed in seeds)
        + f" {'worst':>8} {'mean':>8}"
    ]
    for position, first in enumerate(results[0].targets):
        rows = [result.targets[position] for result in results if len(result.targets) > position]
        values = [row.value for row in rows]
        met = all(row.met for row in rows)
        if first.count:
            cells = [f"{int(v):>12}" for v in values]
            worst, mean = f"{int(max(values)):>8}", f"{sum(values) / len(values):>8.1f}"
        else:  # rounded down, so that 97.97 % (below 98 %) never shows as "98.0%"
            cells = [f"{math.floor(1000 * v) / 10:>11.1f}%" for v in values]
            worst = f"{math.floor(1000 * min(values)) / 10:>7.1f}%"
            mean = f"{math.floor(1000 * sum(values) / len(values)) / 10:>7.1f}%"
        lines.append(
            f"    {'met    ' if met else 'NOT MET'}  {first.name:<58} "
            + " ".join(cells)
            + f" {worst} {mean}"
        )
    return lines


def format_report(
    corpus: Corpus, results: Sequence[SeedResult], notes: Sequence[str], args: argparse.Namespace
) -> str:
    """The whole plain-text report: set-up, side-by-side tables (first seed), wins and losses,
    targets over every seed, the news suite in detail, timings and claimcheck's failures."""
    first = results[0]
    case_set, cases, runs = first.case_set, first.cases, first.runs
    seeds = ", ".join(str(result.seed) for result in results)
    lines = [
        "claimcheck matching accuracy on real pages (benchmarks/accuracy.py)",
        "=" * 72,
        f"corpus: news-html, {len(corpus.pages)} pages; seeds {seeds} (the first is the seed the "
        f"engine was developed with); up to {args.per_type} case(s) per type per news page, "
        f"{3 * args.per_type} per PDF and per worked-example source",
        *notes,
        f"news sentences {MIN_SENTENCE}-{MAX_SENTENCE} chars: {case_set.sentences}; located in "
        f"their page: {case_set.located}; dropped (not in the page's text): "
        f"{case_set.sentences - case_set.located}",
        *(f"  e.g. dropped: {clip(sentence, 100)!r}" for sentence in case_set.dropped_examples),
        "",
        f"cases of seed {first.seed} ({len(cases)}):",
        *case_counts(cases),
        "",
        "-" * 72,
        f"side by side, seed {first.seed}: share of right answers [95% Wilson interval]",
        "-" * 72,
        "  right = the expected class (same-topic near misses: absent or drifted, never verified);",
        "  cc→verified = claimcheck said verified where it must not",
        *side_by_side(cases, runs),
    ]
    if runs[0].name == "claimcheck":
        lines += [
            "",
            "-" * 72,
            f"where claimcheck wins / loses against the fair baseline (seed {first.seed})",
            "-" * 72,
            *wins_and_losses(cases, runs),
        ]
        lines += [
            "",
            "-" * 72,
            f"targets (claimcheck) over seeds {seeds}",
            "-" * 72,
            *seeds_table(results),
        ]
    news = [case for case in cases if case.suite == "news"]
    lines += news_details(news, runs)
    lines += ["", "-" * 72, f"timing (informational, seconds, seed {first.seed})", "-" * 72]
    for run in runs:
        per_case = 1000 * run.match_seconds / len(cases) if cases else 0.0
        lines.append(
            f"  {run.name:<16} extraction {run.extract_seconds:8.2f}   matching "
            f"{run.match_seconds:8.2f}   ({per_case:.2f} ms per case)"
        )
    for result in results:
        if result.runs[0].name == "claimcheck":
            lines += [
                "",
                "-" * 72,
                f"claimcheck: misclassified cases, seed {result.seed}",
                "-" * 72,
            ]
            lines += failure_lines(
                result.cases,
                result.runs[0],
                args.failures if result is first else args.failures // 3,
            )
    return "\n".join(line.rstrip() for line in lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="news-html directory")
    parser.add_argument("--pdf", type=Path, default=None, help="PDF directory (default: beside)")
    parser.add_argument(
        "--worked-example", type=Path, default=WORKED_EXAMPLE, help="has sources.json"
    )
    parser.add_argument("--limit-pages", type=int, default=None, metavar="N", help="first N pages")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the first seed")
    parser.add_argument(
        "--seeds", type=int, default=3, metavar="N", help="run N seeds: --seed, --seed+1, ..."
    )
    parser.add_argument(
        "--per-type", type=int, default=2, metavar="N", help="cases per variant/type per page"
    )
    parser.add_argument(
        "--language-texts",
        type=int,
        default=12,
        metavar="N",
        help="synthetic texts per language and seed",
    )
    parser.add_argument(
        "--suites", default=",".join(SUITES), help=f"comma-separated, of {','.join(SUITES)}"
    )
    parser.add_argument("--failures", type=int, default=30, metavar="N", help="failures to list")
    parser.add_argument("--output", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--baseline-only", action="store_true", help="skip claimcheck (develop the cases)"
    )
    parser.add_argument(
        "--check-targets",
        action="store_true",
        help="exit 1 when claimcheck misses a target on any seed (or cannot run)",
    )
    return parser.parse_args(argv)


@dataclass
class Sources:
    """The seed-independent sources besides the news pages."""

    natural: list[Page]
    pdfs: list[Page]
    neighbours: Neighbours
    drift_edits: dict[str, Edit]
    notes: list[str]


def load_sources(corpus: Corpus, args: argparse.Namespace, suites: set[str]) -> Sources:
    """Read the worked example's passages and the PDFs; index the near misses."""
    notes = []
    natural = natural_pages(args.worked_example) if "natural" in suites else []
    if "natural" in suites:
        notes.append(
            f"natural: {len(natural)} sources of {args.worked_example / 'sources.json'}"
            if natural
            else "natural: skipped (no worked-example sources.json)"
        )
    pdfs: list[Page] = []
    if "pdf" in suites:
        directory = args.pdf or args.corpus.parent / "pdf"
        pdfs, reader = pdf_pages(directory)
        notes.append(
            f"pdf: {len(pdfs)} PDFs of {directory}, sentences from {reader}'s reading; the "
            "baselines read pypdfium2's plain text"
            if pdfs
            else f"pdf: skipped (no PDFs at {directory})"
        )
    if "lang" in suites:
        notes.append(
            f"lang: SYNTHETIC templated sentences, {args.language_texts} texts per language and "
            f"seed ({', '.join(LANGUAGE_GROUPS)}; Arabic in Arabic-Indic digits)"
        )
    neighbours = find_neighbours(corpus.pages) if "near-miss" in suites else Neighbours({})
    return Sources(natural, pdfs, neighbours, drift_edit_set(corpus.pages), notes)


def generate_all(
    corpus: Corpus, sources: Sources, seed: int, args: argparse.Namespace, suites: set[str]
) -> tuple[CaseSet, list[Case], list[Page]]:
    """Every suite's cases for one seed, and every source they are checked against."""
    case_set = generate_cases(corpus.pages, seed, args.per_type)
    cases = list(case_set.cases) if "news" in suites else []
    pages = list(corpus.pages)
    for page in corpus.pages:
        if "near-miss" in suites:
            rng = random.Random(f"{seed}:{page.id}:near-miss")
            cases += near_miss_cases(page, sources.neighbours, rng, args.per_type)
        if "known-misses" in suites:
            rng = random.Random(f"{seed}:{page.id}:known-misses")
            cases += known_miss_cases(page, rng, args.per_type)
        if "two-edit" in suites:
            rng = random.Random(f"{seed}:{page.id}:two-edit")
            cases += two_edit_cases(page, rng, args.per_type, sources.drift_edits)
    for suite, group in (("natural", sources.natural), ("pdf", sources.pdfs)):
        for page in group:
            rng = random.Random(f"{seed}:{page.id}")
            others = [other for other in group if other.id != page.id]
            cases += edited_quote_cases(
                page, others, rng, 3 * args.per_type, sources.drift_edits, suite
            )
        pages += group
    if sources.natural:
        cases += other_outlet_cases(sources.natural)
    if "lang" in suites:
        lang_pages, lang_cases = language_cases(seed, args.language_texts)
        pages += lang_pages
        cases += lang_cases
    duplicates = [key for key, n in Counter(case.id for case in cases).items() if n > 1]
    assert not duplicates, duplicates[:5]
    return case_set, cases, pages


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report; return the process exit status."""
    args = parse_args(argv)
    corpus_dir: Path = args.corpus
    if not (corpus_dir / "ground-truth.json").is_file() or not (corpus_dir / "html").is_dir():
        print(f"accuracy benchmark skipped: no news-html corpus at {corpus_dir}")
        return 0
    suites = {name.strip() for name in args.suites.split(",") if name.strip()}
    unknown = suites - set(SUITES)
    if unknown:
        print(f"unknown suite(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    corpus = load_corpus(corpus_dir, args.limit_pages)
    sources = load_sources(corpus, args, suites)
    results = []
    for seed in range(args.seed, args.seed + max(1, args.seeds)):
        case_set, cases, pages = generate_all(corpus, sources, seed, args, suites)
        runs = [
            run_fair_baseline(pages, cases, corpus.parse_seconds),
            run_baseline(pages, cases, corpus.parse_seconds),
        ]
        targets: list[Target] = []
        if not args.baseline_only:
            runs.insert(0, run_claimcheck(pages, cases))
            targets = target_results(cases, runs[0])
        results.append(SeedResult(seed, case_set, cases, runs, targets))
    report = format_report(corpus, results, sources.notes, args)
    if args.baseline_only:
        report += "\nclaimcheck not measured: skipped (--baseline-only)\n"
    sys.stdout.write(report)
    if args.output is not None:
        args.output.write_text(report, encoding="utf-8")
    if args.check_targets:
        met = all(target.met for result in results for target in result.targets)
        return 0 if not args.baseline_only and met else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

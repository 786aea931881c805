"""Numbers written in words, in English, Danish, Dutch, German and French: runs of number words
found with their spans, read by text2num.

text2num parses a phrase once it is isolated (and ``alpha2digit`` rewrites text, losing
positions), so this module finds the runs and text2num parses them. A single plain number word
counts only in the text's own language (guessed from its stop words): "to", "fire", "tien" and
"neuf" are also common words.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs
from text_to_num import text2num

from ._digits import BIG_SCALES, LETTERS, scale_multiplier
from ._tags import primary_language

__all__ = ["NUMBER_WORDS", "WordFigure", "is_number_word", "word_figures"]


@attrs.frozen
class _Vocabulary:
    """The number words of one language, as text2num reads them.

    ``words`` are whole number words. ``morphemes`` (Danish, Dutch, German) are the pieces that
    compound into one word ("seks|og|tyve", "zes|en|twintig"); None where numbers are written as
    separate words. ``connectors`` join number words ("one hundred and five", "vingt et un").
    ``articles`` mean "one" but are far more often "a"/"an" or the pronoun "one"; ``explicit_ones``
    are spellings that can only be the numeral ("één", "én", "eins"). ``scales`` are the hundred,
    thousand and larger words; ``vague`` are quantifiers that make a bare scale word vague
    ("nogle hundrede", "einige hundert": a few hundred; English needs "a hundred" anyway).
    """

    words: frozenset[str]
    morphemes: tuple[str, ...] | None
    connectors: frozenset[str]
    articles: frozenset[str]
    explicit_ones: frozenset[str]
    scales: frozenset[str]
    vague: frozenset[str]


def _vocabulary(
    words: str,
    *,
    morphemes: str | None = None,
    connectors: str,
    articles: str,
    explicit_ones: str = "",
    scales: str,
    vague: str = "",
) -> _Vocabulary:
    return _Vocabulary(
        words=frozenset(words.split()),
        morphemes=None if morphemes is None else tuple((words + " " + morphemes).split()),
        connectors=frozenset(connectors.split()),
        articles=frozenset(articles.split()),
        explicit_ones=frozenset(explicit_ones.split()),
        scales=frozenset(scales.split()),
        vague=frozenset(vague.split()),
    )


# Order matters: it breaks ties between languages that share a word ("six", "million").
_VOCABULARIES: Final[dict[str, _Vocabulary]] = {
    "en": _vocabulary(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred thousand million billion trillion",
        connectors="and",
        articles="one",
        scales="hundred thousand million billion trillion",
    ),
    "da": _vocabulary(
        "nul en et én to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten "
        "seksten sytten atten nitten tyve tredive fyrre fyrretyve halvtreds halvtredsindstyve "
        "tres tresindstyve halvfjerds halvfjerdsindstyve firs firsindstyve halvfems "
        "halvfemsindstyve hundrede tusind tusinde million millioner milliard milliarder billion "
        "billioner",
        morphemes="og",
        connectors="og",
        articles="en et",
        explicit_ones="én",
        scales="hundrede tusind tusinde million millioner milliard milliarder billion billioner",
        vague="nogle flere mange få par adskillige",
    ),
    "nl": _vocabulary(
        "nul een één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
        "vijftien zestien zeventien achttien negentien twintig dertig veertig vijftig zestig "
        "zeventig tachtig negentig honderd duizend miljoen miljoenen miljard miljarden biljoen",
        morphemes="en ën",
        connectors="en",
        articles="een",
        explicit_ones="één",
        scales="honderd duizend miljoen miljoenen miljard miljarden biljoen",
        vague="enkele enige paar vele",
    ),
    "de": _vocabulary(
        "null ein eins eine zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
        "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig dreißig dreissig vierzig "
        "fünfzig sechzig siebzig achtzig neunzig hundert tausend million millionen milliarde "
        "milliarden billion billionen",
        morphemes="und",
        connectors="und",
        articles="ein eine",
        explicit_ones="eins",
        scales="hundert tausend million millionen milliarde milliarden billion billionen",
        vague="einige mehrere viele paar etliche",
    ),
    "fr": _vocabulary(
        "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
        "quinze seize vingt vingts trente quarante cinquante soixante cent cents mille million "
        "millions milliard milliards billion billions",
        connectors="et",
        articles="un une",
        scales="cent cents mille million millions milliard milliards billion billions",
        vague="quelques plusieurs",
    ),
}
_WORD_LANGUAGES: Final = tuple(_VOCABULARIES)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True))


@functools.cache
def _token_regex(language: str) -> re.Pattern[str]:
    vocabulary = _VOCABULARIES[language]
    pieces = vocabulary.morphemes or tuple(vocabulary.words | vocabulary.connectors)
    repeat = "+" if vocabulary.morphemes else ""
    return re.compile(rf"(?:{_alternation(pieces)}){repeat}")


@functools.cache
def _run_regex(languages: tuple[str, ...], *, ignore_case: bool) -> re.Pattern[str]:
    """Runs of tokens made only of number-word pieces of ``languages``, joined by spaces or
    hyphens: the only places text2num needs to look.

    The lookahead for a piece's first letter lets the scan skip most positions cheaply; the
    scan runs on lowercased text where it can, as ``re.IGNORECASE`` makes it three times slower.
    """
    pieces: set[str] = set()
    for language in languages:
        vocabulary = _VOCABULARIES[language]
        pieces |= set(vocabulary.morphemes or ()) | vocabulary.words | vocabulary.connectors
    first_letters = "".join(sorted({piece[0] for piece in pieces}))
    token = rf"(?=[{first_letters}])(?<![^\W\d_])(?:{_alternation(pieces)})+(?![^\W\d_])"
    return re.compile(
        rf"{token}(?:[\s\-\u2010\u2011]{{1,3}}{token})*", re.IGNORECASE if ignore_case else 0
    )


@functools.lru_cache(maxsize=4096)
def _token_languages(token: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(lang for lang in languages if _token_regex(lang).fullmatch(token))


@functools.lru_cache(maxsize=8192)
def _text2num(phrase: str, language: str) -> int | None:
    try:
        value = text2num(phrase, language)
    except ValueError:
        return None
    return value if isinstance(value, int) else None


def _words_value(words: Sequence[str], phrase: str, language: str) -> int | None:
    """The value of a run of number words, or None when text2num does not read it as one number.

    text2num misses some big-scale words ("eine Million", "deux billions", "trillion",
    "miljarden"); for those the multiplier before the scale word is parsed alone.
    """
    value = _text2num(phrase, language)
    if value is not None or words[-1] not in BIG_SCALES:
        return value
    scale = scale_multiplier(words[-1], language)
    head = words[:-1]
    vocabulary = _VOCABULARIES[language]
    if not head or (len(head) == 1 and head[0] in vocabulary.articles):
        multiplier: int | None = 1
    else:
        multiplier = _text2num(" ".join(head), language)
    return None if multiplier is None else int(multiplier * scale)


# Stop words that occur in one of the word languages only, to guess the language of a text.
_STOP_WORDS: Final[dict[str, frozenset[str]]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of that is was were with for have has from which said this are by it not "
        "but been their they would",
        "da": "og det er til på som med af ikke der den var har blev fra om kan jeg efter også "
        "hun han skal vil være",
        "nl": "het een van dat niet zijn werd voor met ook naar door bij maar wordt deze heeft "
        "die zij",
        "de": "der die und das ist nicht mit von den zu sich auf eine wurde auch dem des für im "
        "wird über einen einem einer vor nach bei noch oder sind haben werden wurden dass seit "
        "gegen zwischen bereits",
        "fr": "le la les des et est une du que qui dans pour pas sur au par été avec ont sont",
    }.items()
}
_STOP_WORD_LANGUAGE: Final = {
    word: lang
    for lang, words in _STOP_WORDS.items()
    for word in words
    if sum(word in other for other in _STOP_WORDS.values()) == 1
}
_STOP_WORD_RE: Final = re.compile(
    rf"(?<![^\W\d_])(?:{_alternation(_STOP_WORD_LANGUAGE)})(?![^\W\d_])", re.IGNORECASE
)
_DETECTION_SAMPLE: Final = 20_000


def _guess_language(text: str) -> str | None:
    """The word language whose stop words dominate the start of ``text``; None when unclear."""
    counts = Counter(
        _STOP_WORD_LANGUAGE[m.group().lower()]
        for m in _STOP_WORD_RE.finditer(text, 0, _DETECTION_SAMPLE)
    )
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]:
        return None
    return ranked[0][0]


@attrs.frozen
class _Token:
    start: int
    end: int
    word: str
    languages: tuple[str, ...]


@attrs.frozen
class WordFigure:
    """A figure written in words: its span and value. ``lone_one`` marks a single word meaning
    1, which is a figure only where its context makes it a count (see ``find_figures``)."""

    start: int
    end: int
    value: Decimal
    lone_one: bool


_ARTICLE_BEFORE_RE: Final = re.compile(r"(?<![^\W\d_])an?\s+$", re.IGNORECASE)
_WORD_BEFORE_RE: Final = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\s+$")
_UNICODE_HYPHENS: Final = str.maketrans("\u2010\u2011", "--")


def word_figures(
    text: str, language: str | None, taken: Sequence[tuple[int, int]]
) -> list[WordFigure]:
    """Figures written in words, outside the spans already ``taken`` by digit figures.

    With ``language`` None, a run counts in whichever word language reads it, except that a run
    of one plain word counts only in the text's own language (guessed from stop words, English
    when unclear): "to" is Danish for two, "fire" for four, "tien" Dutch for ten, and none of
    them is a number in an English or French sentence.
    """
    if language is None:
        languages = _WORD_LANGUAGES
    elif language in _VOCABULARIES:
        languages = (language,)
    else:
        return []
    taken_starts = [start for start, _ in taken]

    @functools.cache
    def preferred() -> str:
        return language or _guess_language(text) or "en"

    # Lowercasing keeps positions unless a letter grows ("İ" → "i̇"); then scan ignoring case.
    lowered = text.lower()
    same_length = len(lowered) == len(text)
    scan = _run_regex(languages, ignore_case=not same_length).finditer(
        lowered if same_length else text
    )
    figures: list[WordFigure] = []
    for run in scan:
        segment: list[_Token] = []
        for letters in LETTERS.finditer(text, run.start(), run.end()):
            word = letters.group().lower()
            i = bisect.bisect_right(taken_starts, letters.start()) - 1
            inside_digits = i >= 0 and letters.start() < taken[i][1]
            token_languages = () if inside_digits else _token_languages(word, languages)
            if token_languages:
                segment.append(_Token(letters.start(), letters.end(), word, token_languages))
            else:
                figures.extend(_read_segment(text, segment, language is None, preferred))
                segment = []
        figures.extend(_read_segment(text, segment, language is None, preferred))
    return figures


# The longest number in words worth reading: "one hundred and twenty-three thousand four hundred
# and fifty-six" is 11 tokens. The cap keeps a long list of number words linear to read.
_MAX_RUN: Final = 16


def _read_segment(
    text: str, tokens: Sequence[_Token], guessing: bool, preferred: Callable[[], str]
) -> list[WordFigure]:
    """Split a run of number-word tokens into the longest pieces that read as one number each
    ("one and two" is 1 and 2)."""
    figures: list[WordFigure] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _MAX_RUN), i, -1):
            read = _read_tokens(text, tokens[i:j], guessing, preferred)
            if read is not None:
                if read is not _REJECTED:
                    figures.append(read)
                i = j
                break
        else:
            i += 1
    return figures


# What _read_tokens returns for words that spell a number but not a figure: they are used up.
_REJECTED: Final = WordFigure(-1, -1, Decimal(0), lone_one=False)


def _read_tokens(
    text: str, tokens: Sequence[_Token], guessing: bool, preferred: Callable[[], str]
) -> WordFigure | None:
    """The figure ``tokens`` spell, :data:`_REJECTED` if they spell a number that is no figure
    (one word of another language than the text's, a bare "hundred" or "millions"), or None if
    they do not spell one number in any of their languages."""
    common = set(tokens[0].languages).intersection(*(t.languages for t in tokens[1:]))
    if not common:
        return None
    text_language = preferred()
    order = sorted(common, key=lambda lang: (lang != text_language, _WORD_LANGUAGES.index(lang)))
    words = [t.word for t in tokens]
    phrase = " ".join(text[tokens[0].start : tokens[-1].end].lower().split())
    phrase = phrase.translate(_UNICODE_HYPHENS)
    for lang in order:
        vocabulary = _VOCABULARIES[lang]
        numerals = [w for w in words if w in vocabulary.words or w not in vocabulary.connectors]
        if words[0] not in numerals or words[-1] not in numerals:
            continue  # "and two", "five og"
        value = _words_value(words, phrase, lang)
        if value is None:
            continue
        # Several words, a compound or an unmistakable numeral ("één") read in any language.
        distinctive = (
            len(numerals) > 1
            or any(w not in vocabulary.words for w in numerals)
            or words[0] in vocabulary.explicit_ones
        )
        if guessing and lang != text_language and not distinctive:
            return _REJECTED
        start = tokens[0].start
        if words[0] in vocabulary.scales:
            # A bare scale word: "a hundred" is 100 (the article is part of the figure), but "a
            # few hundred", "several thousand" and "millions" are no figures. Danish, Dutch,
            # German and French write "hundrede", "duizend", "hundert", "mille" without article.
            if lang == "en" or words[0] in BIG_SCALES:
                article = _ARTICLE_BEFORE_RE.search(text, max(0, start - 4), start)
                if lang != "en" or article is None:
                    return _REJECTED
                start = article.start()
            else:
                before = _WORD_BEFORE_RE.search(text, max(0, start - 30), start)
                if before is not None and before.group(1).lower() in vocabulary.vague:
                    return _REJECTED
        lone_one = value == 1 and len(numerals) == 1 and words[0] not in vocabulary.explicit_ones
        return WordFigure(start, tokens[-1].end, Decimal(value), lone_one)
    return None


# Number words of one language that are common words of another: in a language-neutral set
# they would make "to" → "for" look like a figure change.
_HOMOGRAPHS: Final = frozenset({"to", "fire", "ni", "tien"})


def _number_word_forms() -> frozenset[str]:
    """Number words of every word language, casefolded, for the quote matcher: whole words,
    the compounds 21-99 (hyphenated in English and French, one word in Danish, Dutch, German),
    and the hundreds and thousands compounds of Dutch and German. The article-like spellings of
    one ("en", "een", "ein", "un") are left out: changing "un" to "une" is not a figure change.
    """
    forms: set[str] = {"one"}
    for vocabulary in _VOCABULARIES.values():
        forms |= vocabulary.words - vocabulary.articles
    en_units = "one two three four five six seven eight nine".split()
    en_tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    forms |= {f"{ten}-{unit}" for ten in en_tens for unit in en_units}
    fr_units = "un deux trois quatre cinq six sept huit neuf".split()
    fr_teens = "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf".split()
    forms |= {"dix-sept", "dix-huit", "dix-neuf", "soixante-et-onze", "quatre-vingts"}
    for ten in "vingt trente quarante cinquante soixante".split():
        forms |= {f"{ten}-et-un", *(f"{ten}-{unit}" for unit in fr_units[1:])}
    forms |= {f"soixante-{teen}" for teen in fr_teens if teen != "onze"}
    forms |= {f"quatre-vingt-{unit}" for unit in [*fr_units, *fr_teens]}
    da_units = "en to tre fire fem seks syv otte ni".split()
    da_tens = "tyve tredive fyrre halvtreds tres halvfjerds firs halvfems".split()
    forms |= {f"{unit}og{ten}" for ten in da_tens for unit in da_units}
    nl_units = "een twee drie vier vijf zes zeven acht negen".split()
    nl_tens = "twintig dertig veertig vijftig zestig zeventig tachtig negentig".split()
    forms |= {
        f"{unit}{'ën' if unit.endswith('e') else 'en'}{ten}" for ten in nl_tens for unit in nl_units
    }
    forms |= {f"{unit}{scale}" for unit in nl_units[1:] for scale in ("honderd", "duizend")}
    de_units = "ein zwei drei vier fünf sechs sieben acht neun".split()
    de_tens = "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split()
    forms |= {f"{unit}und{ten}" for ten in de_tens for unit in de_units}
    forms |= {f"{unit}{scale}" for unit in de_units for scale in ("hundert", "tausend")}
    return frozenset(form.casefold() for form in forms) - _HOMOGRAPHS


NUMBER_WORDS: Final[frozenset[str]] = _number_word_forms()
"""Casefolded number words of English, Danish, Dutch, German and French ("one", "twenty-six",
"seksogtyve", "zesentwintig", "sechsundzwanzig", "vingt-six", "million"), so the quote matcher
can tell that "twenty-six" → "twenty-seven" changes a figure. Left out: the article-like words
for one ("en", "een", "ein", "un"), words that are common words of another language ("to",
"fire": Danish two and four), and German and Dutch compounds beyond the hundreds
("hundertsechsundzwanzig"); :func:`is_number_word` reads all of those given a language."""


def is_number_word(token: str, *, language: str | None = None) -> bool:
    """Whether ``token`` is one number word, compounds included ("dreihundertsechsundzwanzig",
    "honderdnegenentachtig", "twenty-six").

    Without ``language`` this is :data:`NUMBER_WORDS` plus compounds text2num reads; with one,
    that language's number words, including those left out of :data:`NUMBER_WORDS` as
    homographs ("to" is a number word in Danish). Article-like words for one never are.
    """
    word = token.casefold()
    key = primary_language(language)
    if key is None:
        if word in NUMBER_WORDS:
            return True
        languages: tuple[str, ...] = _WORD_LANGUAGES
    elif key in _VOCABULARIES:
        languages = (key,)
    else:
        return False
    lowered = token.lower().translate(_UNICODE_HYPHENS)
    for lang in languages:
        vocabulary = _VOCABULARIES[lang]
        parts = lowered.split("-")
        if parts == [lowered] and lowered in vocabulary.articles and lang != "en":
            continue
        # Without a language a plain word must be in NUMBER_WORDS (checked above): "to" is not.
        plain = len(parts) == 1 and lowered in vocabulary.words
        if (
            (key is not None or not plain)
            and all(_token_regex(lang).fullmatch(part) for part in parts)
            and _text2num(lowered, lang) is not None
        ):
            return True
    return False

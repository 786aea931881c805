"""Figures in text: numbers written in digits or words, their scale, their hedge.

A claim such as "around 189 Syrians" asserts a figure, and its source may write that figure in
another convention ("189", "one hundred and eighty-nine", "١٨٩") or another language
("hundrede og niogfirs"). :func:`find_figures` finds every figure of a text with its exact span;
:func:`parse_figure` picks the main figure of a claim; :func:`figure_agrees` decides whether a
value found in a source supports it, with a tolerance set by the claim's hedge.

What no library does, and is therefore written here (see ``shared/reference/matching.md`` §3.2):

- Digit numbers in every separator convention, with spans. babel parses one locale at a time and
  rejects Arabic separators and spaced groups outside French; quantulum reads ``100.000`` as 100.
  So one regex finds candidates and :func:`number_values` lists what each may mean.
- Runs of number words, with spans. text2num parses a phrase once it is isolated (and
  ``alpha2digit`` rewrites text, losing positions), so this module finds the runs and text2num
  parses them.
- Hedges ("more than", "omkring", "plus de") and scale words ("3.5 million", "2 mia.", "$5m").

Signs are not read: "−5" is the figure 5. Ordinals ("26th", "1er") are not figures.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

import attrs
from text_to_num import text2num

__all__ = [
    "HEDGE_WORDS",
    "NUMBER_WORDS",
    "Figure",
    "HedgeKind",
    "figure_agrees",
    "find_figures",
    "is_number_word",
    "number_values",
    "parse_figure",
]


class HedgeKind(enum.StrEnum):
    """What a hedge before a figure says about the true value; sets :func:`figure_agrees`."""

    APPROXIMATE = "approximate"
    AT_LEAST = "at-least"
    MORE_THAN = "more-than"
    AT_MOST = "at-most"
    LESS_THAN = "less-than"


@attrs.frozen
class Figure:
    """A number found in a text.

    ``start``/``end`` span the number itself: its digits or number words plus a scale word
    ("3.5 million", "2.3bn", "a hundred"), never a currency sign, hedge or percent sign, so that
    ``text[start:end] == surface``. A hedge written just before it ("around", "more than") is kept
    as written in ``hedge``, classified in ``hedge_kind``, and starts at ``hedge_start``: the
    figure with its hedge is ``text[hedge_start:end]``. ``percent`` says a percent sign or word
    follows.
    """

    value: Decimal
    start: int
    end: int
    surface: str
    hedge: str | None = None
    hedge_kind: HedgeKind | None = None
    hedge_start: int | None = None
    percent: bool = False

    @property
    def looks_like_year(self) -> bool:
        """Whether the figure reads as a year: an unhedged integer 1000..2199 written as four
        plain digits (any script), not a percentage.

        Such figures are as often dates as counts, so :func:`parse_figure` prefers others.
        """
        return (
            self.hedge is None
            and not self.percent
            and len(self.surface) == 4
            and self.surface.isdecimal()
            and 1000 <= self.value <= 2199
        )


def _words(words: str) -> list[str]:
    """A list of words written as one space-separated string, for the word tables below."""
    return words.split()


# --- Digits ---------------------------------------------------------------------------------

# Group separators that are never decimal marks, decimal marks that never group, and the two
# that may be either. ``\d`` matches every Unicode decimal digit (Arabic-Indic, Persian,
# fullwidth, ...) but not superscripts, so "10²" and "conflict.¹" stay out of numbers.
_SPACES: Final = " \u00a0\u2007\u2009\u202f"
_GROUP_ONLY: Final = frozenset("'\u2019\u066c")
_DECIMAL_ONLY: Final = frozenset("\u066b")
_FULLWIDTH: Final = str.maketrans({"\uff0c": ",", "\uff0e": "."})

_SPACE_GROUPED_BODY: Final = rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,\u066b\uff0c\uff0e]\d+)?"
_SEPARATED_BODY: Final = r"\d+(?:[,.'\u2019\u066b\u066c\uff0c\uff0e]\d+)*"
# A separator only joins digits it touches on both sides, so "March 15, 2021" and "15. marts"
# never merge; a spaced group must be exactly three digits, so "in 1998 250 people" stays two.
# A number may follow an Arabic letter ("و500", and 500) but no other letter ("H1N1", "G20").
_DIGITS_RE: Final = re.compile(
    r"(?<![\d_])(?<![^\W\d_\u0600-\u06ff])"
    rf"(?:{_SPACE_GROUPED_BODY}(?!\d|[{_SPACES}]\d)|{_SEPARATED_BODY})"
)
_SPACE_GROUPED_RE: Final = re.compile(
    rf"(?P<integer>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+)(?:[.,\u066b](?P<fraction>\d+))?"
)
_SEPARATED_RE: Final = re.compile(_SEPARATED_BODY)
_DIGIT_RUN_RE: Final = re.compile(r"\d+")
_SPLIT_SEPARATORS_RE: Final = re.compile(r"(\D)")
_LETTERS_RE: Final = re.compile(r"[^\W\d_]+")

_DOT_DECIMAL: Final = frozenset({"en", "ar", "he", "ja", "zh", "ko", "hi", "th", "ms", "ga", "cy"})
_COMMA_DECIMAL: Final = frozenset(
    _words(
        "da nl de fr es it pt sv nb nn no fi is pl ru uk cs sk sl hr sr bs bg ro hu el tr lt lv "
        "et ca gl eu az kk id vi fa"
    )
)

# Letters glued to a number that make it an ordinal ("26th", "1er", "3ème", "8ste").
_ORDINAL_SUFFIXES: Final = frozenset(_words("st nd rd th er re e ème eme ère ere è ste de"))


def _ascii_digits(digits: str) -> str:
    return "".join(str(unicodedata.decimal(c)) for c in digits)


def _number(integer: str, fraction: str = "") -> Decimal:
    integer = _ascii_digits(integer)
    return Decimal(f"{integer}.{_ascii_digits(fraction)}" if fraction else integer)


def _interpretations(token: str, convention: str | None) -> list[Decimal]:
    """Every value a digit token may stand for, the likeliest under ``convention`` first.

    ``convention`` is ``"dot"`` (English: ``1,000.5``), ``"comma"`` (most of Europe:
    ``1.000,5``) or None (unknown: a lone separator followed by exactly three digits groups).
    An empty list means the token is several numbers run together ("15.03.2021", "1.2.3").
    """
    token = token.translate(_FULLWIDTH)
    spaced = _SPACE_GROUPED_RE.fullmatch(token)
    if spaced is not None:
        integer = "".join(c for c in spaced.group("integer") if c not in _SPACES)
        return [_number(integer, spaced.group("fraction") or "")]
    parts = _SPLIT_SEPARATORS_RE.split(token)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return [_number(token)]
    first = groups[0]

    def groups_well(count: int) -> bool:
        # A grouped number starts with 1-3 digits, never a leading zero ("0,500" is a decimal).
        return (
            1 <= len(first) <= 3
            and _ascii_digits(first[0]) != "0"
            and all(len(g) == 3 for g in groups[1:count])
        )

    grouped = _number("".join(groups))
    if len(set(seps)) == 1:
        sep = seps[0]
        can_group = sep not in _DECIMAL_ONLY and groups_well(len(groups))
        if len(seps) > 1:
            return [grouped] if can_group else []
        decimal = _number(first, groups[1])
        can_decimal = sep not in _GROUP_ONLY
        if can_group and can_decimal:
            # "100,000" or "1.500": the one ambiguous shape, settled by the convention.
            decimal_first = (convention == "dot" and sep == ".") or (
                convention == "comma" and sep == ","
            )
            return [decimal, grouped] if decimal_first else [grouped, decimal]
        if can_group:
            return [grouped]
        return [decimal] if can_decimal else []
    # "1,234.5", "1.234,5", "1'234.5": one kind of group separator, then one decimal mark.
    group_sep, decimal_sep = seps[0], seps[-1]
    if (
        all(s == group_sep for s in seps[:-1])
        and decimal_sep != group_sep
        and group_sep not in _DECIMAL_ONLY
        and decimal_sep not in _GROUP_ONLY
        and groups_well(len(groups) - 1)
    ):
        return [_number("".join(groups[:-1]), groups[-1])]
    return []


def number_values(token: str) -> frozenset[Decimal]:
    """Every value a single digit token may stand for under the separator conventions in use.

    ``"100,000"`` and ``"100.000"`` may be a hundred thousand (grouping) or a hundred (a decimal
    comma or point), so both give ``{100000, Decimal("100.000")}``; ``"100 000"`` (any space,
    including no-break and thin spaces) only the first; ``"3.5"`` and ``"1,5"`` are decimals
    only (a group is always three digits); ``"١٨٩"`` is 189. The quote matcher uses this to tell
    a cosmetic change ("100,000" → "100 000": the sets meet) from a real one ("189" → "198").

    The token is digits and separators only; anything else (letters, signs, several numbers such
    as "15.03.2021") gives the empty set.
    """
    token = token.strip().translate(_FULLWIDTH)
    if not (_SPACE_GROUPED_RE.fullmatch(token) or _SEPARATED_RE.fullmatch(token)):
        return frozenset()
    return frozenset(_interpretations(token, None))


# --- Scale words ----------------------------------------------------------------------------

_THOUSAND: Final = Decimal(1000)
_MILLION: Final = Decimal(10) ** 6
_BILLION: Final = Decimal(10) ** 9
_TRILLION: Final = Decimal(10) ** 12

# Scale words after digits ("3.5 million", "1,5 millioner", "10 Mio.", "189 ألف"). "billion" is
# 10⁹ in English but 10¹² in Danish, Dutch, German and French: see ``_scale_multiplier``.
_SCALE_WORDS: Final[dict[str, Decimal]] = {
    **dict.fromkeys(_words("hundred hundrede honderd hundert"), Decimal(100)),
    **dict.fromkeys(
        _words("thousand tusind tusinde duizend tausend mille tsd ألف الف آلاف"),
        _THOUSAND,
    ),
    **dict.fromkeys(
        _words("million millions millioner millionen miljoen miljoenen mio mln mn مليون ملايين"),
        _MILLION,
    ),
    **dict.fromkeys(
        _words(
            "milliard milliards milliarder milliarde milliarden miljard miljarden mia mrd mld bn "
            "مليار مليارات"
        ),
        _BILLION,
    ),
    **dict.fromkeys(["billion", "billions"], _BILLION),
    **dict.fromkeys(_words("billioner billionen biljoen biljoenen trillion trillions"), _TRILLION),
}
_BIG_SCALES: Final = frozenset(w for w, m in _SCALE_WORDS.items() if m >= _MILLION)
# Abbreviations written with a full stop ("2 mia.", "10 Mio."): the stop belongs to the figure.
_DOTTED_SCALES: Final = frozenset(_words("mio mln mia mrd mld tsd"))
# Glued to the digits only ("100k", "$5m", "$2B", "$1tn"); "m", "b" and "tn" also need a currency
# sign in front, since "5m" is more often five metres than five million.
_SUFFIX_SCALES: Final[dict[str, Decimal]] = {
    "k": _THOUSAND,
    "m": _MILLION,
    "b": _BILLION,
    "tn": _TRILLION,
}
_CURRENCY_SCALES: Final = frozenset({"m", "b", "tn"})
_SPACED_SCALE_RE: Final = re.compile(
    rf"[{_SPACES}]?(?P<word>"
    + "|".join(sorted(map(re.escape, _SCALE_WORDS), key=len, reverse=True))
    + r")(?P<dot>\.)?(?![^\W\d_])",
    re.IGNORECASE,
)
_CURRENCY_BEFORE_RE: Final = re.compile(
    r"(?:[$€£¥₹₽]|(?<![^\W\d_])(?:usd|eur|gbp|dkk|sek|nok|chf|kr\.?))\s?$", re.IGNORECASE
)


def _scale_multiplier(word: str, language: str | None) -> Decimal:
    if word in ("billion", "billions") and language not in (None, "en"):
        return _TRILLION
    return _SCALE_WORDS[word]


def _scale_after(
    text: str, end: int, start: int, language: str | None
) -> tuple[int, Decimal] | None:
    """The end and multiplier of the scale word(s) right after a digit number ending at ``end``;
    None when the number is an ordinal ("26th"), which is not a figure at all."""
    multiplier = Decimal(1)
    letters = _LETTERS_RE.match(text, end)
    if letters is not None:
        suffix = letters.group().casefold()
        if suffix in _ORDINAL_SUFFIXES:
            return None
        if suffix in _SUFFIX_SCALES:
            if suffix not in _CURRENCY_SCALES or _CURRENCY_BEFORE_RE.search(
                text, max(0, start - 6), start
            ):
                multiplier = _SUFFIX_SCALES[suffix]
                end = letters.end()
            return end, multiplier
        if suffix not in _SCALE_WORDS:
            return end, multiplier  # a unit: "5km", "10x"
    # At most two scale words: "3 hundred thousand", "2 mia." but not "5 million million ...".
    for _ in range(2):
        scale = _SPACED_SCALE_RE.match(text, end)
        if scale is None:
            break
        word = scale.group("word").casefold()
        multiplier *= _scale_multiplier(word, language)
        end = scale.end() if word in _DOTTED_SCALES else scale.end("word")
    return end, multiplier


# --- Number words ---------------------------------------------------------------------------


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
    if value is not None or words[-1] not in _BIG_SCALES:
        return value
    scale = _scale_multiplier(words[-1], language)
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
class _WordFigure:
    start: int
    end: int
    value: Decimal
    lone_one: bool  # a single word meaning 1: kept only in the contexts of ``_keep_lone_one``


_ARTICLE_BEFORE_RE: Final = re.compile(r"(?<![^\W\d_])an?\s+$", re.IGNORECASE)
_WORD_BEFORE_RE: Final = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\s+$")
_UNICODE_HYPHENS: Final = str.maketrans("\u2010\u2011", "--")


def _word_figures(
    text: str, language: str | None, taken: Sequence[tuple[int, int]]
) -> list[_WordFigure]:
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
    figures: list[_WordFigure] = []
    for run in scan:
        segment: list[_Token] = []
        for letters in _LETTERS_RE.finditer(text, run.start(), run.end()):
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
) -> list[_WordFigure]:
    """Split a run of number-word tokens into the longest pieces that read as one number each
    ("one and two" is 1 and 2)."""
    figures: list[_WordFigure] = []
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
_REJECTED: Final = _WordFigure(-1, -1, Decimal(0), lone_one=False)


def _read_tokens(
    text: str, tokens: Sequence[_Token], guessing: bool, preferred: Callable[[], str]
) -> _WordFigure | None:
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
            if lang == "en" or words[0] in _BIG_SCALES:
                article = _ARTICLE_BEFORE_RE.search(text, max(0, start - 4), start)
                if lang != "en" or article is None:
                    return _REJECTED
                start = article.start()
            else:
                before = _WORD_BEFORE_RE.search(text, max(0, start - 30), start)
                if before is not None and before.group(1).lower() in vocabulary.vague:
                    return _REJECTED
        lone_one = value == 1 and len(numerals) == 1 and words[0] not in vocabulary.explicit_ones
        return _WordFigure(start, tokens[-1].end, Decimal(value), lone_one)
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
    en_units = _words("one two three four five six seven eight nine")
    en_tens = _words("twenty thirty forty fifty sixty seventy eighty ninety")
    forms |= {f"{ten}-{unit}" for ten in en_tens for unit in en_units}
    fr_units = _words("un deux trois quatre cinq six sept huit neuf")
    fr_teens = _words("dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf")
    forms |= {"dix-sept", "dix-huit", "dix-neuf", "soixante-et-onze", "quatre-vingts"}
    for ten in _words("vingt trente quarante cinquante soixante"):
        forms |= {f"{ten}-et-un", *(f"{ten}-{unit}" for unit in fr_units[1:])}
    forms |= {f"soixante-{teen}" for teen in fr_teens if teen != "onze"}
    forms |= {f"quatre-vingt-{unit}" for unit in [*fr_units, *fr_teens]}
    da_units = _words("en to tre fire fem seks syv otte ni")
    da_tens = _words("tyve tredive fyrre halvtreds tres halvfjerds firs halvfems")
    forms |= {f"{unit}og{ten}" for ten in da_tens for unit in da_units}
    nl_units = _words("een twee drie vier vijf zes zeven acht negen")
    nl_tens = _words("twintig dertig veertig vijftig zestig zeventig tachtig negentig")
    forms |= {
        f"{unit}{'ën' if unit.endswith('e') else 'en'}{ten}" for ten in nl_tens for unit in nl_units
    }
    forms |= {f"{unit}{scale}" for unit in nl_units[1:] for scale in ("honderd", "duizend")}
    de_units = _words("ein zwei drei vier fünf sechs sieben acht neun")
    de_tens = _words("zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig")
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
    key = _language_key(language)
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


# --- Hedges and percent -------------------------------------------------------------------

_A, _L, _M, _U, _F = (
    HedgeKind.APPROXIMATE,
    HedgeKind.AT_LEAST,
    HedgeKind.MORE_THAN,
    HedgeKind.AT_MOST,
    HedgeKind.LESS_THAN,
)
# Hedge phrases by language; "*" are written the same everywhere. Decisions: "nearly", "almost"
# and their kin are approximate (the source figure is usually just under, sometimes rounded up);
# "as many as" is at-most (it stresses a maximum); Danish "godt", German "gut" are approximate as
# the words are vague, while Dutch "ruim" is the ordinary word for "more than".
_HEDGES: Final[dict[str, dict[str, HedgeKind]]] = {
    "*": {"~": _A, "≈": _A, "c.": _A, "ca.": _A, "ca": _A, "circa": _A, "approx.": _A},
    "en": {
        **dict.fromkeys(
            _words("about around approximately roughly nearly almost some estimated"),
            _A,
        ),
        **dict.fromkeys(["close to", "an estimated", "just about", "more or less"], _A),
        **dict.fromkeys(
            ["at least", "no fewer than", "no less than", "not less than", "a minimum of"], _L
        ),
        **dict.fromkeys(["over", "above"], _M),
        **dict.fromkeys(
            ["more than", "upwards of", "in excess of", "well over", "just over", "greater than"],
            _M,
        ),
        **dict.fromkeys(
            ["up to", "at most", "as many as", "as much as", "no more than", "not more than"], _U
        ),
        "a maximum of": _U,
        **dict.fromkeys(["under", "below"], _F),
        **dict.fromkeys(["less than", "fewer than", "just under", "well under", "well below"], _F),
    },
    "da": {
        **dict.fromkeys(_words("cirka omkring omtrent næsten knap godt små"), _A),
        **dict.fromkeys(["i omegnen af", "lige knap", "lige omkring"], _A),
        "mindst": _L,
        **dict.fromkeys(["i hvert fald", "ikke færre end", "ikke mindre end"], _L),
        "over": _M,
        **dict.fromkeys(["mere end", "flere end", "lidt over", "godt og vel"], _M),
        **dict.fromkeys(["højst", "maksimalt"], _U),
        **dict.fromkeys(["op til", "op mod", "ikke mere end", "ikke flere end"], _U),
        "under": _F,
        **dict.fromkeys(["mindre end", "færre end", "lidt under"], _F),
    },
    "nl": {
        **dict.fromkeys(_words("ongeveer bijna rond pakweg nagenoeg plusminus zo'n zo’n"), _A),
        **dict.fromkeys(["rond de", "om en nabij", "om en bij"], _A),
        **dict.fromkeys(["minstens", "tenminste", "minimaal"], _L),
        **dict.fromkeys(["ten minste", "op zijn minst"], _L),
        "ruim": _M,
        **dict.fromkeys(["meer dan", "boven de"], _M),
        **dict.fromkeys(_words("hooguit hoogstens maximaal tot"), _U),
        **dict.fromkeys(["tot wel", "tot aan", "ten hoogste", "op zijn hoogst"], _U),
        **dict.fromkeys(["minder dan", "onder de"], _F),
    },
    "de": {
        **dict.fromkeys(
            _words("etwa ungefähr rund zirka fast knapp gut annähernd nahezu beinahe"),
            _A,
        ),
        **dict.fromkeys(["um die", "an die"], _A),
        **dict.fromkeys(["mindestens", "wenigstens"], _L),
        "nicht weniger als": _L,
        "über": _M,
        **dict.fromkeys(["mehr als", "weit über"], _M),
        **dict.fromkeys(["höchstens", "maximal"], _U),
        **dict.fromkeys(["bis zu", "nicht mehr als"], _U),
        "unter": _F,
        "weniger als": _F,
    },
    "fr": {
        **dict.fromkeys(_words("environ presque quelque approximativement quasi"), _A),
        **dict.fromkeys(
            ["près de", "près d'", "près d’", "autour de", "aux alentours de", "à peu près"], _A
        ),
        **dict.fromkeys(
            ["au moins", "au minimum", "pas moins de", "pas moins d'", "pas moins d’"], _L
        ),
        **dict.fromkeys(["plus de", "plus d'", "plus d’", "au-delà de"], _M),
        **dict.fromkeys(
            ["jusqu'à", "jusqu’à", "au plus", "au maximum", "tout au plus", "pas plus de"], _U
        ),
        **dict.fromkeys(["moins de", "moins d'", "moins d’"], _F),
    },
    "ar": {
        **dict.fromkeys(_words("حوالي حوالى بحوالي نحو بنحو قرابة تقريبا تقريباً زهاء"), _A),
        "ما يقرب من": _A,
        **dict.fromkeys(["على الأقل", "ما لا يقل عن"], _L),
        **dict.fromkeys(["أكثر من", "اكثر من", "ما يزيد عن", "ما يزيد على", "أزيد من"], _M),
        "ما يصل إلى": _U,
        **dict.fromkeys(["أقل من", "اقل من"], _F),
    },
}
# Hedges that are also plain "until": "van 2010 tot 2020" is a span of years, not "at most 2020".
_TEMPORAL_HEDGES: Final = frozenset({"tot", "jusqu'à"})


def _hedge_key(phrase: str) -> str:
    return " ".join(phrase.casefold().replace("\u2019", "'").split())


_HEDGE_KINDS: Final[dict[str, HedgeKind]] = {
    _hedge_key(phrase): kind for table in _HEDGES.values() for phrase, kind in table.items()
}

HEDGE_WORDS: Final[frozenset[str]] = frozenset(
    phrase.casefold() for table in _HEDGES.values() for phrase in table
) | frozenset(_HEDGE_KINDS)
"""Casefolded hedges of every supported language: single words ("about", "omkring", "~") and
phrases joined by one space ("more than", "plus de", "bis zu"), with both straight and curly
apostrophes, for the quote matcher's "hedge added or removed" rule."""

_CURRENCIES: Final = _words("$ € £ ¥ ₹ ₽ US$ A$ C$ USD EUR GBP DKK SEK NOK CHF kr kr.")


def _reversed_alternation(phrases: Iterable[str]) -> str:
    return "|".join(
        re.sub("['’]", "['’]", re.escape(p[::-1]).replace("\\ ", r"\s+"))
        for p in sorted(set(phrases), key=len, reverse=True)
    )


@functools.cache
def _hedge_regex(language: str | None) -> re.Pattern[str]:
    """A regex for the hedge before a figure, matched against the reversed text before it.

    Matching backwards from the figure is one anchored attempt; searching forwards for a hedge
    that ends at the figure would try every start position of the window. The hedge may be
    followed by a currency sign ("more than $5m"); a word hedge needs a space after it, "~",
    "ca." and "plus d'" do not.
    """
    if language is None:
        phrases = [p for table in _HEDGES.values() for p in table]
    else:
        phrases = [*_HEDGES["*"], *_HEDGES[language]]
    return re.compile(
        rf"(?:\s?(?:{_reversed_alternation(_CURRENCIES)})(?![^\W\d_]))?"
        rf"(?:\s+|(?=[^\w\s]))(?P<hedge>{_reversed_alternation(phrases)})(?!\w)",
        re.IGNORECASE,
    )


_HEDGE_WINDOW: Final = 40

_PERCENT_RE: Final = re.compile(
    r"\s?(?:[%٪％]|(?:per\s?cent|percent|procent|prozent|pour\s?cent|pct\.?|por\s?ciento"
    r"|per\s?cento|في\s+المئة|في\s+المائة|بالمئة|بالمائة)(?![^\W\d_]))",
    re.IGNORECASE,
)


def _figure(text: str, start: int, end: int, value: Decimal, language: str | None) -> Figure:
    if value == value.to_integral_value():
        value = value.to_integral_value()  # "3.5 million" is 3500000, not 3500000.0
    surface = text[start:end]
    percent = _PERCENT_RE.match(text, end) is not None
    before = text[max(0, start - _HEDGE_WINDOW) : start][::-1]
    hedge = _hedge_regex(language if language in _HEDGES else None).match(before)
    if hedge is not None:
        hedge_start = start - hedge.end("hedge")
        phrase = text[hedge_start : start - hedge.start("hedge")]
        key = _hedge_key(phrase)
        if not (key in _TEMPORAL_HEDGES and len(surface) == 4 and surface.isdecimal()):
            return Figure(
                value,
                start,
                end,
                surface,
                hedge=phrase,
                hedge_kind=_HEDGE_KINDS[key],
                hedge_start=hedge_start,
                percent=percent,
            )
    return Figure(value, start, end, surface, percent=percent)


# --- Finding figures ------------------------------------------------------------------------


def _language_key(language: str | None) -> str | None:
    if not language:
        return None
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] or None


def _convention(language: str | None) -> str | None:
    if language in _DOT_DECIMAL:
        return "dot"
    if language in _COMMA_DECIMAL:
        return "comma"
    return None


def _digit_figures(text: str, language: str | None) -> list[Figure]:
    convention = _convention(language)
    figures: list[Figure] = []
    for match in _DIGITS_RE.finditer(text):
        start, end = match.span()
        values = _interpretations(match.group(), convention)
        if not values:
            # Several numbers run together ("15.03.2021", "1.2.3"): each on its own.
            for part in _DIGIT_RUN_RE.finditer(text, start, end):
                figures.append(_figure(text, *part.span(), _number(part.group()), language))
            continue
        scaled = _scale_after(text, end, start, language)
        if scaled is None:
            continue
        end, multiplier = scaled
        value = values[0] if multiplier == 1 else values[0] * multiplier
        figures.append(_figure(text, start, end, value, language))
    return figures


NUMBER_PAIR: Final = re.compile(
    r"\s*(?:[-–—/:]|or|to|in|out\s+of|and|eller|til|ud\s+af|af|og|of|tot|op|uit|en|ou|à|sur|et"
    r"|oder|bis|zu|und|von|aus|أو|إلى|من)\s*",
    re.IGNORECASE,
)
_LONE_ONE_HEDGES: Final = frozenset({_L, _M, _U, _F})


def _keep_lone_one(text: str, figure: Figure, before: Figure | None, after: Figure | None) -> bool:
    """Whether a single word meaning one ("one", "en", "een", "un", "ein") is the figure 1.

    Mostly it is a pronoun or an article ("one of the", "no one", "en mand", "un homme"), so it
    counts only when: a percent follows ("one per cent"); a multi-word comparison hedge precedes
    ("more than one", "at least one"); or it pairs with a neighbouring figure in a ratio, range
    or choice ("one in five", "one or two", "one to three").
    """
    if figure.percent:
        return True
    if figure.hedge_kind in _LONE_ONE_HEDGES and figure.hedge and len(figure.hedge.split()) > 1:
        return True
    if after is not None and NUMBER_PAIR.fullmatch(text, figure.end, after.start):
        return True
    return before is not None and NUMBER_PAIR.fullmatch(text, before.end, figure.start) is not None


def find_figures(text: str, *, language: str | None = None) -> list[Figure]:
    """Every figure in ``text``, sorted by start.

    ``language`` (an ISO 639-1 code such as ``"da"``, region tags ignored) settles the one
    ambiguous digit shape, a single separator followed by three digits: ``"100.000"`` is a
    hundred thousand in Danish, Dutch, German, French, ... but a hundred in English, and the
    reverse for ``"100,000"``. Unknown (None), such a separator groups. It also picks the
    language of number words and hedges; unknown, all are tried, but a single plain number word
    counts only in the text's own language, guessed from its stop words (English when unclear),
    since "to", "fire", "tien" and "neuf" are also common words.

    Digits are read in any script and separator convention; number words in English, Danish,
    Dutch, German and French. Not figures: ordinals ("26th"), digits glued to Latin letters
    ("H1N1"), superscripts ("10²" is 10), vague scale words ("a few hundred", "millions"), and a
    lone word for one unless the context makes it a count (see ``_keep_lone_one``). Dates are
    not parsed: "March 15, 2021" gives 15 and 2021, "2021-03-15" three figures, never one; the
    date matcher discards figures inside dates.
    """
    key = _language_key(language)
    digits = _digit_figures(text, key)
    taken = [(f.start, f.end) for f in digits]
    words = _word_figures(text, key, taken)
    figures = sorted(
        [
            *((f, None) for f in digits),
            *((_figure(text, w.start, w.end, w.value, key), w) for w in words),
        ],
        key=lambda pair: pair[0].start,
    )
    kept: list[Figure] = []
    for i, (figure, word) in enumerate(figures):
        if word is not None and word.lone_one:
            before = figures[i - 1][0] if i > 0 else None
            after = figures[i + 1][0] if i + 1 < len(figures) else None
            if not _keep_lone_one(text, figure, before, after):
                continue
        kept.append(figure)
    return kept


def parse_figure(text: str, *, language: str | None = None) -> Figure | None:
    """The main figure of a claim's text: its first figure that does not look like a year, else
    its first figure, else None.

    "around 189 Syrians" gives 189 (approximate), "In 2021, 94 Syrians" gives 94, "the original
    26 states" 26, "since 2011" 2011.
    """
    figures = find_figures(text, language=language)
    for figure in figures:
        if not figure.looks_like_year:
            return figure
    return figures[0] if figures else None


# --- Agreement ------------------------------------------------------------------------------

_APPROXIMATE_TOLERANCE: Final = Decimal("0.10")
# A claim with more significant digits than this is precise-looking ("around 198"): only values
# that round to it agree, so a transposition (189) is a change, not an approximation.
_ROUND_DIGITS: Final = 2
# A bound ("more than", "up to") more than this factor away from the source's value is another
# figure, not an understatement: "more than 100" for 100,000 is a misread "100,000" or a wrong
# number, and no reporter bounds 100,000 by 100.
_BOUND_FACTOR: Final = Decimal(10)


def _significant(value: Decimal) -> tuple[int, int] | None:
    """The number of significant digits of ``value`` and the exponent of the last one; trailing
    zeros of an integer are not significant ("200": one digit, exponent 2)."""
    if not value:
        return None
    _, digits, exponent = value.normalize().as_tuple()
    return (len(digits), exponent) if isinstance(exponent, int) else None


def _rounds_to(found: Decimal, claimed: Decimal, exponent: int) -> bool:
    try:
        return found.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) == claimed
    except InvalidOperation:  # found too large to round at that digit
        return False


def figure_agrees(
    claimed: Figure, found: Decimal, *, tolerance: Decimal = _APPROXIMATE_TOLERANCE
) -> bool:
    """Whether a value ``found`` in a source supports the ``claimed`` figure, given its hedge.

    ============= ================================================================================
    claim's hedge found must be
    ============= ================================================================================
    none          equal ("100,000" claims exactly 100000)
    approximate   for a round claim of at most two significant digits, within ``tolerance``
                  (±10 %) of it ("around 200": 180..220; "around 190": 171..209); for a claim
                  of three or more, equal once rounded half up to the claim's last significant
                  digit ("around 3.45 million": 3,445,000..3,454,999)
    at-least      at least the claim, and at most ten times it
    more-than     more than the claim, and at most ten times it
    at-most       at most the claim, and at least a tenth of it
    less-than     less than the claim, and at least a tenth of it
    ============= ================================================================================

    A claim of three or more significant digits looks precise, so "around 198" accepts only
    197.5..198.4: 189 is a changed figure, not an approximation of it. A bound within a factor
    of ten is an understatement a reporter may make ("more than 150" for 189); beyond it, it is
    another figure ("more than 100" for 100,000). A bound of zero has no such limit.
    """
    claim = claimed.value
    match claimed.hedge_kind:
        case None:
            return found == claim
        case HedgeKind.APPROXIMATE:
            significant = _significant(claim)
            if significant is None:  # about zero
                return found == claim
            digits, exponent = significant
            if digits <= _ROUND_DIGITS:
                return abs(found - claim) <= abs(claim) * tolerance
            return _rounds_to(found, claim, exponent)
        case HedgeKind.AT_LEAST:
            return claim <= found and (not claim or found <= claim * _BOUND_FACTOR)
        case HedgeKind.MORE_THAN:
            return claim < found and (not claim or found <= claim * _BOUND_FACTOR)
        case HedgeKind.AT_MOST:
            return found <= claim and found * _BOUND_FACTOR >= claim
        case HedgeKind.LESS_THAN:
            return found < claim and found * _BOUND_FACTOR >= claim

"""Numbers written in digits, in every script and separator convention, and the scale words
after them ("3.5 million", "2 mia.", "$5m").

babel parses one locale at a time and rejects Arabic separators and spaced groups outside French;
quantulum reads ``100.000`` as 100. So one regex finds candidates, and each is read in every
convention it may be written in (:func:`number_values`), the likeliest under the text's first.
Signs are not read: "−5" is the number 5; ordinals ("26th", "1er") are no figures, read only when
asked for (a quote that changes "19th" to "18th" changes a number). Nor is a run of digits and
separators longer than :data:`MAX_FIGURE_DIGITS` characters.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Final

__all__ = [
    "BIG_SCALES",
    "CURRENCY_SIGNS",
    "DOTTED_SCALES",
    "LETTERS",
    "MAX_FIGURE_DIGITS",
    "digit_numbers",
    "number_values",
    "scale_multiplier",
    "surface_scale",
]

MAX_FIGURE_DIGITS: Final = 1000
_NO_SCALE: Final = Decimal(1)  # one object for every figure without a scale word (issue 17)
"""The most digits a figure is written with, and the largest power of ten (either way) a
figure's value may have (:func:`~claimcheck.language.figure_value_problem`). A longer run of
digits in a source is no figure anyone cites, and figures far beyond it would stop a check:
decimal arithmetic overflows past an exponent of 999,999 (a million digits in a page, a value of
``1e999999999`` in a claims file), and a value written out in full could take gigabytes."""

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
LETTERS: Final = re.compile(r"[^\W\d_]+")

_DOT_DECIMAL: Final = frozenset({"en", "ar", "he", "ja", "zh", "ko", "hi", "th", "ms", "ga", "cy"})
_COMMA_DECIMAL: Final = frozenset(
    (
        "da nl de fr es it pt sv nb nn no fi is pl ru uk cs sk sl hr sr bs bg ro hu el tr lt lv "
        "et ca gl eu az kk id vi fa"
    ).split()
)

# Letters glued to a number that make it an ordinal ("26th", "1er", "3ème", "8ste").
_ORDINAL_SUFFIXES: Final = frozenset("st nd rd th er re e ème eme ère ere è ste de".split())


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
    only (a group is always three digits); ``"١٨٩"`` is 189. So "100,000" → "100 000" may be
    cosmetic (the sets meet) and "189" → "198" is not.

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
# 10⁹ in English but 10¹² in Danish, Dutch, German and French: see ``scale_multiplier``.
_SCALE_WORDS: Final[dict[str, Decimal]] = {
    **dict.fromkeys("hundred hundrede honderd hundert".split(), Decimal(100)),
    **dict.fromkeys(
        "thousand tusind tusinde duizend tausend mille tsd ألف الف آلاف".split(),
        _THOUSAND,
    ),
    **dict.fromkeys(
        "million millions millioner millionen miljoen miljoenen mio mln mn مليون ملايين".split(),
        _MILLION,
    ),
    **dict.fromkeys(
        (
            "milliard milliards milliarder milliarde milliarden miljard miljarden mia mrd mld bn "
            "مليار مليارات"
        ).split(),
        _BILLION,
    ),
    **dict.fromkeys(["billion", "billions"], _BILLION),
    **dict.fromkeys("billioner billionen biljoen biljoenen trillion trillions".split(), _TRILLION),
}
_HUNDREDS: Final = frozenset("hundred hundrede honderd hundert".split())
BIG_SCALES: Final = frozenset(w for w, m in _SCALE_WORDS.items() if m >= _MILLION)
# Abbreviations written with a full stop ("2 mia.", "10 Mio."): the stop belongs to the figure.
DOTTED_SCALES: Final = frozenset("mio mln mia mrd mld tsd".split())
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
CURRENCY_SIGNS: Final = "$€£¥₹₽"
"""The currency signs written before a figure ("$5m", "€ 200")."""
_CURRENCY_BEFORE_RE: Final = re.compile(
    rf"(?:[{CURRENCY_SIGNS}]|(?<![^\W\d_])(?:usd|eur|gbp|dkk|sek|nok|chf|kr\.?))\s?$", re.IGNORECASE
)


def scale_multiplier(word: str, language: str | None) -> Decimal:
    if word in ("billion", "billions") and language not in (None, "en"):
        return _TRILLION
    return _SCALE_WORDS[word]


def surface_scale(surface: str, language: str | None) -> Decimal:
    """The multiplier of the scale words of a figure as written ("3.5 million": 10⁶, "$2.3bn":
    10⁹, "3 hundred thousand": 10⁵, "two million": 10⁶); 1 when it has none. "hundred" alone
    is no scale: "two hundred" is as plain a number as "200"."""
    multiplier = _NO_SCALE
    for match in LETTERS.finditer(surface):
        word = match.group().casefold()
        if word in _SCALE_WORDS and word not in _HUNDREDS:
            multiplier *= scale_multiplier(word, language)
        elif word in _SUFFIX_SCALES and match.start() > 0 and surface[match.start() - 1].isdigit():
            multiplier *= _SUFFIX_SCALES[word]
    return multiplier


def _scale_after(
    text: str, end: int, start: int, language: str | None
) -> tuple[int, Decimal] | None:
    """The end and multiplier of the scale word(s) right after a digit number ending at ``end``;
    None when the number is an ordinal ("26th")."""
    multiplier = Decimal(1)
    letters = LETTERS.match(text, end)
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
        multiplier *= scale_multiplier(word, language)
        end = scale.end() if word in DOTTED_SCALES else scale.end("word")
    return end, multiplier


def _convention(language: str | None) -> str | None:
    if language in _DOT_DECIMAL:
        return "dot"
    if language in _COMMA_DECIMAL:
        return "comma"
    return None


def digit_numbers(
    text: str, language: str | None, *, ordinals: bool = False
) -> list[tuple[int, int, Decimal, bool]]:
    """Every number written in digits in ``text``, with its scale word: (start, end, value,
    whether it is an ordinal), in order. Ordinals ("19th", "1er", "19de") come only with
    ``ordinals``, spanning their digits. ``language`` is a primary language subtag or None; it
    settles the separator convention (see :func:`claimcheck.language.find_figures`)."""
    convention = _convention(language)
    numbers: list[tuple[int, int, Decimal, bool]] = []
    for match in _DIGITS_RE.finditer(text):
        start, end = match.span()
        if end - start > MAX_FIGURE_DIGITS:
            continue  # no figure, nor are the numbers run together in it
        values = _interpretations(match.group(), convention)
        if not values:
            # Several numbers run together ("15.03.2021", "1.2.3"): each on its own.
            for part in _DIGIT_RUN_RE.finditer(text, start, end):
                numbers.append((*part.span(), _number(part.group()), False))
            continue
        scaled = _scale_after(text, end, start, language)
        if scaled is None:
            if ordinals:
                numbers.append((start, end, values[0], True))
            continue
        end, multiplier = scaled
        value = values[0] if multiplier == 1 else values[0] * multiplier
        numbers.append((start, end, value, False))
    return numbers

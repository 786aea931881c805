"""Figures in text: numbers written in digits or words, their scale, their hedge.

A claim such as "around 189 Syrians" asserts a figure, and its source may write that figure in
another convention ("189", "one hundred and eighty-nine", "١٨٩") or another language
("hundrede og niogfirs"). :func:`find_figures` finds every figure of a text with its exact span;
:func:`parse_figure` picks the main figure of a claim; :func:`figure_agrees` decides whether a
value found in a source supports it, with a tolerance set by the claim's hedge.

What no library does, and is therefore written here (see ``shared/reference/matching.md`` §3.2):
digit numbers in every separator convention, with spans (``_digits``); runs of number words, with
spans (``_number_words``); hedges ("more than", "omkring", "plus de") and percent signs (here).

Signs are not read: "−5" is the figure 5. Ordinals ("26th", "1er") are not figures, unless asked
for: a quote's "18th" for its source's "19th" changes a number all the same.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

import attrs

from ._digits import CURRENCY_SIGNS, MAX_FIGURE_DIGITS, digit_numbers, surface_scale
from ._number_words import word_figures
from ._tags import primary_language

__all__ = [
    "CURRENCY_WORDS",
    "HEDGE_WORDS",
    "NUMBER_PAIR",
    "PERCENT",
    "Figure",
    "FigureAgreement",
    "HedgeKind",
    "compare_figures",
    "figure_agrees",
    "figure_value_problem",
    "find_figures",
    "parse_figure",
    "unit_agrees",
    "unit_preference",
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
    follows. ``currency`` is the currency written before or after it, one sign per currency
    ("$" for "US$", "USD" and "dollars"), and ``scale`` the multiplier of its scale word
    ("million": 10⁶; 1 without one, or for "hundred"): a claim's unit and scale pick out the
    number it is about among several (see :func:`unit_agrees`). ``ordinal`` marks an ordinal
    ("19th", "1er"; :func:`find_figures` gives them only when asked), spanning its digits.
    """

    value: Decimal
    start: int
    end: int
    surface: str
    hedge: str | None = None
    hedge_kind: HedgeKind | None = None
    hedge_start: int | None = None
    percent: bool = False
    ordinal: bool = False
    currency: str | None = None
    scale: Decimal = Decimal(1)

    @property
    def looks_like_year(self) -> bool:
        """Whether the figure reads as a year: an unhedged integer 1000..2199 written as four
        plain digits (any script), not a percentage.

        Such figures are as often dates as counts, so :func:`parse_figure` prefers others.
        """
        return (
            self.hedge is None
            and not self.percent
            and not self.ordinal
            and len(self.surface) == 4
            and self.surface.isdecimal()
            and 1000 <= self.value <= 2199
        )


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
            "about around approximately roughly nearly almost some estimated".split(),
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
        **dict.fromkeys("cirka omkring omtrent næsten knap godt små".split(), _A),
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
        **dict.fromkeys("ongeveer bijna rond pakweg nagenoeg plusminus zo'n zo’n".split(), _A),
        **dict.fromkeys(["rond de", "om en nabij", "om en bij"], _A),
        **dict.fromkeys(["minstens", "tenminste", "minimaal"], _L),
        **dict.fromkeys(["ten minste", "op zijn minst"], _L),
        "ruim": _M,
        **dict.fromkeys(["meer dan", "boven de"], _M),
        **dict.fromkeys("hooguit hoogstens maximaal tot".split(), _U),
        **dict.fromkeys(["tot wel", "tot aan", "ten hoogste", "op zijn hoogst"], _U),
        **dict.fromkeys(["minder dan", "onder de"], _F),
    },
    "de": {
        **dict.fromkeys(
            "etwa ungefähr rund zirka fast knapp gut annähernd nahezu beinahe".split(),
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
        **dict.fromkeys("environ presque quelque approximativement quasi".split(), _A),
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
        **dict.fromkeys("حوالي حوالى بحوالي نحو بنحو قرابة تقريبا تقريباً زهاء".split(), _A),
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

_CURRENCIES: Final = [*CURRENCY_SIGNS, *"US$ A$ C$ USD EUR GBP DKK SEK NOK CHF kr kr.".split()]
# Every way of writing a currency next to a figure, to the one sign a figure's ``currency`` holds.
_CURRENCY_NAMES: Final[dict[str, str]] = {
    **dict.fromkeys("$ us$ a$ c$ usd dollar dollars dollar's".split(), "$"),
    **dict.fromkeys("€ eur euro euros euro's".split(), "€"),
    **dict.fromkeys("£ gbp pound pounds".split(), "£"),
    **dict.fromkeys("¥ jpy yen".split(), "¥"),
    **dict.fromkeys("₹ inr rupee rupees".split(), "₹"),
    **dict.fromkeys("₽ rub rouble roubles ruble rubles".split(), "₽"),
    **dict.fromkeys("kr kr. dkk sek nok krone kroner kronor kronen".split(), "kr"),
    **dict.fromkeys("chf franc francs franken".split(), "CHF"),
}
CURRENCY_WORDS: Final[frozenset[str]] = frozenset(n for n in _CURRENCY_NAMES if n[0].isalpha())
"""Casefolded currency names and codes written next to a figure ("dollars", "kroner", "usd"):
like a currency sign, they are part of the figure, not words of its context."""
_CURRENCY_BEFORE: Final = re.compile(
    r"(?:[A-Z]?\$|[€£¥₹₽]|(?<![^\W\d_])(?:usd|eur|gbp|jpy|inr|dkk|sek|nok|chf|kr\.?))\s?$",
    re.IGNORECASE,
)
_CURRENCY_AFTER: Final = re.compile(
    r"\s?(?P<name>[$€£¥₹₽]|(?:"
    + "|".join(
        sorted((re.escape(n) for n in _CURRENCY_NAMES if n[0].isalpha()), key=len, reverse=True)
    )
    + r")(?![^\W\d_]))",
    re.IGNORECASE,
)


def _currency(text: str, start: int, end: int) -> str | None:
    """The currency written right before ("$5m", "USD 40", "kr. 200") or after ("40 euros",
    "200 kr.", "5 €") the figure spanning ``start``..``end``, as one sign."""
    before = _CURRENCY_BEFORE.search(text, max(0, start - 5), start)
    if before is not None:
        written = before.group().strip().casefold()
        return _CURRENCY_NAMES.get(written, _CURRENCY_NAMES.get(written[-1:], written))
    after = _CURRENCY_AFTER.match(text, end)
    if after is not None:
        return _CURRENCY_NAMES[after.group("name").casefold().replace("’", "'")]
    return None


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

PERCENT: Final = re.compile(
    r"\s?(?:[%٪％]|(?:per\s?cent|percent|procent|prozent|pour\s?cent|pct\.?|por\s?ciento"
    r"|per\s?cento|في\s+المئة|في\s+المائة|بالمئة|بالمائة)(?![^\W\d_]))",
    re.IGNORECASE,
)
"""A percent sign or word right after a figure ("40%", "40 per cent", "40 Prozent")."""


def _figure(
    text: str, start: int, end: int, value: Decimal, language: str | None, ordinal: bool = False
) -> Figure:
    if value == value.to_integral_value():
        value = value.to_integral_value()  # "3.5 million" is 3500000, not 3500000.0
    surface = text[start:end]
    percent = PERCENT.match(text, end) is not None
    plain = Figure(
        value,
        start,
        end,
        surface,
        percent=percent,
        ordinal=ordinal,
        currency=None if percent else _currency(text, start, end),
        scale=surface_scale(surface, language),
    )
    before = text[max(0, start - _HEDGE_WINDOW) : start][::-1]
    hedge = _hedge_regex(language if language in _HEDGES else None).match(before)
    if hedge is not None:
        hedge_start = start - hedge.end("hedge")
        phrase = text[hedge_start : start - hedge.start("hedge")]
        key = _hedge_key(phrase)
        if not (key in _TEMPORAL_HEDGES and len(surface) == 4 and surface.isdecimal()):
            return attrs.evolve(
                plain, hedge=phrase, hedge_kind=_HEDGE_KINDS[key], hedge_start=hedge_start
            )
    return plain


# --- Finding figures ------------------------------------------------------------------------


def _digit_figures(text: str, language: str | None, ordinals: bool) -> list[Figure]:
    return [
        _figure(text, start, end, value, language, ordinal)
        for start, end, value, ordinal in digit_numbers(text, language, ordinals=ordinals)
    ]


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


def find_figures(text: str, *, language: str | None = None, ordinals: bool = False) -> list[Figure]:
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
    lone word for one unless the context makes it a count (see ``_keep_lone_one``). With
    ``ordinals``, ordinals in digits ("19th", "1er", "19de") come too, marked ``ordinal``: a
    quote compares every number it holds, a claimed figure is never an ordinal. Dates are
    not parsed: "March 15, 2021" gives 15 and 2021, "2021-03-15" three figures, never one; the
    date matcher discards figures inside dates.
    """
    key = primary_language(language)
    digits = _digit_figures(text, key, ordinals)
    taken = [(f.start, f.end) for f in digits]
    words = word_figures(text, key, taken)
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


def figure_value_problem(value: Decimal) -> str | None:
    """Why ``value`` cannot be a figure's value, or ``None``: it must be finite, and no more
    than :data:`~claimcheck.language.MAX_FIGURE_DIGITS` powers of ten from 1 either way (no text
    writes a figure beyond that; see ``MAX_FIGURE_DIGITS``). The one rule for the value a
    claims file or a caller gives a figure."""
    if not value.is_finite():
        return "must be finite"
    if abs(value.adjusted()) > MAX_FIGURE_DIGITS:
        return f"must be between 1e-{MAX_FIGURE_DIGITS} and 1e{MAX_FIGURE_DIGITS} in size"
    return None


# --- Agreement ------------------------------------------------------------------------------

_APPROXIMATE_TOLERANCE: Final = Decimal("0.10")
# A claim with more significant digits than this is precise-looking ("around 198"): only values
# that round to it agree, so a transposition (189) is a change, not an approximation.
_ROUND_DIGITS: Final = 2
# A lower bound ("more than", "at least") more than this factor below the source's value is
# another figure, not an understatement: "more than 100" for 100,000 is a misread "100,000" or a
# wrong number, and no reporter bounds 100,000 by 100.
_BOUND_FACTOR: Final = Decimal(10)
# An upper bound ("up to", "fewer than") is read as the size of the thing ("up to $120 cheaper"
# promises savings near $120), so the source's value must be at least this share of it.
_UPPER_SHARE: Final = Decimal("0.5")
# Approximations from below: "nearly 180" is not 189.
_JUST_UNDER: Final = frozenset(
    [
        *"nearly almost knap næsten bijna presque beinahe knapp fast".split(),
        "just under",
        "close to",
        "not quite",
    ]
)


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


def _approximates(claim: Decimal, found: Decimal, tolerance: Decimal) -> bool:
    significant = _significant(claim)
    if significant is None:  # about zero
        return found == claim
    digits, exponent = significant
    if digits <= _ROUND_DIGITS:
        return abs(found - claim) <= abs(claim) * tolerance
    return _rounds_to(found, claim, exponent)


def figure_agrees(
    claimed: Figure, found: Decimal, *, tolerance: Decimal = _APPROXIMATE_TOLERANCE
) -> bool:
    """Whether a value ``found`` in a source, written without a hedge, supports the ``claimed``
    figure, given its hedge.

    ============= ================================================================================
    claim's hedge found must be
    ============= ================================================================================
    none          equal ("100,000" claims exactly 100000)
    approximate   for a round claim of at most two significant digits, within ``tolerance``
                  (±10 %) of it ("around 200": 180..220; "around 190": 171..209); for a claim
                  of three or more, equal once rounded half up to the claim's last significant
                  digit ("around 3.45 million": 3,445,000..3,454,999); after "nearly",
                  "almost" and their kin, also at most the claim
    at-least      at least the claim, and at most ten times it
    more-than     more than the claim, and at most ten times it
    at-most       at most the claim, and at least half of it
    less-than     less than the claim, and at least half of it
    ============= ================================================================================

    A claim of three or more significant digits looks precise, so "around 198" accepts only
    197.5..198.4: 189 is a changed figure, not an approximation of it. A lower bound within a
    factor of ten is an understatement a reporter may make ("more than 150" for 189); beyond it,
    it is another figure ("more than 100" for 100,000). An upper bound overstates whatever is
    below it, and its number is read as the size of the thing ("up to $120 cheaper" for $50
    cheaper is an exaggeration), so it must be within a factor of two. A bound of zero has no
    such limit.
    """
    claim = claimed.value
    match claimed.hedge_kind:
        case None:
            return found == claim
        case HedgeKind.APPROXIMATE:
            below = claimed.hedge is not None and _hedge_key(claimed.hedge) in _JUST_UNDER
            return (found <= claim or not below) and _approximates(claim, found, tolerance)
        case HedgeKind.AT_LEAST:
            return claim <= found and (not claim or found <= claim * _BOUND_FACTOR)
        case HedgeKind.MORE_THAN:
            return claim < found and (not claim or found <= claim * _BOUND_FACTOR)
        case HedgeKind.AT_MOST:
            return found <= claim and found >= claim * _UPPER_SHARE
        case HedgeKind.LESS_THAN:
            return found < claim and found >= claim * _UPPER_SHARE


class FigureAgreement(enum.StrEnum):
    """How a figure found in a source relates to a claimed one (see :func:`compare_figures`)."""

    AGREE = "agree"
    """The source supports the claim."""
    HEDGE_CHANGED = "hedge-changed"
    """The same number, hedged otherwise ("100,000" for "more than 100,000")."""
    DIFFERENT = "different"
    """Another number."""


def compare_figures(
    claimed: Figure, found: Figure, *, tolerance: Decimal = _APPROXIMATE_TOLERANCE
) -> FigureAgreement:
    """Whether a figure ``found`` in a source, with its own hedge, supports the ``claimed`` one.

    ==================== ============================ ==============================================
    claim                source                       verdict
    ==================== ============================ ==============================================
    any                  percent on one side only     different ("5%" is not "5 points")
    any hedge            no hedge                     agree when :func:`figure_agrees` admits it
    no hedge             about N                      hedge changed if the number is equal
    about N              about M                      agree when N rounds M and is no more
                                                      precise ("about 190" for "about 189"), else
                                                      different ("about 190" for "about 200")
    a bound              about M                      agree when the bound admits M, as above
    a bound N            the same bound N             agree
    anything else        a bound ("up to", "more      hedge changed if the number is equal, else
                         than", "at least", ...)      different: "up to $120" for "up to $50"
    ==================== ============================ ==============================================

    Where no row agrees, an equal number is a changed hedge and another number a changed figure.
    Two currencies that differ ("$120" for "€120") make a different figure whatever the numbers.
    """
    if (
        claimed.percent != found.percent
        or None is not claimed.currency != found.currency is not None
    ):
        return FigureAgreement.DIFFERENT
    source_hedge = found.hedge_kind
    if source_hedge is None:
        agrees = figure_agrees(claimed, found.value, tolerance=tolerance)
    elif source_hedge is HedgeKind.APPROXIMATE:
        if claimed.hedge_kind is None:
            agrees = False
        elif claimed.hedge_kind is HedgeKind.APPROXIMATE:
            agrees = claimed.value == found.value or (
                _no_more_precise(claimed.value, found.value)
                and figure_agrees(claimed, found.value, tolerance=tolerance)
            )
        else:
            agrees = figure_agrees(claimed, found.value, tolerance=tolerance)
    else:
        agrees = claimed.hedge_kind is source_hedge and claimed.value == found.value
    if agrees:
        return FigureAgreement.AGREE
    if claimed.value == found.value:
        return FigureAgreement.HEDGE_CHANGED
    return FigureAgreement.DIFFERENT


def _no_more_precise(claim: Decimal, found: Decimal) -> bool:
    """Whether ``claim``'s last significant digit is no finer than ``found``'s: "about 190" may
    round "about 189", not "about 200"."""
    claim_digits, found_digits = _significant(claim), _significant(found)
    if claim_digits is None or found_digits is None:
        return claim == found
    return claim_digits[1] >= found_digits[1]


def unit_agrees(claimed: Figure, found: Figure) -> bool:
    """Whether ``found`` may be the number ``claimed`` is about, as far as units tell: both are
    percentages or neither, and a claim that names a currency finds it (or, with no currency
    written, a figure of its scale: "3.2 billion" for "$3 billion"). A claim with no currency
    commits to none. Among several numbers near a claim's context words only these count."""
    if claimed.percent != found.percent:
        return False
    if claimed.currency is None or claimed.currency == found.currency:
        return True
    return found.currency is None and found.scale == claimed.scale != 1


def unit_preference(claimed: Figure, found: Figure) -> tuple[bool, bool]:
    """How closely ``found`` is written like ``claimed``: the same currency (or none on both),
    then the same scale word ("billion" for "billion"). Picks the likelier of several numbers
    whose :func:`unit_agrees` holds."""
    return claimed.currency == found.currency, claimed.scale == found.scale

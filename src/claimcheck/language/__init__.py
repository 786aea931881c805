"""Words: normalisation with an offset map, numbers and figures, dates, word lists, where sentences
end, the characters that act instead of showing. Knows nothing of files, HTTP or claims files.

``_normalize`` (the canonical form) and ``_folding`` (its character folding and token patterns),
``_digits`` and ``_number_words`` (reading numbers), ``_numbers`` (figures: hedges, percent,
agreement), ``_date_values`` and ``_date_words`` (what a date is, the words of dates per
language), ``_dates`` (finding dates), ``_tags`` (language tags),
``_words`` (negations, function words), ``_sentences`` (where sentences end), ``_hidden``
(control and bidi characters, one set for every rendering and data format). A new language
means its words in the tables of those modules: number words and stop words (``_number_words``),
its decimal mark (``_digits``), hedges (``_numbers``), date words (``_date_words``), negations and
function words (``_words``).
"""

from ._date_values import (
    DateAgreement,
    DateValue,
    FoundDate,
    Granularity,
    compare_dates,
    parse_date_value,
)
from ._date_words import CAPITALISED_ONLY, MONTH_WORDS
from ._dates import find_dates, parse_date
from ._digits import CURRENCY_SIGNS, MAX_FIGURE_DIGITS
from ._hidden import HIDDEN_CHARACTERS
from ._normalize import NormalizedText, normalize
from ._number_words import NUMBER_WORDS
from ._numbers import (
    CURRENCY_WORDS,
    HEDGE_WORDS,
    NUMBER_PAIR,
    PERCENT,
    Figure,
    FigureAgreement,
    HedgeKind,
    compare_figures,
    figure_agrees,
    figure_value_problem,
    find_figures,
    parse_figure,
    unit_agrees,
    unit_preference,
)
from ._sentences import iter_sentence_ends, sentence_ends
from ._words import STOPWORDS, is_negation, negation_count

__all__ = [
    "CAPITALISED_ONLY",
    "CURRENCY_SIGNS",
    "CURRENCY_WORDS",
    "HEDGE_WORDS",
    "HIDDEN_CHARACTERS",
    "MAX_FIGURE_DIGITS",
    "MONTH_WORDS",
    "NUMBER_PAIR",
    "NUMBER_WORDS",
    "PERCENT",
    "STOPWORDS",
    "DateAgreement",
    "DateValue",
    "Figure",
    "FigureAgreement",
    "FoundDate",
    "Granularity",
    "HedgeKind",
    "NormalizedText",
    "compare_dates",
    "compare_figures",
    "figure_agrees",
    "figure_value_problem",
    "find_dates",
    "find_figures",
    "is_negation",
    "iter_sentence_ends",
    "negation_count",
    "normalize",
    "parse_date",
    "parse_date_value",
    "parse_figure",
    "sentence_ends",
    "unit_agrees",
    "unit_preference",
]

"""Words: normalisation with an offset map, numbers and figures, dates, word lists, where sentences
end. Knows nothing of files, HTTP or claims files."""

from ._dates import (
    MONTH_WORDS,
    DateAgreement,
    DateValue,
    FoundDate,
    compare_dates,
    find_dates,
    parse_date,
    parse_date_value,
)
from ._normalize import NormalizedText, normalize
from ._numbers import (
    HEDGE_WORDS,
    NUMBER_PAIR,
    NUMBER_WORDS,
    Figure,
    HedgeKind,
    figure_agrees,
    find_figures,
    parse_figure,
)
from ._sentences import SENTENCE_END, ends_sentence
from ._words import STOPWORDS, is_negation

__all__ = [
    "HEDGE_WORDS",
    "MONTH_WORDS",
    "NUMBER_PAIR",
    "NUMBER_WORDS",
    "SENTENCE_END",
    "STOPWORDS",
    "DateAgreement",
    "DateValue",
    "Figure",
    "FoundDate",
    "HedgeKind",
    "NormalizedText",
    "compare_dates",
    "ends_sentence",
    "figure_agrees",
    "find_dates",
    "find_figures",
    "is_negation",
    "normalize",
    "parse_date",
    "parse_date_value",
    "parse_figure",
]

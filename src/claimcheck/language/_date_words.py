"""The words of dates, per language (English, Danish, Dutch, French, German, Arabic): month names
and abbreviations, qualifiers, year cues, range words, relative expressions and units of time.

Everything is written casefolded, with "'" for any apostrophe (the text is normalised the same
way before it is searched). A space in a phrase matches any run of whitespace. A language key
ending in "!" holds words that are ordinary words in another supported language (Dutch "begin",
French "hier"): they count only when that language is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

__all__ = [
    "AGO",
    "CAPITALISED_ONLY",
    "COUNT_WORDS",
    "FILLERS",
    "LANGUAGES",
    "MONTH_ABBREVIATIONS",
    "MONTH_BY_WORD",
    "MONTH_NAMES",
    "MONTH_TOKENS",
    "MONTH_WORDS",
    "QUALIFIERS",
    "RANGE_FROM",
    "RANGE_TO",
    "RELATIVE",
    "RELATIVE_ANCHORS",
    "UNITS",
    "YEAR_CUES",
    "all_forms",
]

LANGUAGES = ("en", "da", "nl", "fr", "de", "ar")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _twelve(text: str) -> tuple[tuple[str, ...], ...]:
    """Month spellings, January first: months separated by "|", spellings by "/", "-" for none."""
    months = tuple(
        tuple(" ".join(form.split()) for form in month.split("/") if form.strip() != "-")
        for month in text.split("|")
    )
    assert len(months) == 12, text
    return months


# Full month names, with several spellings where usage varies.
MONTH_NAMES: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "en": _twelve(
        "january | february | march | april | may | june | july | august | september | october"
        " | november | december"
    ),
    "da": _twelve(
        "januar | februar | marts | april | maj | juni | juli | august | september | oktober"
        " | november | december"
    ),
    "nl": _twelve(
        "januari | februari | maart | april | mei | juni | juli | augustus | september | oktober"
        " | november | december"
    ),
    "fr": _twelve(
        "janvier | février/fevrier | mars | avril | mai | juin | juillet | août/aout | septembre"
        " | octobre | novembre | décembre/decembre"
    ),
    "de": _twelve(
        "januar/jänner | februar/feber | märz/maerz | april | mai | juni | juli | august"
        " | september | oktober | november | dezember"
    ),
    # Egyptian and Gulf names, the Levantine (Syriac) names used in Syria, and Maghreb names.
    "ar": _twelve(
        "يناير/كانون الثاني/كانون ثاني/جانفي | فبراير/شباط/فيفري | مارس/آذار/اذار"
        " | أبريل/ابريل/إبريل/نيسان/أفريل/افريل | مايو/أيار/ايار/ماي"
        " | يونيو/يونيه/يونية/حزيران/جوان | يوليو/يوليه/يولية/تموز/جويلية"
        " | أغسطس/اغسطس/آب/أوت/اوت | سبتمبر/أيلول/ايلول"
        " | أكتوبر/اكتوبر/تشرين الأول/تشرين الاول/تشرين أول/تشرين اول"
        " | نوفمبر/تشرين الثاني/تشرين ثاني | ديسمبر/كانون الأول/كانون الاول/كانون أول/كانون اول"
    ),
}

# Abbreviations, which may be followed by a full stop ("Oct.", "janv.", "Dez.").
MONTH_ABBREVIATIONS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "en": _twelve("jan | feb | mar | apr | - | jun | jul | aug | sep/sept | oct | nov | dec"),
    "da": _twelve("jan | feb | mar | apr | - | jun | jul | aug | sep/sept | okt | nov | dec"),
    "nl": _twelve("jan | feb | mrt | apr | - | jun | jul | aug | sep/sept | okt | nov | dec"),
    "fr": _twelve(
        "janv | févr/fév/fevr/fev | - | avr | - | - | juil | - | sept | oct | nov | déc/dec"
    ),
    "de": _twelve(
        "jan/jän | feb | mär/mrz | apr | - | jun | jul | aug | sep/sept | okt | nov | dez"
    ),
    "ar": _twelve("-|-|-|-|-|-|-|-|-|-|-|-"),
}

# English words that are month names only when capitalised ("you may", "to march", "to mar").
CAPITALISED_ONLY = frozenset({"may", "march", "mar"})


def all_forms(table: Mapping[str, tuple[tuple[str, ...], ...]]) -> Iterator[tuple[str, int]]:
    for months in table.values():
        for number, forms in enumerate(months, start=1):
            for form in forms:
                yield form, number


MONTH_BY_WORD = dict([*all_forms(MONTH_NAMES), *all_forms(MONTH_ABBREVIATIONS)])
# The first word of every month name: where a month-first date can start.
MONTH_TOKENS = frozenset(form.split()[0] for form in MONTH_BY_WORD)

MONTH_WORDS: frozenset[str] = frozenset(
    [
        *MONTH_TOKENS,
        *(form for form, _ in all_forms(MONTH_NAMES)),
        *(f"{form}." for form, _ in all_forms(MONTH_ABBREVIATIONS)),
    ]
)
"""Casefolded month names and abbreviations, with and without their full stop, of every supported
language. Two-word Arabic names ("تشرين الأول") are there whole and by their first word."""

# Qualifiers, in English, and how each language says them right before a date.
QUALIFIERS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "since": {
        "en": ("since", "ever since"),
        "da": ("siden",),
        "nl": ("sinds", "sedert"),
        "fr": ("depuis",),
        "de": ("seit",),
        "ar": ("منذ",),
    },
    "until": {
        "en": ("until", "till", "through"),
        "da": ("indtil", "frem til"),
        "nl": ("tot", "tot en met", "totdat"),
        "fr": ("jusqu'en", "jusqu'à", "jusqu'au", "jusqu'a"),
        "de": ("bis", "bis zum", "bis ins"),
        "ar": ("حتى", "لغاية", "إلى غاية"),
    },
    "before": {
        "en": ("before", "prior to"),
        "da": ("før", "inden"),
        "nl": ("vóór",),
        "fr": ("avant",),
        "de": ("vor",),
        "ar": ("قبل",),
    },
    "after": {
        "en": ("after",),
        "da": ("efter",),
        "nl": ("na",),
        "fr": ("après", "apres"),
        "de": ("nach",),
        "ar": ("بعد",),
    },
    "by": {
        "en": ("by",),
        "da": ("senest",),
        "nl": ("uiterlijk",),
        "fr": ("d'ici",),
        "de": ("spätestens", "bis spätestens"),
        "ar": ("بحلول",),
    },
    "early": {
        "en": ("early", "beginning of", "the beginning of", "start of", "the start of"),
        "da": ("primo", "begyndelsen af", "starten af"),
        "nl": ("begin van", "het begin van"),
        "nl!": ("begin",),
        "fr": ("début", "debut", "début de", "au début de", "en début de"),
        "de": ("anfang", "zu beginn", "beginn"),
        "ar": ("مطلع", "أوائل", "اوائل", "بداية"),
    },
    "mid": {
        "en": ("mid", "middle of", "the middle of"),
        "da": ("medio", "midten af"),
        "nl": ("medio", "midden", "halverwege"),
        "nl!": ("half",),
        "fr": ("mi", "à la mi", "milieu", "milieu de", "au milieu de"),
        "de": ("mitte",),
        "ar": ("منتصف", "أواسط", "اواسط"),
    },
    "late": {
        "en": ("late", "end of", "the end of"),
        "da": ("ultimo", "slutningen af", "udgangen af"),
        "nl": ("eind", "eind van", "einde", "einde van", "het einde van"),
        "fr": ("fin", "fin de", "à la fin de", "en fin de"),
        "de": ("ende",),
        "ar": ("أواخر", "اواخر", "نهاية"),
    },
}

# Other words that make a following bare number a year ("in 2019", "im Jahr 2019", "عام 2019").
YEAR_CUES: Mapping[str, tuple[str, ...]] = {
    "en": _words("in during throughout from year summer spring autumn winter"),
    "da": ("i", "fra", "året", "i løbet af", "sommeren", "foråret", "efteråret", "vinteren"),
    "nl": ("in", "vanaf", "jaar", "het jaar"),
    "fr": ("en", "dès", "l'année", "l'an", "année", "à partir de", "courant", "au cours de"),
    "de": _words("im in ab jahr jahre jahres"),
    "ar": _words("في خلال عام العام سنة"),
}

# Words that may stand between a cue or qualifier and its date ("since the year 2019").
FILLERS = _words(
    "the of year le la les den det dem der des das zum het de in i im år året jaar année"
    " jahr jahre jahres عام العام سنة"
)

# Ranges between two years: "from 2019 to 2020", "mellem 2019 og 2020", "von 2019 bis 2020".
RANGE_FROM = _words("from between fra mellem van tussen de entre von zwischen من بين")
RANGE_TO = _words("to and until till through til og tot en à au et bis und إلى الى حتى")

# Relative expressions: (language, regex, unit, offset). Units: day, week, month, year.
RELATIVE: tuple[tuple[str, str, str, int], ...] = (
    # "USA Today" is a newspaper: a capitalised "Today" counts only after no word.
    ("en", r"(?-i:today)|(?<![^\W\d_]\s)(?-i:Today)", "day", 0),
    ("en", r"yesterday", "day", -1),
    ("en", r"tomorrow", "day", 1),
    ("en", r"(?:(?:earlier|later)\s+)?this\s+week", "week", 0),
    ("en", r"last\s+week", "week", -1),
    ("en", r"next\s+week", "week", 1),
    ("en", r"(?:(?:earlier|later)\s+)?this\s+month", "month", 0),
    ("en", r"last\s+month", "month", -1),
    ("en", r"next\s+month", "month", 1),
    ("en", r"(?:(?:earlier|later)\s+)?this\s+year", "year", 0),
    ("en", r"last\s+year", "year", -1),
    ("en", r"next\s+year", "year", 1),
    ("da", r"i\s+dag", "day", 0),
    ("da", r"i\s*går", "day", -1),
    ("da", r"i\s+morgen", "day", 1),
    ("da", r"(?:i\s+)?denne\s+uge", "week", 0),
    # "de sidste år" is "in recent years", not "last year"; so for weeks and months.
    ("da", r"(?<!de\s)(?:i\s+)?(?:sidste|forrige)\s+uge", "week", -1),
    ("da", r"(?:i\s+)?næste\s+uge", "week", 1),
    ("da", r"(?:i\s+)?denne\s+måned", "month", 0),
    ("da", r"(?<!de\s)(?:i\s+)?(?:sidste|forrige)\s+måned", "month", -1),
    ("da", r"(?:i\s+)?næste\s+måned", "month", 1),
    ("da", r"i\s+år", "year", 0),
    ("da", r"(?<!de\s)(?:sidste|forrige)\s+år|i\s+fjor", "year", -1),
    ("da", r"(?:til\s+)?næste\s+år", "year", 1),
    ("nl", r"vandaag", "day", 0),
    ("nl", r"gisteren", "day", -1),
    ("nl", r"deze\s+week", "week", 0),
    ("nl", r"vorige\s+week", "week", -1),
    ("nl", r"volgende\s+week", "week", 1),
    ("nl", r"deze\s+maand", "month", 0),
    ("nl", r"vorige\s+maand", "month", -1),
    ("nl", r"volgende\s+maand", "month", 1),
    ("nl", r"dit\s+jaar", "year", 0),
    ("nl", r"(?:vorig|verleden)\s+jaar", "year", -1),
    ("nl", r"volgend\s+jaar", "year", 1),
    ("fr", r"aujourd'hui", "day", 0),
    ("fr!", r"hier", "day", -1),
    ("fr", r"demain", "day", 1),
    ("fr", r"cette\s+semaine", "week", 0),
    ("fr", r"la\s+semaine\s+(?:dernière|derniere|passée|passee)", "week", -1),
    ("fr", r"la\s+semaine\s+prochaine", "week", 1),
    ("fr", r"ce\s+mois(?:-ci)?", "month", 0),
    ("fr", r"le\s+mois\s+(?:dernier|passé|passe)", "month", -1),
    ("fr", r"le\s+mois\s+prochain", "month", 1),
    ("fr", r"cette\s+année", "year", 0),
    ("fr", r"l'(?:année|annee)\s+(?:dernière|derniere|passée|passee)", "year", -1),
    ("fr", r"l'an\s+(?:dernier|passé|passe)", "year", -1),
    ("fr", r"l'(?:année|annee)\s+prochaine|l'an\s+prochain", "year", 1),
    ("de", r"heute", "day", 0),
    ("de", r"gestern", "day", -1),
    ("de", r"(?:in\s+)?diese[rn]?\s+woche", "week", 0),
    ("de", r"(?:in\s+der\s+)?(?:letzte[nr]?|vergangene[nr]?|vorige[nr]?)\s+woche", "week", -1),
    ("de", r"(?:in\s+der\s+)?nächste[nr]?\s+woche", "week", 1),
    ("de", r"(?:in\s+)?diese[mnr]?\s+monat", "month", 0),
    ("de", r"(?:im\s+)?(?:letzte[nm]?|vergangene[nm]?|vorige[nm]?)\s+monat", "month", -1),
    ("de", r"(?:im\s+)?vormonat", "month", -1),
    ("de", r"(?:im\s+)?nächste[nm]?\s+monat", "month", 1),
    ("de", r"(?:in\s+)?diese[ms]\s+jahr", "year", 0),
    ("de", r"(?:im\s+)?(?:letzte[ns]?|vergangene[ns]?|vorige[ns]?)\s+jahr", "year", -1),
    ("de", r"(?:im\s+)?vorjahr", "year", -1),
    ("de", r"(?:im\s+)?nächste[ns]?\s+jahr", "year", 1),
    ("ar", r"(?:يوم\s+)?(?:أمس|امس|الأمس|الامس)", "day", -1),
    ("ar", r"(?:هذا|هذه)\s+(?:الأسبوع|الاسبوع)|(?:الأسبوع|الاسبوع)\s+(?:الحالي|الجاري)", "week", 0),
    ("ar", r"(?:الأسبوع|الاسبوع)\s+(?:الماضي|الفائت|المنصرم)", "week", -1),
    ("ar", r"(?:الأسبوع|الاسبوع)\s+(?:المقبل|القادم)", "week", 1),
    ("ar", r"هذا\s+الشهر|الشهر\s+(?:الحالي|الجاري)", "month", 0),
    ("ar", r"الشهر\s+(?:الماضي|الفائت|المنصرم)", "month", -1),
    ("ar", r"الشهر\s+(?:المقبل|القادم)", "month", 1),
    (
        "ar",
        r"هذا\s+العام|هذه\s+السنة|العام\s+(?:الحالي|الجاري)|السنة\s+(?:الحالية|الجارية)",
        "year",
        0,
    ),
    ("ar", r"العام\s+(?:الماضي|الفائت|المنصرم)|السنة\s+(?:الماضية|الفائتة)", "year", -1),
    ("ar", r"العام\s+(?:المقبل|القادم)|السنة\s+(?:المقبلة|القادمة)", "year", 1),
    ("ar", r"(?:منذ|قبل)\s+يومين", "day", -2),
    ("ar", r"(?:منذ|قبل)\s+(?:أسبوعين|اسبوعين)", "week", -2),
    ("ar", r"(?:منذ|قبل)\s+شهرين", "month", -2),
    ("ar", r"(?:منذ|قبل)\s+(?:عامين|سنتين)", "year", -2),
)

# "N units ago": the phrase around the number {n} and the unit {u}, per language.
AGO: Mapping[str, str] = {
    "en": r"(?P<n_en>{n})\s+(?P<u_en>{u})\s+ago",
    "da": r"for\s+(?P<n_da>{n})\s+(?P<u_da>{u})\s+siden",
    "nl": r"(?P<n_nl>{n})\s+(?P<u_nl>{u})\s+geleden",
    "fr": r"il\s+y\s+a\s+(?P<n_fr>{n})\s+(?P<u_fr>{u})",
    "de": r"vor\s+(?P<n_de>{n})\s+(?P<u_de>{u})",
    "ar": r"(?:منذ|قبل)\s+(?P<n_ar>{n})\s*(?P<u_ar>{u})",
}


def _units(day: str, week: str, month: str, year: str) -> dict[str, str]:
    """The words of each unit of time, as a word -> unit mapping."""
    units = {"day": day, "week": week, "month": month, "year": year}
    return {word: unit for unit, words in units.items() for word in words.split()}


UNITS: Mapping[str, Mapping[str, str]] = {
    "en": _units("day days", "week weeks", "month months", "year years"),
    "da": _units("dag dage", "uge uger", "måned måneder", "år"),
    "nl": _units("dag dagen", "week weken", "maand maanden", "jaar jaren"),
    "fr": _units("jour jours", "semaine semaines", "mois", "an ans année années"),
    "de": _units("tag tage tagen", "woche wochen", "monat monate monaten", "jahr jahre jahren"),
    "ar": _units(
        "يوم يوما يومًا أيام ايام",
        "أسبوع اسبوع أسبوعا أسابيع اسابيع",
        "شهر شهرا شهرًا أشهر اشهر شهور",
        "سنة سنوات سنين عام عاما عامًا أعوام اعوام",
    ),
}

# Every relative expression contains one of these words or a unit: where to look for one.
RELATIVE_ANCHORS: Mapping[str, tuple[str, ...]] = {
    "en": _words("today yesterday tomorrow ago"),
    "da": _words("dag går igår morgen fjor siden"),
    "nl": _words("vandaag gisteren geleden"),
    "fr": _words("aujourd hier demain il"),
    "de": _words("heute gestern vormonat vorjahr vor"),
    "ar": _words("أمس امس الأمس الامس الأسبوع الاسبوع الشهر العام السنة منذ قبل"),
}


def _counting(text: str) -> dict[str, int]:
    """Number words from one up: numbers separated by "|", synonyms by "/"."""
    return {
        word.strip(): number
        for number, words in enumerate(text.split("|"), start=1)
        for word in words.split("/")
    }


COUNT_WORDS: Mapping[str, Mapping[str, int]] = {
    "en": _counting("a/an/one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"),
    "da": _counting("en/et/én/ét|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv"),
    "nl": _counting("een/één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf"),
    "fr": _counting("un/une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze"),
    "de": _counting(
        "ein/einem/einer/eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf"
    ),
    "ar": {},
}

"""Case sources and statistics for ``accuracy.py`` that do not depend on its news-page machinery.

Kept apart so that ``accuracy.py`` stays readable: the Wilson score interval, the fragments of a
quote for the fair baseline, the worked example's verbatim passages, the PDF corpus (read with
poppler's ``pdftotext`` as the reference reading) and the synthetic non-English figure and date
sentences. Nothing here imports claimcheck: the cases must not be derived from the engine.
"""

import json
import math
import random
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of the proportion ``hits / n``.

    Unlike the normal approximation it stays inside [0, 1] and is honest at 0 % and 100 %: 50 of
    50 gives [92.9 %, 100 %], not [100 %, 100 %].
    """
    if n == 0:
        return (0.0, 1.0)
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def share_with_interval(hits: int, n: int) -> str:
    """``"98.7% [97.1-99.4]"``: a share and its 95 % Wilson interval, or "-" for n = 0."""
    if not n:
        return "-"
    low, high = wilson(hits, n)
    return f"{100 * hits / n:.1f}% [{100 * low:.1f}-{100 * high:.1f}]"


# ---------------------------------------------------------------------------------------------
# Fair baseline: the fragments of a quote
# ---------------------------------------------------------------------------------------------

#: Omission marks and bracketed text: what a quote writer legitimately puts between fragments.
_GAP_RE = re.compile(r"\[[^\]]*\]|\([.…]+\)|\.{3,}|…")


def fragments(quote: str) -> list[str]:
    """The verbatim fragments of ``quote``: the text between omission marks and brackets.

    Surrounding punctuation and spaces are stripped; fragments without a letter or digit are
    dropped. "He said [the minister] would ... resign" gives ["He said", "would", "resign"].
    """
    parts = (part.strip(" \t\n.,;:!?\"'“”‘’«»") for part in _GAP_RE.split(quote))
    return [part for part in parts if re.search(r"\w", part)]


def in_order(needles: list[str], haystack: str) -> bool:
    """Whether every needle occurs in ``haystack``, each after the end of the previous one."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


# ---------------------------------------------------------------------------------------------
# The worked example's verbatim passages
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passages:
    """One source of the worked example: its passages, read in place from ``sources.json``."""

    id: str
    url: str
    language: str
    passages: tuple[str, ...]


def load_passages(path: Path) -> list[Passages]:
    """The sources of the worked example's ``sources.json`` (empty when the file is absent)."""
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Passages(
            f"we{index:02d}", source["url"], source.get("language", ""), tuple(source["passages"])
        )
        for index, source in enumerate(data.get("sources", []))
    ]


# ---------------------------------------------------------------------------------------------
# PDFs: poppler's reading as the reference
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfSource:
    """One PDF of the corpus: its bytes and the paragraphs of the reference reading."""

    id: str
    path: Path
    raw: bytes
    paragraphs: tuple[str, ...]
    reader: str  # "pdftotext" or "pypdfium2" (when poppler is not installed)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text: blank-line separated, lines joined, hyphenation undone."""
    out = []
    for block in re.split(r"\n\s*\n|\f", text):
        joined = re.sub(r"(?<=[a-zäöüæøåéè])-\n(?=[a-zäöüæøåéè])", "", block)
        joined = " ".join(joined.split())
        if joined:
            out.append(joined)
    return out


def _pdftotext(path: Path) -> str | None:
    """poppler's reading of ``path`` (reading order, no layout), or None when it fails."""
    try:
        done = subprocess.run(
            ["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _pdfium_text(raw: bytes) -> str | None:
    """pypdfium2's plain text of every page, or None for an unreadable (e.g. encrypted) PDF."""
    try:
        import pypdfium2

        document = pypdfium2.PdfDocument(raw)
        return "\n\n".join(page.get_textpage().get_text_range() for page in document)
    except Exception:  # an unreadable PDF is simply not used
        return None


def load_pdfs(directory: Path) -> list[PdfSource]:
    """The PDFs of ``directory`` (sorted), read with ``pdftotext`` (else pypdfium2).

    Empty when the directory is absent; a PDF that neither reader can read is skipped.
    """
    if not directory.is_dir():
        return []
    poppler = shutil.which("pdftotext") is not None
    sources = []
    for path in sorted(directory.glob("*.pdf")):
        raw = path.read_bytes()
        text = _pdftotext(path) if poppler else _pdfium_text(raw)
        if not text or not text.strip():
            continue
        sources.append(
            PdfSource(
                f"pdf-{path.stem}",
                path,
                raw,
                tuple(_paragraphs(text)),
                "pdftotext" if poppler else "pypdfium2",
            )
        )
    return sources


def naive_pdf_text(raw: bytes) -> str:
    """The baselines' reading of a PDF: pypdfium2's plain text, page after page."""
    return _pdfium_text(raw) or ""


# ---------------------------------------------------------------------------------------------
# Synthetic non-English figures and dates
# ---------------------------------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}
ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
).split()

#: 2..12 as number words, per language (Arabic is written in digits here).
NUMBER_WORDS = {
    "de": "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "da": "to tre fire fem seks syv otte ni ti elleve tolv",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze",
}

#: Tens 20..50 and the units 1..9 that compound with them ("dreiundzwanzig", "treogtyve",
#: "vingt-trois"); Danish counts in scores ("halvtreds" is 50).
TENS = {
    "de": ("zwanzig", "dreißig", "vierzig", "fünfzig"),
    "da": ("tyve", "tredive", "fyrre", "halvtreds"),
    "fr": ("vingt", "trente", "quarante", "cinquante"),
}
UNITS = {
    "de": "ein zwei drei vier fünf sechs sieben acht neun",
    "da": "en to tre fire fem seks syv otte ni",
    "fr": "un deux trois quatre cinq six sept huit neuf",
}


def number_word(value: int, language: str) -> str:
    """``value`` (2..12 or 20..59) as the language writes it in words."""
    if value <= 12:
        return NUMBER_WORDS[language].split()[value - 2]
    tens, unit = TENS[language][value // 10 - 2], value % 10
    if unit == 0:
        return tens
    word = UNITS[language].split()[unit - 1]
    if language == "de":
        return f"{word}und{tens}"
    if language == "da":
        return f"{word}og{tens}"
    return f"{tens} et un" if unit == 1 else f"{tens}-{word}"


#: Figure sentences: (template with {n}, the figure's noun phrase after the number, context).
FIGURE_TEMPLATES = {
    "de": (
        (
            "Nach Angaben des Innenministeriums stellten im vergangenen Jahr {n} Menschen einen "
            "Antrag auf Asyl.",
            "Menschen",
            "Innenministeriums Antrag",
        ),
        (
            "Die Stadtverwaltung meldete für den Bezirk Mitte {n} neue Wohnungen.",
            "neue Wohnungen",
            "Stadtverwaltung Bezirk",
        ),
        (
            "Bei dem Unwetter im Süden wurden {n} Häuser beschädigt, teilte die Polizei mit.",
            "Häuser",
            "Unwetter beschädigt",
        ),
        (
            "Der Verein zählt inzwischen {n} Mitglieder in ganz Bayern.",
            "Mitglieder",
            "Verein Bayern",
        ),
        (
            "Für die Sanierung der Schulen stellt das Land {n} Millionen Euro bereit.",
            "Millionen Euro",
            "Sanierung Schulen",
        ),
    ),
    "da": (
        (
            "Ifølge Udlændingestyrelsen søgte {n} personer om asyl i Danmark sidste år.",
            "personer",
            "Udlændingestyrelsen asyl",
        ),
        (
            "Kommunen har bygget {n} nye boliger i det nordlige kvarter.",
            "nye boliger",
            "Kommunen kvarter",
        ),
        (
            "Under stormen blev {n} huse ødelagt på Vestkysten, oplyser politiet.",
            "huse",
            "stormen Vestkysten",
        ),
        ("Foreningen har nu {n} medlemmer over hele Jylland.", "medlemmer", "Foreningen Jylland"),
        (
            "Regeringen afsætter {n} millioner kroner til renovering af skoler.",
            "millioner kroner",
            "Regeringen renovering",
        ),
    ),
    "fr": (
        (
            "Selon le ministère de l'Intérieur, {n} personnes ont demandé l'asile l'an dernier.",
            "personnes",
            "ministère asile",
        ),
        (
            "La mairie a annoncé la construction de {n} logements dans le quartier nord.",
            "logements",
            "mairie quartier",
        ),
        (
            "Pendant la tempête, {n} maisons ont été endommagées sur la côte, selon la préfecture.",
            "maisons",
            "tempête préfecture",
        ),
        (
            "L'association compte désormais {n} membres dans toute la Bretagne.",
            "membres",
            "association Bretagne",
        ),
        (
            "La région consacre {n} millions d'euros à la rénovation des écoles.",
            "millions d'euros",
            "région rénovation",
        ),
    ),
    "ar": (
        (
            "وقالت وزارة الداخلية إن {n} شخصا تقدموا بطلبات لجوء في العام الماضي.",
            "شخصا",
            "وزارة لجوء",
        ),
        ("أعلنت البلدية عن بناء {n} وحدة سكنية في الحي الشمالي.", "وحدة سكنية", "البلدية الحي"),
        (
            "وتضرر {n} منزلا جراء العاصفة في المناطق الساحلية بحسب الدفاع المدني.",
            "منزلا",
            "العاصفة الساحلية",
        ),
        ("ويبلغ عدد أعضاء الجمعية الآن {n} عضوا في جميع أنحاء البلاد.", "عضوا", "الجمعية أعضاء"),
        ("وخصصت الحكومة {n} مليون دولار لترميم المدارس.", "مليون دولار", "الحكومة لترميم"),
    ),
}

#: Date sentences: (template with {d}, context).
DATE_TEMPLATES = {
    "de": (
        (
            "Am {d} unterzeichneten die Minister in Genf ein Abkommen über Flüchtlinge.",
            "unterzeichneten Abkommen",
        ),
        ("Die Ausstellung im Stadtmuseum wurde am {d} eröffnet.", "Ausstellung eröffnet"),
        (
            "Das Parlament verabschiedete das Gesetz am {d} mit großer Mehrheit.",
            "Parlament verabschiedete",
        ),
    ),
    "da": (
        ("Den {d} underskrev ministrene en aftale om flygtninge i Genève.", "underskrev aftale"),
        ("Udstillingen på byens museum åbnede den {d}.", "Udstillingen åbnede"),
        ("Folketinget vedtog loven den {d} med et stort flertal.", "Folketinget vedtog"),
    ),
    "fr": (
        ("Le {d}, les ministres ont signé à Genève un accord sur les réfugiés.", "ministres signé"),
        ("L'exposition du musée municipal a ouvert ses portes le {d}.", "exposition musée"),
        ("Le Parlement a adopté la loi le {d} à une large majorité.", "Parlement adopté"),
    ),
    "ar": (
        ("وفي {d} وقع الوزراء في جنيف اتفاقا بشأن اللاجئين.", "الوزراء اتفاقا"),
        ("وافتتح المعرض في متحف المدينة في {d}.", "المعرض متحف"),
        ("وأقر البرلمان القانون في {d} بأغلبية كبيرة.", "البرلمان القانون"),
    ),
}


def format_number(value: int, language: str) -> str:
    """``value`` with the language's thousands separator (Arabic: Arabic-Indic digits)."""
    plain = f"{value:,}"
    if language in ("de", "da"):
        return plain.replace(",", ".")
    if language == "fr":
        return plain.replace(",", "\u202f")  # narrow no-break space, as French typography has it
    if language == "ar":
        return plain.replace(",", "٬").translate(ARABIC_INDIC)
    return plain


def format_local_date(day: int, month: int, year: int, language: str) -> str:
    """A date as the language writes it: "15. März 2011", "15. marts 2011", "15 mars 2011",
    "١٥ مارس ٢٠١١"."""
    name = MONTHS[language].split()[month - 1]
    if language in ("de", "da"):
        return f"{day}. {name} {year}"
    if language == "ar":
        return f"{day} {name} {year}".translate(ARABIC_INDIC)
    return f"{day} {name} {year}"


@dataclass(frozen=True)
class SyntheticCase:
    """A synthetic source text and one labelled figure or date claim about it."""

    group: str  # "de", "da", "fr", "ar"
    kind: str  # "figure" or "date"
    expected: str
    variant: str
    claim: str
    context: str
    source: str
    language: str | None  # the claim's language (None: English)


def _other(value: int, rng: random.Random) -> int:
    """A different value with the same number of digits (leading digit changed)."""
    text = str(value)
    lead = int(text[0])
    new = rng.choice([d for d in range(1, 10) if d != lead])
    return int(str(new) + text[1:])


def synthetic_cases(language: str, rng: random.Random, count: int) -> list[SyntheticCase]:
    """``count`` source texts of the language, each with its labelled claims.

    Each source holds three figure sentences and one date sentence with random values (the other
    sentences are distractors with numbers of their own). Claims: a figure as written (verified),
    in plain digits (verified: "12500" for "12.500", Western digits for Arabic-Indic ones), with a
    changed leading digit (drifted); a number word's figure (2-12, or a compound 20-59 such as
    "dreiundzwanzig", "treogtyve", "vingt-trois") in digits (verified) and a different number
    (drifted); a date as written and in English (verified), with the day, month or year
    changed (drifted); a figure whose context is in none of the sentences (absent).
    """
    cases: list[SyntheticCase] = []
    figures = FIGURE_TEMPLATES[language]
    for _ in range(count):
        chosen = rng.sample(range(len(figures)), 4)
        values = [rng.choice((rng.randint(13, 999), rng.randint(1000, 99999))) for _ in chosen]
        word_slot = rng.randrange(3) if language in NUMBER_WORDS else None
        word_value = rng.choice((rng.randint(2, 12), rng.randint(20, 59)))
        sentences = []
        for slot, (index, value) in enumerate(zip(chosen[:3], values, strict=False)):
            template = figures[index][0]
            if slot == word_slot:
                sentences.append(template.format(n=number_word(word_value, language)))
            else:
                sentences.append(template.format(n=format_number(value, language)))
        day, month, year = rng.randint(2, 28), rng.randint(1, 12), rng.randint(1950, 2023)
        date_template, date_context = rng.choice(DATE_TEMPLATES[language])
        date = format_local_date(day, month, year, language)
        sentences.insert(rng.randrange(4), date_template.format(d=date))
        source = " ".join(sentences)

        def add(
            kind: str,
            expected: str,
            variant: str,
            claim: str,
            context: str,
            claim_language: str | None = language,
            text: str = source,
        ) -> None:
            cases.append(
                SyntheticCase(
                    language, kind, expected, variant, claim, context, text, claim_language
                )
            )

        slot = rng.choice([s for s in range(3) if s != word_slot])
        _template, noun, context = figures[chosen[slot]]
        value = values[slot]
        add("figure", "verified", "as-written", f"{format_number(value, language)} {noun}", context)
        add("figure", "verified", "plain-digits", f"{value} {noun}", context)
        changed = format_number(_other(value, rng), language)
        add("figure", "drifted", "digit", f"{changed} {noun}", context)
        if word_slot is not None:
            _template, noun, context = figures[chosen[word_slot]]
            add("figure", "verified", "from-word", f"{word_value} {noun}", context)
            wrong = word_value + rng.choice((-2, -1, 1, 2, 10))
            add("figure", "drifted", "number-word", f"{wrong} {noun}", context)
        _template, noun, context = figures[chosen[3]]
        add(
            "figure",
            "absent",
            "not-in-source",
            f"{format_number(values[3], language)} {noun}",
            context,
        )
        add("date", "verified", "as-written", date, date_context)
        english = f"{day} {ENGLISH_MONTHS[month - 1]} {year}"
        add("date", "verified", "in-english", english, date_context, None)
        new_day = rng.choice([d for d in range(2, 29) if d != day])
        add(
            "date",
            "drifted",
            "day",
            format_local_date(new_day, month, year, language),
            date_context,
        )
        new_month = rng.choice([m for m in range(1, 13) if m != month])
        add(
            "date",
            "drifted",
            "month",
            format_local_date(day, new_month, year, language),
            date_context,
        )
        new_year = year + rng.choice((-1, 1))
        add(
            "date",
            "drifted",
            "year",
            format_local_date(day, month, new_year, language),
            date_context,
        )
    return cases

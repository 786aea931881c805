"""Classifying a located quote: from the word-level edit script to its differences, and from
them to a finding.

Differences of case, typography, punctuation and hyphenation are cosmetic; a changed number,
date, negation or hedge, a substituted or added word, and source words left out without an
ellipsis are material. Numbers are compared by value (with their percent sign, scale and unit),
so "100,000" for "100 000" is cosmetic and "189" for "198", "10am" for "10pm" or "5%" for "<5%"
is not. A quote that starts right after a negation or hedge, or that an ellipsis cuts one out of,
drops what qualifies it. The most serious material difference names the drift; a quote with none
is verified, its reason saying how it was written (exact, normalised, elided, bracketed).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..language import (
    CAPITALISED_ONLY,
    HEDGE_WORDS,
    MONTH_WORDS,
    NUMBER_WORDS,
    Figure,
    NormalizedText,
    find_figures,
    is_negation,
    negation_count,
)
from ..model import DiffKind, Reason, WordDiff, quoted
from ._locate import Alignment, Block, Located
from ._quote_parse import Fragment
from ._tokens import (
    HEDGE_SYMBOLS,
    NUMBER_SYMBOLS,
    PERCENT_WORDS,
    WILD,
    citation_mark_at,
    is_number_token,
    is_word,
)

__all__ = ["quote_diffs", "quote_finding"]

_LEADING_NUMBER = re.compile(r"^[\d.,']+")


def _is_month(token: str) -> bool:
    return token in MONTH_WORDS or token.rstrip(".") in MONTH_WORDS


def _months(words: Sequence[str], text: str) -> list[str]:
    """The month names among one side's words (casefolded), by the date reader's rule: English
    "may", "march" and "mar" are months only when ``text`` (that side as written) capitalises
    them or "mar." has its full stop; "the government may review" holds no date."""
    written = set(re.findall(r"\w+\.?", text))
    months = []
    for token in words:
        bare = token.rstrip(".")
        if not _is_month(token):
            continue
        if bare in CAPITALISED_ONLY and not written & {
            bare.capitalize(),
            bare.upper(),
            f"{bare.capitalize()}.",
            f"{bare.upper()}.",
            f"{bare}.",
        }:
            continue
        months.append(token)
    return sorted(months)


def _hedges(words: Sequence[str], following: str) -> list[str]:
    """The hedges among ``words`` (then ``following``, the token after them): a hedge word
    counts only right before a number ("over 100", not "over the border")."""
    sequence = [*words, following]
    found = []
    for start in range(len(words)):
        for width in (3, 2, 1):
            phrase = " ".join(sequence[start : start + width])
            if (
                start + width < len(sequence)
                and phrase in HEDGE_WORDS
                and is_number_token(sequence[start + width])
            ):
                found.append(phrase)
                break
    return sorted(found)


_MEANINGFUL = frozenset({DiffKind.NUMBER, DiffKind.DATE, DiffKind.NEGATION, DiffKind.HEDGE})
_SCALE_WORDS = frozenset(
    "k m bn mn tn b thousand thousands million millions billion billions trillion trillions"
    " mio mia mrd tsd tusind millioner milliard milliarder milliarden tausend millionen"
    " duizend miljoen miljard miljoenen mille milliards".split()
)
_UNIT_LIKE = re.compile(r"[^\W\d_]{1,3}")
_MAX_QUALIFIER_BLOCK = 4  # words: a longer change is rewording, even if it holds a "not"


def _number_words(words: Sequence[str]) -> list[str]:
    """Number words that no figure was read from ("six" alone); "one" is left out: it is as
    often a pronoun ("no one", "someone") as a number."""
    return [w for w in words if w in NUMBER_WORDS and w != "one" and not w[:1].isdigit()]


def _is_exponent(tokens: Sequence[str], index: int, preceding: str) -> bool:
    """Whether the superscript token at ``index`` is an exponent ("10²", "km²") rather than a
    footnote mark ("conflict.¹")."""
    before = tokens[index - 1] if index > 0 else preceding
    return is_number_token(before) or bool(_UNIT_LIKE.fullmatch(before))


def _without_citation_marks(tokens: Sequence[str]) -> list[str]:
    """The tokens without bracketed citation marks ("[1]", "[citation needed]"): a quote may
    leave them out."""
    kept: list[str] = []
    index = 0
    while index < len(tokens):
        skip = citation_mark_at(tokens, index)
        if not skip:
            kept.append(tokens[index])
        index += skip or 1
    return kept


def _side(tokens: Sequence[str], preceding: str) -> tuple[list[str], list[str]]:
    """One side of a difference: its words (exponents kept, footnote and citation marks dropped,
    "per cent" as "%"), and the number and hedge symbols among its punctuation ("%", "$", "~",
    "<")."""
    tokens = _without_citation_marks(tokens)
    words: list[str] = []
    symbols: list[str] = []
    for index, token in enumerate(tokens):
        if token.startswith("^"):
            if _is_exponent(tokens, index, preceding):
                words.append(token)
        elif token in PERCENT_WORDS or (
            token == "cent" and index > 0 and tokens[index - 1] in ("per", "pour")
        ):
            symbols.append("%")
        elif token in ("per", "pour") and index + 1 < len(tokens) and tokens[index + 1] == "cent":
            continue
        elif token in HEDGE_SYMBOLS or token in NUMBER_SYMBOLS:
            symbols.append(token)
        elif is_word(token) and token != "sic":
            words.append(token)
    return words, sorted(symbols)


def _plain(words: Sequence[str]) -> tuple[str, str]:
    """The words without numbers, and the units of the number tokens (scale words go: the values
    carry them)."""
    letters = []
    units = []
    for word in words:
        if word.startswith("^"):
            units.append(word)  # an exponent: km² is not km³
        elif word[:1].isdigit():
            unit = _LEADING_NUMBER.sub("", word)  # "10am", "5km", "2.3bn"
            if unit and unit not in _SCALE_WORDS:
                units.append(unit)
        elif not (is_number_token(word) or word in _SCALE_WORDS) or any(
            char.isdigit() for char in word
        ):
            letters.append(word.replace("'", ""))  # "G7", "H1N1" are names, not numbers
    return "".join(letters), "".join(units)


_NEGATION_REACH = 6  # words back from a difference a negation may govern it from


def _figures(text: str, words: Sequence[str]) -> list[Figure]:
    """The numbers of one side of a difference, ordinals included: "18th" for "19th" changes a
    number as "18" for "19" does."""
    return find_figures(text, ordinals=True) if any(map(is_number_token, words)) else []


def _classify(
    claim_tokens: Sequence[str],
    source_tokens: Sequence[str],
    claim_text: str,
    source_text: str,
    following: str = "",
    preceding: str = "",
    negated: bool = False,
) -> DiffKind:
    """What one difference of the edit script amounts to (see the module documentation);
    ``negated``: a negation governs the source's clause before it."""
    claim_words, claim_symbols = _side(claim_tokens, preceding)
    source_words, source_symbols = _side(source_tokens, preceding)
    claim_figures = _figures(claim_text, claim_words)
    source_figures = _figures(source_text, source_words)
    claim_values = sorted((f.value, f.percent, f.ordinal) for f in claim_figures)
    source_values = sorted((f.value, f.percent, f.ordinal) for f in source_figures)
    numbers_changed = claim_values != source_values or (
        not claim_values
        and not source_values
        and _number_words(claim_words) != _number_words(source_words)
    )

    claim_plain, claim_units = _plain(claim_words)
    source_plain, source_units = _plain(source_words)
    symbols_changed = claim_symbols != source_symbols
    units_changed = claim_units != source_units
    if not (numbers_changed or symbols_changed or units_changed) and claim_plain == source_plain:
        return DiffKind.COSMETIC
    claim_months = _months(claim_words, claim_text)
    source_months = _months(source_words, source_text)
    changed = set(claim_figures).symmetric_difference(source_figures)
    years_changed = (
        bool(changed)
        and numbers_changed
        and all(
            figure.looks_like_year
            for figure in changed
            if (figure.value, figure.percent, figure.ordinal)
            not in set(claim_values) & set(source_values)
        )
    )
    if claim_months != source_months or years_changed:
        return DiffKind.DATE
    if numbers_changed or units_changed:
        return DiffKind.NUMBER
    if symbols_changed:
        hedged = [s for s in claim_symbols if s in HEDGE_SYMBOLS] != [
            s for s in source_symbols if s in HEDGE_SYMBOLS
        ]
        return DiffKind.HEDGE if hedged else DiffKind.NUMBER
    if max(len(claim_words), len(source_words)) <= _MAX_QUALIFIER_BLOCK:
        if negation_count(claim_words, negated=negated) != negation_count(
            source_words, negated=negated
        ):
            return DiffKind.NEGATION
        if _hedges(claim_words, following) != _hedges(source_words, following):
            return DiffKind.HEDGE
    if not claim_words:
        return DiffKind.OMISSION
    return DiffKind.WORDING


def _typographic_diffs(
    block: Block, fragment: Fragment, quote: str, source: NormalizedText
) -> list[WordDiff]:
    """The cosmetic differences inside an equal block: words that normalise alike but are
    written otherwise (case, quote marks, ligatures, digits of another script)."""
    if block.q2 <= block.q1:
        return []
    claim_span = (fragment.spans[block.q1][0], fragment.spans[block.q2 - 1][1])
    source_span = source.token_span_to_original(block.s1, block.s2)
    claim_text = quote[claim_span[0] : claim_span[1]]
    source_text = source.original[source_span[0] : source_span[1]]
    if claim_text.split() == source_text.split():
        return []
    diffs = []
    for offset in range(block.q2 - block.q1):
        q_span = fragment.spans[block.q1 + offset]
        s_span = source.token_span_to_original(block.s1 + offset, block.s1 + offset + 1)
        claim_word = quote[q_span[0] : q_span[1]]
        source_word = source.original[s_span[0] : s_span[1]]
        if claim_word != source_word:
            diffs.append(WordDiff(DiffKind.COSMETIC, claim_word, source_word, q_span, s_span))
    return diffs


def _diffs(alignment: Alignment, quote: str, source: NormalizedText) -> list[WordDiff]:
    fragment = alignment.fragment
    diffs: list[WordDiff] = []
    for block in alignment.blocks:
        if block.equal:
            diffs.extend(_typographic_diffs(block, fragment, quote, source))
            continue
        q_tokens = fragment.tokens[block.q1 : block.q2]
        s_tokens = source.tokens[block.s1 : block.s2]
        if block.q2 > block.q1:
            claim_span = (fragment.spans[block.q1][0], fragment.spans[block.q2 - 1][1])
        else:
            point = (
                fragment.spans[block.q1][0]
                if block.q1 < len(fragment.spans)
                else fragment.spans[-1][1]
            )
            claim_span = (point, point)
        source_span = source.token_span_to_original(block.s1, block.s2)
        claim_text = quote[claim_span[0] : claim_span[1]]
        source_text = source.original[source_span[0] : source_span[1]]
        following = source.tokens[block.s2] if block.s2 < len(source.tokens) else ""
        preceding = source.tokens[block.s1 - 1] if block.s1 > 0 else ""
        wild = [q for q in range(block.q1, block.q2) if fragment.tokens[q] == WILD]
        literal = [token for token in q_tokens if token != WILD]
        if wild and not literal:
            allowed = sum(fragment.wild_max[q] for q in wild)
            needed = sum(fragment.wild_min[q] for q in wild)
            bracket_words = [w for q in wild for w in fragment.wild_words[q]]
            kind = _classify(
                bracket_words, s_tokens, " ".join(bracket_words), source_text, following, preceding
            )
            if kind not in _MEANINGFUL:
                kind = (
                    DiffKind.EDITORIAL
                    if needed <= len(s_tokens) <= allowed
                    else _classify([], s_tokens, "", source_text, following, preceding)
                )
        else:
            literal = [*literal, *(w for q in wild for w in fragment.wild_words[q])]
            negated = _negated_before(block.s1, source)
            kind = _classify(
                literal, s_tokens, claim_text, source_text, following, preceding, negated
            )
        diffs.append(WordDiff(kind, claim_text, source_text, claim_span, source_span))
    return diffs


def _negated_before(start: int, source: NormalizedText) -> bool:
    """Whether a negation comes in the few source words before token ``start``, in its clause
    (no punctuation between): "never forgive | or forget"."""
    for token in reversed(source.tokens[max(0, start - _NEGATION_REACH) : start]):
        if not is_word(token):
            return False
        if is_negation(token):
            return True
    return False


def _qualifier_before(
    start: int, first: str, source: NormalizedText
) -> tuple[int, DiffKind] | None:
    """Whether the source words just before token ``start`` qualify what follows: a negation
    ("did not | say"), or a hedge word or symbol before a number ("approximately | 500",
    "~ | 500"). Returns where the qualifier starts and its kind."""
    if start > 0 and source.tokens[start - 1] in HEDGE_SYMBOLS and is_number_token(first):
        return start - 1, DiffKind.HEDGE
    for width in (3, 2, 1):
        if start - width < 0:
            continue
        before = source.tokens[start - width : start]
        if not all(is_word(token) for token in before):
            continue
        phrase = " ".join(before)
        if width == 1 and is_negation(phrase):
            return start - 1, DiffKind.NEGATION
        if phrase in HEDGE_WORDS and is_number_token(first):
            return start - width, DiffKind.HEDGE
    return None


def _qualifier_after(stop: int, last: str, source: NormalizedText) -> int | None:
    """Whether the source token just after ``stop`` completes a number the quote ends with
    ("500 | +", "5 | %"): where it ends, or None."""
    if stop < len(source.tokens) and is_number_token(last):
        after = source.tokens[stop]
        if after in NUMBER_SYMBOLS or after in PERCENT_WORDS:
            return stop + 1
    return None


def _cut_qualifier(alignment: Alignment, last: Alignment, source: NormalizedText) -> list[WordDiff]:
    """A quote that starts right after a negation ("did not | say he would resign"), or starts
    with a number right after its hedge ("approximately | 500 Syrians", "~ | 500"), or ends with
    a number right before its sign ("500 | +"), is verbatim yet drops what qualifies it: report
    the qualifier as an omission of that kind."""
    diffs = []
    first_block, last_block = alignment.blocks[0], last.blocks[-1]
    claim_start = alignment.fragment.spans[0][0]
    if first_block.equal and alignment.start < len(source.tokens):
        found = _qualifier_before(alignment.start, source.tokens[alignment.start], source)
        if found is not None:
            where, kind = found
            span = source.token_span_to_original(where, alignment.start)
            words = source.original[span[0] : span[1]]
            diffs.append(WordDiff(kind, "", words, (claim_start, claim_start), span))
    if last_block.equal and last.stop > 0:
        end = _qualifier_after(last.stop, source.tokens[last.stop - 1], source)
        if end is not None:
            span = source.token_span_to_original(last.stop, end)
            claim_end = last.fragment.spans[-1][1]
            words = source.original[span[0] : span[1]]
            diffs.append(WordDiff(DiffKind.NUMBER, "", words, (claim_end, claim_end), span))
    return diffs


def _gap_diffs(before: Alignment, after: Alignment, source: NormalizedText) -> list[WordDiff]:
    """What an ellipsis leaves out that changes the meaning: a negation, number or hedge right
    at the cut ("did ... confirm" for "did not confirm"), or anywhere in a short gap."""
    gap = range(before.stop, after.start)
    if not gap:
        return []
    edges = set(gap) if len(gap) <= 3 else {gap[0], gap[-1]}
    diffs = []
    claim_point = after.fragment.spans[0][0]
    for position in sorted(edges):
        token = source.tokens[position]
        if is_negation(token):
            kind = DiffKind.NEGATION
        elif is_number_token(token) and is_word(token) and len(gap) <= 2:
            kind = DiffKind.NUMBER  # an ellipsis that leaves out just a number
        elif token in HEDGE_SYMBOLS or (
            token in HEDGE_WORDS
            and position + 1 < len(source.tokens)
            and is_number_token(source.tokens[position + 1])
        ):
            kind = DiffKind.HEDGE
        else:
            continue
        span = source.token_span_to_original(position, position + 1)
        words = source.original[span[0] : span[1]]
        diffs.append(WordDiff(kind, "", words, (claim_point, claim_point), span))
    return diffs


_DRIFT_ORDER = (
    (DiffKind.NUMBER, Reason.FIGURE_CHANGED),
    (DiffKind.DATE, Reason.DATE_MISMATCH),
    (DiffKind.NEGATION, Reason.NEGATION),
    (DiffKind.HEDGE, Reason.HEDGE_CHANGED),
    (DiffKind.OMISSION, Reason.SILENT_OMISSION),
    (DiffKind.WORDING, Reason.QUOTE_EDITED),
)


# What a difference spans at its edges is the page's punctuation, quotation marks and spacing,
# not words a reader should be shown ('," he said.\n\n"').
_EDGES = " \t\r\n\"'“”„‟‘’‚‛«»‹›,;:.!?…—–-"
_SENTENCE = re.compile(r"[^\W\d_][^.!?]*[.!?]")
_SENTENCE_WORDS = 3


_QUOTATION_MARKS = re.compile(r"[\"“”„‟«»‹›]")


def _words_of(text: str) -> str:
    """``text`` as the words to name in an explanation: on one line, without quotation marks
    (the explanation quotes it itself) or the punctuation at its edges."""
    return " ".join(_QUOTATION_MARKS.sub("", text).split()).strip(_EDGES)


def _sentence_in(text: str) -> str | None:
    """The first whole sentence ``text`` holds (capitalised, at least three words, ended by
    ``.``, ``!`` or ``?``), or ``None``."""
    collapsed = " ".join(text.split()).lstrip(_EDGES)
    for match in _SENTENCE.finditer(collapsed):
        sentence = match.group()
        if sentence[0].isupper() and len(sentence.split()) >= _SENTENCE_WORDS:
            return sentence
    return None


def _describe(diff: WordDiff) -> str:
    """One plain sentence about the words that differ: a sentence the statement adds or leaves
    out is named as a sentence; otherwise the words each side has, never the punctuation around
    them, and never two equal strings."""
    claim, source = _words_of(diff.claim_words), _words_of(diff.source_words)
    added = _sentence_in(diff.claim_words)
    if added is not None and added.rstrip(".!?") not in diff.source_words:
        return f"the statement adds a sentence the source does not have: '{added}'"
    dropped = _sentence_in(diff.source_words)
    if dropped is not None and not claim:
        return f"the statement leaves out a sentence of the source: '{dropped}'"
    if not claim and not source:
        return "the statement changes the punctuation of the source"
    if not claim:
        return f"the statement leaves out '{source}'"
    if not source:
        return f"the statement adds '{claim}'"
    if claim.casefold() == source.casefold():
        return f"the statement changes the punctuation around '{claim}'"
    return f"the source says '{source}' where the statement says '{claim}'"


def _passage_words(alignment: Alignment, source: NormalizedText, limit: int = 60) -> str:
    """The source's own words of an alignment's passage, on one line, cut at ``limit``."""
    start, end = source.token_span_to_original(alignment.start, alignment.stop)
    words = " ".join(source.original[start:end].split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def quote_diffs(located: Located, source: NormalizedText) -> list[WordDiff]:
    """Every difference between a located quote and its passage, cosmetic ones included: each
    alignment's, a qualifier the quote cuts off, and (unless the quote was stitched) what its
    ellipses leave out that changes the meaning."""
    quote = located.quote.raw
    alignments = located.alignments
    diffs = [diff for alignment in alignments for diff in _diffs(alignment, quote, source)]
    diffs[:0] = _cut_qualifier(alignments[0], alignments[-1], source)
    if not located.stitched:
        for before, after in itertools.pairwise(alignments):
            diffs.extend(_gap_diffs(before, after, source))
    return diffs


def quote_finding(
    located: Located, diffs: Sequence[WordDiff], passage: str, source: NormalizedText
) -> tuple[Reason, str, str | None]:
    """The reason, explanation and found value (for a changed number or date) of a quote that was
    located, given its differences and the passage it was found in."""
    missing = located.missing
    if missing:
        words = " ".join(token for token in missing[0].tokens if token != WILD)
        return Reason.QUOTE_EDITED, f"part of the quote is not in the source: {quoted(words)}", None
    if located.stitched:
        parts = " / ".join(quoted(_passage_words(a, source)) for a in located.alignments)
        return (
            Reason.STITCHED_QUOTE,
            f"the quote joins separate passages of the source: {parts}",
            None,
        )
    material = [diff for diff in diffs if diff.material]
    for kind, reason in _DRIFT_ORDER:
        first = next((diff for diff in material if diff.kind is kind), None)
        if first is not None:
            value = first.source_words if kind in (DiffKind.NUMBER, DiffKind.DATE) else ""
            return reason, _describe(first), value or None
    parsed = located.quote
    body = parsed.raw[parsed.body[0] : parsed.body[1]]
    if parsed.elided:
        return Reason.ELLIPSIS, "every part of the elided quote is in the source, in order", None
    if any(diff.kind is DiffKind.EDITORIAL for diff in diffs) or parsed.bracketed:
        return (
            Reason.EDITORIAL_BRACKETS,
            "the source has the quote; its bracketed insertions stand for source words",
            None,
        )
    if " ".join(passage.split()) == " ".join(body.split()):
        return Reason.EXACT, "the source has the quote word for word", None
    return (
        Reason.NORMALISED,
        "the source has the quote, up to case, typography and punctuation",
        None,
    )

"""Small word lists the classifier needs: negations and function words, in several languages.

All entries are casefolded and in the tokens' canonical form (see :func:`normalize`). Hedges,
number words and month names live with the modules that read them (``_numbers``,
``_number_words``, ``_date_words``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

__all__ = ["NEGATIONS", "STOPWORDS", "is_negation", "negation_count"]

NEGATIONS = frozenset(
    # English
    "not no never none nobody nothing nowhere neither nor cannot n't nope"
    # Danish, Norwegian, Swedish
    " ikke ikkje inte aldrig aldri ingen intet ingenting hverken ingenstans"
    # Dutch
    " niet geen nooit niets niemand nergens"
    # French (the "ne ... pas" pair: either word counts)
    " ne pas jamais aucun aucune rien nul nulle non"
    # German
    " nicht kein keine keinen keinem keiner keines nie niemals nichts niemand nirgends"
    # Spanish, Italian, Portuguese
    " nunca nada nadie ningún ninguna ninguno nessuno nessuna niente não nem"
    # Arabic
    " لا لم لن ليس ليست ليسوا غير".split()
)
"""Words that negate what they belong to."""


@functools.lru_cache(maxsize=1 << 14)
def is_negation(token: str) -> bool:
    """Whether a canonical token negates: a negation word, or an English ``n't`` / French ``n'``
    contraction (``don't``, ``n'est``)."""
    return token in NEGATIONS or token.endswith("n't") or token.startswith("n'")


STOPWORDS = frozenset(
    # English
    "a an the and or but if of at by for with about against between into through during before"
    " after above below to from up down in out on off over under again further then once here"
    " there when where why how all any both each few more most other some such only own same so"
    " than too very can will just should now is are was were be been being have has had having do"
    " does did doing would could might must shall may i me my we our you your he him his she her"
    " it its they them their what which who whom this that these those am as until while also"
    " said says say"
    # Danish
    " og i at det en den til er som på de med han af for ikke der var mig sig men et har om vi min"
    " havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle"
    " vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit"
    # Dutch
    " de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om"
    " hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar"
    " naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al"
    # French
    " le la les un une des du de et à au aux ce ces cette dans en est il ils elle elles je nous"
    " vous on ne pas que qui quoi sur pour par plus se sa son ses leur leurs mais ou où avec"
    " été être avoir a ont"
    # German
    " der die das den dem des ein eine einer eines einem einen und oder aber in im zu zum zur"
    " von vom mit auf für an am ist sind war waren wird werden hat haben es er sie wir ihr ich"
    " nicht auch als wie so dass bei nach aus über".split()
)
"""Function words: they do not count as evidence that a passage resembles a claim."""


def negation_count(tokens: Iterable[str], *, negated: bool = False) -> int:
    """How many of ``tokens`` (canonical) negate. In a clause a negation already governs
    (``negated``: "never forgive or forget"), "nor" continues that negation rather than adding
    one, so "or" for "nor" there is a changed word, not a changed negation."""
    return sum(is_negation(token) and not (negated and token == "nor") for token in tokens)

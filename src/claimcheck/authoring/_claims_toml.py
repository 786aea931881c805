"""Claims files proposed by ``claimcheck extract``: :func:`claims_toml` writes an
:class:`Extraction` as TOML with comments (tomlkit), for a person to review."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

from ..documents import BLOCKING_PROBLEMS, Text, shorten, without_markup
from ..errors import InvalidClaimError
from ..language import HEDGE_WORDS, HIDDEN_CHARACTERS
from ..matching import match_claim
from ..model import Claim, ClaimKind
from ._extract import Extraction, Link, Proposal

__all__ = ["claims_toml"]

# --------------------------------------------------------------------------------------------
# Claims files

_UNSOURCED_REASON: Final = "no link in the statement"
_HEADER: Final = (
    "Claims proposed by `claimcheck extract` from {file}: a draft to review.",
    "Every quotation, figure and date found is a [[claim]] with the links of its sentence as its",
    "sources. Check each text, value and source; delete what is not a claim; give the claims",
    'marked unsourced the sources the statement does not link. "file:line:column" after each',
    "[[claim]] is where the claim is in the statement.",
)


def claims_toml(
    extraction: Extraction,
    *,
    statement_file: str,
    statement_id: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
) -> str:
    """A claims file (TOML) proposing the claims of ``extraction``.

    ``[statement]`` names ``statement_file`` as its text (relative to the claims file) and
    ``statement_id`` (by default the file's stem). Each proposal is a ``[[claim]]`` with a
    readable unique id, its kind, text and value, and one ``[[claim.source]]`` per link of its
    sentence. Comments give each claim's ``file:line:column``, mark placeholder and other
    unusable links, claims with no link (written ``unsourced = "no link in the statement"``)
    and doubtful values. A proposal that could not be read (no value, an unclosed quotation)
    is listed at the end as a commented-out claim to complete, followed by the links with no
    claim in their sentence: the file loads as it is.

    The header and ``[statement]`` are written with tomlkit; the claims, which may number tens
    of thousands, as tomlkit writes them (the same layout and string escapes) but directly,
    since tomlkit takes a tenth of a millisecond to build each. Every comment is made safe for
    one line (:func:`_comment_text`): a file name may hold a line break. Every string writes
    the control and bidi characters of the statement as escapes (:func:`_toml_string`), so the
    file shows what it holds, in a terminal or an editor.
    """
    lines = _header_lines(statement_file, statement_id, title, published)
    identifiers = _Identifiers()
    loadable: dict[tuple[ClaimKind, str, str | None], bool] = {}
    incomplete: list[tuple[Proposal, str]] = []
    for proposal in extraction.proposals:
        identifier = identifiers.claim_id(proposal)
        key = (proposal.kind, proposal.text, proposal.value)
        if key not in loadable:
            loadable[key] = _loadable(proposal, published)
        if proposal.problem in BLOCKING_PROBLEMS or not loadable[key]:
            incomplete.append((proposal, identifier))
            continue
        where = f"{statement_file}:{proposal.line}:{proposal.column}"
        lines.append("")
        lines += _claim_lines(proposal, identifier, where=_comment_text(where))

    if incomplete:
        lines += [
            "",
            _comment("-" * 92),
            _comment(
                "Proposals that could not be read: complete them and remove the leading '# '."
            ),
        ]
        for proposal, identifier in incomplete:
            why = proposal.problem or "its value could not be read"
            where = f"{statement_file}:{proposal.line}:{proposal.column}"
            lines += [_comment(""), _comment(_comment_text(f"{where}: {why}"))]
            lines += [_comment(line) for line in _claim_lines(proposal, identifier, note=False)]

    unlinked = extraction.unlinked_links
    if unlinked:
        lines += ["", _comment("-" * 92), _comment("Links with no claim in their sentence:")]
        for link in unlinked:
            note = f" ({link.problem})" if link.problem else ""
            where = f"{statement_file}:{link.line}:{link.column}"
            lines.append(_comment(_comment_text(f"{where} [{link.text}]({link.url}){note}")))
    lines.append("")
    return "\n".join(lines)


def _header_lines(
    statement_file: str, statement_id: str | None, title: str | None, published: dt.date | None
) -> list[str]:
    """The header comments and ``[statement]``, written with tomlkit (imported here, not at the
    top: no other command needs it, start-up, issue 17)."""
    import tomlkit

    document = tomlkit.document()
    for line in _HEADER:
        document.add(tomlkit.comment(_comment_text(line.format(file=statement_file))))
    document.add(tomlkit.nl())
    statement = tomlkit.table()
    statement.add("id", statement_id or Path(statement_file).stem or "statement")
    if title is not None:
        statement.add("title", title)
    statement.add("text", statement_file)
    if published is not None:
        statement.add("published", published)
    document.add("statement", statement)
    # tomlkit escapes C0 controls only; its strings are basic strings, and its comments hold
    # nothing hidden (_comment_text), so every hidden character it wrote is in a string.
    return _HIDDEN.sub(_unicode_escape, tomlkit.dumps(document)).split("\n")[:-1]


def _comment(text: str) -> str:
    """A comment line, as tomlkit writes one; ``text`` is safe for it (:func:`_comment_text`,
    or a line written by :func:`_claim_lines`)."""
    return f"# {text}" if text else "#"


def _comment_text(text: str) -> str:
    """A message made safe for one TOML comment line: whitespace runs (line breaks among them)
    collapsed to a space, and no control, format (bidirectional) or other unprintable
    character. Everything written in a comment goes through it: a file name may hold a line
    break, and tomlkit checks none of this in a comment it writes."""
    collapsed = " ".join(text.split())
    if collapsed.isprintable():
        return collapsed
    return "".join(char if char.isprintable() else " " for char in collapsed)


_TOML_ESCAPED: Final = re.compile(f'[\\x00-\\x1f\\x7f"\\\\{HIDDEN_CHARACTERS}]')
_HIDDEN: Final = re.compile(f"[{HIDDEN_CHARACTERS}]")
_TOML_ESCAPES: Final = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def _unicode_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _toml_string(value: str) -> str:
    """A TOML basic string, escaped as tomlkit escapes it (the short escapes, ``\\uXXXX`` for
    other control characters), and the C1 controls and bidi formatting characters as
    ``\\uXXXX`` too (:data:`~claimcheck.language.HIDDEN_CHARACTERS`): the same string, shown
    as it is rather than reordered or acted on; everything else as it is."""
    return (
        '"'
        + _TOML_ESCAPED.sub(
            lambda match: _TOML_ESCAPES.get(match.group()) or _unicode_escape(match), value
        )
        + '"'
    )


def _claim_lines(
    proposal: Proposal, identifier: str, *, where: str | None = None, note: bool = True
) -> list[str]:
    """The lines of the ``[[claim]]`` table of a proposal, as tomlkit writes such a table:
    ``where`` is the comment of its header, and its problem is a comment when ``note``."""
    lines = [f"[[claim]] # {where}" if where else "[[claim]]"]
    if note and proposal.problem is not None:
        lines.append(_comment(_comment_text(f"note: {proposal.problem}")))
    lines += [
        f"id = {_toml_string(identifier)}",
        f"kind = {_toml_string(proposal.kind.value)}",
        f"text = {_toml_string(proposal.text)}",
    ]
    if proposal.value is not None:
        # A whole figure as a TOML integer; a decimal one as a string, exactly as read.
        if proposal.kind is ClaimKind.FIGURE and proposal.value.isdecimal():
            lines.append(f"value = {int(proposal.value)}")
        else:
            lines.append(f"value = {_toml_string(proposal.value)}")
    urls: dict[str, Link] = {}
    for link in proposal.sources:
        urls.setdefault(link.url, link)
    if not urls:
        lines.append(
            f"unsourced = {_toml_string(_UNSOURCED_REASON)} # no source in this sentence: add one"
        )
    for link in urls.values():
        url = f"url = {_toml_string(link.url)}"
        if link.problem is not None:
            url += f" # {_comment_text(_link_comment(link))}"
        lines += ["", "[[claim.source]]", url]
    return lines


def _link_comment(link: Link) -> str:
    anchor = f'the link "{shorten(link.text, 40)}", {link.line}:{link.column}'
    if link.problem is not None and link.problem.startswith(("placeholder", "empty", "javascript")):
        return f"placeholder link: replace with the real source ({anchor})"
    return f"{link.problem}: replace with the real source ({anchor})"


def _loadable(proposal: Proposal, published: dt.date | None) -> bool:
    """Whether the claims loader would accept the proposal as a claim (as
    :func:`claimcheck.load` checks: a figure needs a number, a date must name a date)."""

    value: Decimal | str | None = proposal.value
    if proposal.kind is ClaimKind.FIGURE and proposal.value is not None:
        value = Decimal(proposal.value)
    claim = Claim(proposal.kind, proposal.text, value=value, reference_date=published)
    try:
        match_claim(claim, Text("", "text/plain", unreadable="empty"))
    except InvalidClaimError:
        return False
    return True


_SLUG_TOKEN: Final = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_ID_WORDS: Final[dict[ClaimKind, int]] = {
    ClaimKind.QUOTE: 4,
    ClaimKind.FIGURE: 5,
    ClaimKind.DATE: 5,
}


@attrs.define
class _Identifiers:
    """The claim ids given so far, and for each stem the number its next repetition gets: a
    statement repeating one figure a thousand times does not count up from 2 a thousand
    times."""

    taken: set[str] = attrs.Factory(set)
    next_number: dict[str, int] = attrs.Factory(dict)

    def claim_id(self, proposal: Proposal) -> str:
        """A readable id unique among those given (and now taken): the kind and the claim's
        first words ("figure-189-syrians", "date-october-2017", "quote-to-those-who-fled"),
        numbered from 2 when they repeat ("figure-5-lives-2")."""
        stem = _id_stem(proposal)
        identifier = stem
        if identifier in self.taken:
            number = self.next_number.get(stem, 2)
            # A numbered id may be taken by a stem of its own ("5 lives 2"): skip it.
            while f"{stem}-{number}" in self.taken:
                number += 1
            identifier = f"{stem}-{number}"
            self.next_number[stem] = number + 1
        self.taken.add(identifier)
        return identifier


def _id_stem(proposal: Proposal) -> str:
    """The kind and the claim's first words ("figure-189-syrians"); the kind and the claim's
    place when it has no words."""
    folded = unicodedata.normalize("NFKD", without_markup(proposal.text, " "))
    folded = "".join(char for char in folded if not unicodedata.combining(char)).casefold()
    words = []
    for token in _SLUG_TOKEN.findall(folded):
        if token[0].isdigit():
            token = token.replace(",", "").replace(".", "-")
        words.append(token)
    if proposal.kind is ClaimKind.FIGURE:
        words = [word for word in words if word not in HEDGE_WORDS] or words
    stem = "-".join([proposal.kind.value, *words[: _ID_WORDS[proposal.kind]]])
    if stem == proposal.kind.value:
        stem = f"{stem}-{proposal.line}-{proposal.column}"
    return stem

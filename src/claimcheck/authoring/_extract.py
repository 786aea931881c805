"""Proposing a statement's claims: its quotations, figures and dates, and the links citing them.

:func:`extract` reads a statement (Markdown, HTML or plain text) with the statement reader
(:func:`claimcheck.documents.read_statement`) and proposes one claim per quotation, figure and
date it finds (:func:`claimcheck.documents.find_claims`, whose documentation gives the rules),
each with the links of its sentence as sources; :func:`~claimcheck.authoring.claims_toml`
writes the proposals as a claims file for the author to review. Nothing is guessed: a proposal
whose value cannot be read carries the ``problem`` and is listed, never dropped or given an
invented value.

**Offsets.** Every offset, line and column is in the statement file as given (for Markdown and
HTML too), and a proposal's ``text`` is exactly ``input[start:end]``, so that
:func:`claimcheck.load` anchors it where it was proposed. A byte order mark (U+FEFF) at the
start of the input changes no proposal, but offsets and columns still count it. When the input
span of a proposal holds markup or a character reference, the proposal is still reported, and
``problem`` says so (the claim's text is the file's, markup included).

**Links**: Markdown inline, reference and autolinks, HTML ``<a href>`` and bare ``http(s)://``
URLs. A link is a source of every claim of its sentence. Placeholder links (``#``, empty,
``javascript:``) and links that are not absolute http(s) URLs are kept as sources, with their
``problem``: a citation that leads nowhere is a finding.

**Time** is linear in the statement's length. The claims of one sentence share its links (one
tuple), so a claims file lists each link once per claim of its sentence: only a single sentence
with many links and many claims makes a file larger than linear.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import attrs

from ..checking import finding_matches
from ..documents import (
    LineIndex,
    StatementLink,
    StatementText,
    find_claims,
    link_problem,
    read_statement,
)
from ..model import ClaimKind, Ignore

__all__ = ["Extraction", "Link", "Proposal", "extract"]


@attrs.frozen
class Link:
    """A link of the statement.

    ``url`` is as written (it may be ``#``, empty or ``javascript:…``), ``text`` the anchor text
    (for an autolink or a bare URL, the URL). ``start``/``end`` span the whole link markup in
    the input, ``line``/``column`` (1-based) locate ``start``. ``problem`` says why the link is
    not a usable source ("placeholder link ('#')", "empty link", "javascript: link", …), else
    None.
    """

    url: str
    text: str
    start: int
    end: int
    line: int
    column: int
    problem: str | None = None


@attrs.frozen
class Proposal:
    """One proposed claim.

    - ``text`` is exactly ``input[start:end]``: the quoted words, the figure with its hedge and
      the words that make it checkable, or the date expression.
    - ``line``/``column`` (1-based) locate ``start`` in the input.
    - ``value``: for a figure the number as a plain decimal string ("189", "100000", "0.5");
      for a date its ISO value ("2017", "2017-10", "2021-03-15"); None for a quote, and when
      the value could not be read.
    - ``problem``: why the value could not be read (then ``value`` is None), why the proposal
      is doubtful (an unclosed quotation), or that its text in the file holds markup; else None.
    - ``sources``: the links of the same sentence, usable or not.
    - ``sentence``: the offsets of that sentence in the input.
    """

    kind: ClaimKind
    text: str
    start: int
    end: int
    line: int
    column: int
    value: str | None = None
    problem: str | None = None
    sources: tuple[Link, ...] = ()
    sentence: tuple[int, int] = (0, 0)


@attrs.frozen
class Extraction:
    """What :func:`extract` found in one statement: the proposals and the links, in text
    order."""

    text: str
    syntax: str
    proposals: tuple[Proposal, ...]
    links: tuple[Link, ...]

    # Computed once, on first use (the record stays frozen): callers ask for them in loops.
    @functools.cached_property
    def unlinked_links(self) -> tuple[Link, ...]:
        """The links with no proposed claim in their sentence."""
        # The claims of a sentence share its links (one tuple): each tuple is read once.
        shared = {id(proposal.sources): proposal.sources for proposal in self.proposals}
        cited = {link for sources in shared.values() for link in sources}
        return tuple(link for link in self.links if link not in cited)

    @functools.cached_property
    def unsourced(self) -> tuple[Proposal, ...]:
        """The proposals with no usable (absolute http or https) link in their sentence."""
        usable: dict[int, bool] = {}
        for proposal in self.proposals:
            if id(proposal.sources) not in usable:
                usable[id(proposal.sources)] = any(
                    link.problem is None for link in proposal.sources
                )
        return tuple(proposal for proposal in self.proposals if not usable[id(proposal.sources)])


def extract(
    text: str,
    *,
    syntax: str = "text",
    language: str | None = None,
    reference_date: dt.date | None = None,
    ignore: Iterable[Ignore] = (),
) -> Extraction:
    """Propose the claims of a statement: every quotation, figure and date, with the links of
    its sentence as sources (see the module documentation).

    ``syntax`` is ``"markdown"``, ``"html"`` or ``"text"`` (see
    :func:`~claimcheck.documents.syntax_for`; another raises
    :class:`~claimcheck.errors.ConfigurationError`); ``language`` (such as ``"en"``, ``"de"``)
    selects the number and date words, all supported languages when None; ``reference_date``,
    usually the statement's publication date, resolves relative dates ("this month").
    ``ignore``: ignore entries (a claims file's or a config file's ``[[ignore]]``); what they
    dismiss (:func:`~claimcheck.checking.finding_matches`, the check's rule) is not proposed
    again.
    """
    entries = tuple(ignore)
    statement = read_statement(text, syntax)
    found = find_claims(statement, language=language, reference_date=reference_date)
    links = _Links(statement, LineIndex(text))
    proposals = []
    for claim in found:
        line, column = links.lines.line_column(claim.start)
        last = links.lines.line_column(claim.end)[0]
        if any(finding_matches(e, claim.kind, claim.text, (line, last)) for e in entries):
            continue
        proposals.append(
            Proposal(
                kind=claim.kind,
                text=claim.text,
                start=claim.start,
                end=claim.end,
                line=line,
                column=column,
                value=claim.value,
                problem=claim.problem,
                sources=links.of_sentence(claim.links),
                sentence=claim.sentence,
            )
        )
    all_links = tuple(links.link(link) for link in statement.links)
    return Extraction(text, syntax, tuple(proposals), all_links)


@attrs.define
class _Links:
    """The statement's links as :class:`Link` records, each made once: the links of a sentence
    are one tuple, shared by its claims (a sentence of a thousand links and a thousand claims
    does not make a million-link extraction)."""

    statement: StatementText
    lines: LineIndex
    made: dict[StatementLink, Link] = attrs.Factory(dict)
    sentences: dict[int, tuple[Link, ...]] = attrs.Factory(dict)

    def link(self, link: StatementLink) -> Link:
        found = self.made.get(link)
        if found is None:
            line, column = self.lines.line_column(link.start)
            text = self.statement.link_text(link)
            found = Link(link.url, text, link.start, link.end, line, column, link_problem(link.url))
            self.made[link] = found
        return found

    def of_sentence(self, links: tuple[StatementLink, ...]) -> tuple[Link, ...]:
        """The records of a sentence's links (``links``, one tuple per sentence)."""
        key = id(links)
        if key not in self.sentences:
            self.sentences[key] = tuple(self.link(link) for link in links)
        return self.sentences[key]

"""The claim extractor: quotations, figures, dates and links proposed from a statement, and the
claims file written from them (claimcheck.authoring.extract, on the statement reader of
claimcheck.documents).

Internals tested directly (private modules): the TOML string writer
(``claimcheck.authoring._claims_toml``) and the loader of a claims file's text
(``claimcheck.claimsfile._load.loads``), so a proposed file is loaded without a file on disk."""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

import claimcheck
from claimcheck.authoring import Extraction, Link, Proposal, claims_toml, extract
from claimcheck.authoring._claims_toml import _toml_string
from claimcheck.claimsfile._load import loads
from claimcheck.documents import syntax_for
from claimcheck.model import ClaimKind
from support import ROOT, WORKED_EXAMPLE, best_cpu_seconds

PUBLISHED = dt.date(2021, 5, 7)


def texts(extraction: Extraction, kind: ClaimKind | None = None) -> list[str]:
    return [p.text for p in extraction.proposals if kind is None or p.kind is kind]


def only(extraction: Extraction, text: str) -> Proposal:
    found = [p for p in extraction.proposals if p.text == text]
    assert len(found) == 1, (text, texts(extraction))
    return found[0]


def line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def assert_anchored(source: str, extraction: Extraction) -> None:
    """Every proposal's text is the input at its offsets, with the right line and column."""
    for proposal in extraction.proposals:
        assert source[proposal.start : proposal.end] == proposal.text
        assert (proposal.line, proposal.column) == line_column(source, proposal.start)
    for link in extraction.links:
        assert (link.line, link.column) == line_column(source, link.start)


# --- Quotations -----------------------------------------------------------------------------


def test_straight_and_curly_quotations_without_their_marks() -> None:
    source = 'He said "we will return home" and then “we will never forgive” to them.'
    extraction = extract(source)
    assert texts(extraction) == ["we will return home", "we will never forgive"]
    assert all(p.kind is ClaimKind.QUOTE and p.value is None for p in extraction.proposals)
    assert_anchored(source, extraction)


def test_apostrophes_are_never_quotation_marks() -> None:
    source = (
        "Syria's regime and Denmark’s decision don't change the Syrians' rights; those who "
        "fled are 'terrorists' to it, and ‘safe’ zones are none."
    )
    # A one-word quotation keeps its marks: the bare word would anchor anywhere.
    assert texts(extract(source)) == ["'terrorists'", "‘safe’"]


def test_single_quotes_pair_across_a_possessive_apostrophe() -> None:
    # A closing mark that reads as a plural possessive defers to a later closing mark of its
    # sentence that does not.
    assert texts(extract("She said 'the refugees' rights matter' yesterday.")) == [
        "the refugees' rights matter",
        "yesterday",
    ]
    assert texts(extract("He said ‘the refugees’ rights matter’ today.")) == [
        "the refugees’ rights matter",
        "today",
    ]
    # A possessive-looking closing mark closes its quotation when nothing later can: a later
    # possessive, another sentence or an opening mark in between does not count.
    for source, quotes in [
        ("Those are the 'refugees' rights, and the Syrians' homes.", ["'refugees'"]),
        ("The 'refugees' views differ. Some call them 'hacks'.", ["'refugees'", "'hacks'"]),
        ("The 'refugees' say it is 'safe' now.", ["'refugees'", "'safe'"]),
        ("He called ‘the refugees’ rights ‘sacred’.", ["the refugees", "‘sacred’"]),
    ]:
        assert texts(extract(source), ClaimKind.QUOTE) == quotes, source
    # Whose own closing mark reads as a possessive too: the first one closes (as before).
    assert texts(extract("She said 'the refugees' rights matters' yesterday."))[0] == (
        "the refugees"
    )


def test_an_elided_word_opens_no_quotation() -> None:
    # "'90s" and "'n'" are apostrophes: no false quotation up to the next possessive.
    assert texts(extract("Since the '90s, Syrians' homes were lost."), ClaimKind.QUOTE) == []
    assert texts(extract("Since the ’90s, Syrians’ homes were lost."), ClaimKind.QUOTE) == []
    assert texts(extract("Rock 'n' roll is 'dead', they said.")) == ["'dead'"]
    assert texts(extract("She said 'rock 'n' roll is dead' today."), ClaimKind.QUOTE) == [
        "rock 'n' roll is dead"
    ]
    assert texts(extract("'Tis the season, 'twas 'fine'.")) == ["'fine'"]


def test_nested_quotations_give_the_outer_one() -> None:
    source = "The minister wrote: “They call it ‘safe’, and ‘voluntary’ returns.” Nothing else."
    assert texts(extract(source)) == ["They call it ‘safe’, and ‘voluntary’ returns."]


def test_a_quotation_may_span_lines() -> None:
    source = 'She said "we will\nreturn home" yesterday.'
    proposal = only(extract(source), "we will\nreturn home")
    assert (proposal.line, proposal.column) == (1, 11)


def test_a_blank_line_ends_an_unclosed_quotation() -> None:
    source = 'He said "we will return.\n\nIn a new paragraph "a quote" follows.'
    extraction = extract(source)
    unclosed = only(extraction, "we will return.")
    assert unclosed.problem is not None
    assert "closing quotation mark" in unclosed.problem
    assert only(extraction, "a quote").problem is None
    assert all("\n\n" not in p.text for p in extraction.proposals)


def test_unclosed_quotations_do_not_nest() -> None:
    # The second mark is within the first unclosed quotation: it is listed once.
    source = 'He said "we will and "we must return. Then 5 left.'
    extraction = extract(source)
    assert texts(extraction) == ['we will and "we must return.', "5 left"]
    # A long sentence of stray marks makes proposals of linear, not quadratic, total length.
    source = "'a \"b » " * 1000
    assert sum(len(p.text) for p in extract(source).proposals) < 2 * len(source)


def test_unbalanced_marks_make_no_giant_proposal() -> None:
    source = "“ ” ‘ ’ « » ' ' \" „ ‹\n\n" * 20 + "Nothing ” here “ either ’s.\n"
    extraction = extract(source)
    assert all(len(p.text) < 40 for p in extraction.proposals)
    assert_anchored(source, extraction)


def test_guillemets_german_and_angle_marks() -> None:
    source = (
        "Le ministre parle de « la paix » et de «sécurité durable». Er sagte: „Kehrt nie "
        "zurück“, und nannte es »sicher«. Sie sagte ‹ja, gewiss›."
    )
    assert texts(extract(source)) == [
        "la paix",
        "sécurité durable",
        "Kehrt nie zurück",
        "»sicher«",
        "ja, gewiss",
    ]


def test_a_trailing_comma_is_the_sentences_a_full_stop_the_quotations() -> None:
    source = 'It cites "gross human rights violations," and says “they will not co-operate.”'
    assert texts(extract(source)) == [
        "gross human rights violations",
        "they will not co-operate.",
    ]


def test_marks_are_kept_when_the_words_occur_earlier() -> None:
    source = 'It is not safe to return. They call it "safe to return" anyway.'
    proposal = only(extract(source), '"safe to return"')
    assert proposal.problem is None


def test_quote_like_claims_without_marks() -> None:
    source = (
        "They can be forced into so-called [return centers](#). The principle of "
        "non-refoulement, which guarantees that no one should be returned to torture, holds."
    )
    extraction = extract(source, syntax="markdown")
    assert texts(extraction, ClaimKind.QUOTE) == [
        "return centers",
        "no one should be returned to torture, holds",
    ]


# --- Figures --------------------------------------------------------------------------------


def test_figures_with_the_words_that_make_them_checkable() -> None:
    source = (
        "Last month, it denied applications to around 189 Syrians who had found refuge. "
        "Approximately 500 other Syrians in Denmark await a similar fate. It was the fate of "
        "100,000 Syrians over ten years. Denmark was among the original 26 states who drafted "
        "it. The group is nine civil society organizations, on the ten-year anniversary, with "
        "40% of the budget and $5m."
    )
    extraction = extract(source, language="en", reference_date=PUBLISHED)
    figures = {p.text: p.value for p in extraction.proposals if p.kind is ClaimKind.FIGURE}
    assert figures == {
        "around 189 Syrians": "189",
        "Approximately 500 other Syrians": "500",
        "100,000 Syrians": "100000",
        "over ten years": "10",  # "over" is a hedge: more than ten
        "26 states": "26",
        "nine civil society organizations": "9",
        "ten-year anniversary": "10",
        "40%": "40",
        "$5m": "5000000",
    }
    assert_anchored(source, extraction)


def test_decimal_figures_are_plain_decimal_strings() -> None:
    extraction = extract("Prices rose by 0.50 points and 3.5 million people moved.")
    assert [p.value for p in extraction.proposals] == ["0.5", "3500000"]


def test_numbers_that_count_nothing_are_not_figures() -> None:
    source = (
        "See section 7.3 and sections 7.2 and 7.4 of the Act, Article 33, § 12 and No. 5.¹ "
        "Read note [1] at https://example.org/report/2020/500 before 10:30 a.m. or at 3pm.\n"
        "Call +45 33 12 34 56 or (555) 123-4567 about COVID-19.\n"
        "1. A listed point\n"
        "It is the group's second major project, its 26th; hundreds of thousands died and "
        "millions fled."
    )
    assert texts(extract(source, language="en"), ClaimKind.FIGURE) == []


def test_a_number_that_is_a_date_is_not_a_figure_too() -> None:
    extraction = extract("In 1951, 26 states drafted the Convention.", language="en")
    assert [(p.kind, p.text, p.value) for p in extraction.proposals] == [
        (ClaimKind.DATE, "1951", "1951"),
        (ClaimKind.FIGURE, "26 states", "26"),
    ]


def test_figures_and_dates_inside_a_quotation_are_checked_with_it() -> None:
    source = 'Canada "has acted since 2011 for 100,000 Syrians." Then 3 states followed.'
    assert texts(extract(source)) == ["has acted since 2011 for 100,000 Syrians.", "3 states"]


def test_repeated_figures_take_in_words_until_they_anchor_where_they_are() -> None:
    source = "Over the past ten years, much changed.\n\nIt suffered over the past ten years."
    extraction = extract(source)
    assert texts(extraction) == ["ten years", "over the past ten years"]
    assert all(p.problem is None for p in extraction.proposals)


def test_a_ratio_or_a_range_is_one_figure() -> None:
    source = "3 in 4 returnees were held; 10-12 others and between 500 and 600 people left."
    extraction = extract(source, language="en")
    assert [(p.text, p.value) for p in extraction.proposals] == [
        ("3 in 4 returnees", "3"),
        ("10-12 others", "10"),
        ("500 and 600 people", "500"),
    ]


def test_widening_may_cross_a_comma() -> None:
    source = "Geneva, 7 May 2021 — The agency wrote on 7 May 2021 that it would act."
    assert texts(extract(source)) == ["7 May 2021", "on 7 May 2021"]


# --- Dates ----------------------------------------------------------------------------------


def test_absolute_qualified_and_relative_dates() -> None:
    source = (
        "March 15, 2021 marked an anniversary. The October 2017 statement came. Since 2019, "
        "Denmark declared it. They drafted it in 1951. Similarly, this month, Canada acted. "
        "Last month, it denied them."
    )
    extraction = extract(source, language="en", reference_date=PUBLISHED)
    dates = {p.text: p.value for p in extraction.proposals if p.kind is ClaimKind.DATE}
    assert dates == {
        "March 15, 2021": "2021-03-15",
        "October 2017": "2017-10",
        "Since 2019": "2019",
        "1951": "1951",
        "this month": "2021-05",
        "Last month": "2021-04",
    }
    assert texts(extraction, ClaimKind.FIGURE) == []


def test_a_relative_date_without_a_reference_date_is_listed_without_a_value() -> None:
    proposal = only(extract("This month, Canada acted."), "This month")
    assert proposal.value is None
    assert proposal.problem is not None
    assert "publication date" in proposal.problem


def test_values_that_cannot_be_read_are_listed_with_their_problem() -> None:
    source = "On 31 February 2021 it was decided. The 2019 decision stands. 15 March was quiet."
    extraction = extract(source, language="en")
    for text in ("31 February 2021", "2019", "15 March"):
        proposal = only(extraction, text)
        assert proposal.kind is ClaimKind.DATE
        assert proposal.value is None
        assert proposal.problem


# --- Links ----------------------------------------------------------------------------------


def test_markdown_links_of_every_form() -> None:
    source = (
        'A [titled link](https://a.example/x "Title 2020") said 5 things. [Reference][r] and '
        "[r][] and [r] and <https://auto.example/2019/x> and https://bare.example/500?a=1.\n\n"
        "[r]: https://ref.example/page\n"
    )
    extraction = extract(source, syntax="markdown")
    assert [(link.url, link.text) for link in extraction.links] == [
        ("https://a.example/x", "titled link"),
        ("https://ref.example/page", "Reference"),
        ("https://ref.example/page", "r"),
        ("https://ref.example/page", "r"),
        ("https://auto.example/2019/x", "https://auto.example/2019/x"),
        ("https://bare.example/500?a=1", "https://bare.example/500?a=1"),
    ]
    assert source[extraction.links[0].start : extraction.links[0].end] == (
        '[titled link](https://a.example/x "Title 2020")'
    )
    assert all(link.problem is None for link in extraction.links)
    # Digits in URLs and titles are no figures.
    assert texts(extraction) == ["5 things"]
    assert [link.url for link in extraction.proposals[0].sources] == ["https://a.example/x"]
    assert_anchored(source, extraction)


def test_a_link_is_a_source_of_the_claims_of_its_sentence_only() -> None:
    source = (
        "Mr. Larsen said 500 people, e.g. 3.5 percent of the U.S. total, left [in 2019]"
        "(https://a.example/). The Canadian Minister announced that “it acted.” Later 40 "
        "states [agreed](https://b.example/)."
    )
    extraction = extract(source, syntax="markdown", language="en")
    sources = {p.text: [link.url for link in p.sources] for p in extraction.proposals}
    assert sources == {
        "500 people": ["https://a.example/"],
        "3.5 percent": ["https://a.example/"],
        "2019": ["https://a.example/"],
        "it acted.": [],
        "40 states": ["https://b.example/"],
    }


def test_placeholder_empty_and_javascript_links_are_kept_as_findings() -> None:
    source = (
        "It has [announced](#) that 500 people left. It [said]() 20 things. It [wrote]"
        "(javascript:void(0)) 30 words. A [relative](/about) 40 times. A [mail](mailto:a@b.c) "
        "50 times."
    )
    extraction = extract(source, syntax="markdown")
    problems = [link.problem for link in extraction.links]
    assert problems[:3] == ["placeholder link ('#')", "empty link", "javascript: link"]
    assert problems[3] is not None
    assert "relative link" in problems[3]
    assert problems[4] == "not http(s) (mailto:)"
    assert [len(p.sources) for p in extraction.proposals] == [1, 1, 1, 1, 1]
    # A claim whose only links are placeholders has no usable source.
    assert extraction.unsourced == extraction.proposals


def test_links_with_no_claim_and_claims_with_no_link() -> None:
    source = "Read [the report](https://a.example/). It says 500 people left.\n"
    extraction = extract(source, syntax="markdown")
    assert [link.url for link in extraction.unlinked_links] == ["https://a.example/"]
    assert texts(Extraction(source, "markdown", extraction.unsourced, ())) == ["500 people"]


def test_a_citation_just_after_the_sentence_belongs_to_it() -> None:
    source = (
        "<p>Around 189 Syrians were denied.<sup><a href='https://src.example/1'>[1]</a></sup>"
        " Then 500 more waited.</p>"
    )
    extraction = extract(source, syntax="html")
    sources = {p.text: [link.url for link in p.sources] for p in extraction.proposals}
    assert sources == {"Around 189 Syrians": ["https://src.example/1"], "500 more": []}
    assert extraction.links[0].text == "[1]"


def test_a_quoted_sentence_ends_its_sentence() -> None:
    source = 'He said "we will return." The report [says](https://a.example/) 500 died.'
    extraction = extract(source, syntax="markdown")
    assert only(extraction, "we will return.").sources == ()
    assert len(only(extraction, "500").sources) == 1


# --- Offsets --------------------------------------------------------------------------------


def test_offsets_lines_and_columns_after_multibyte_characters() -> None:
    source = "😀 Émile — 中文\r\nHe said “ça va” and 500 Syrians left in October 2017.\n"
    extraction = extract(source)
    assert texts(extraction) == ["ça va", "500 Syrians", "October 2017"]
    assert [(p.line, p.column) for p in extraction.proposals] == [(2, 10), (2, 21), (2, 41)]
    assert_anchored(source, extraction)


def test_proposals_are_in_text_order_after_widening() -> None:
    # The second "1" takes in the word before it, which starts before the first "1".
    extraction = extract("’1 1")
    assert [(p.text, p.start) for p in extraction.proposals] == [("’1 1", 0), ("1", 1)]


@pytest.mark.parametrize(
    ("source", "syntax"),
    [
        ('"We will return," said 200 people.', "text"),
        ('"We will return," said 200 people.', "markdown"),
        ('<p>"We will return," said 200 people.</p>', "html"),
        ("1. First item has 26 states\n2. Then 5 more.\n", "markdown"),
        (
            "---\ntitle: 2019\n---\n# 12 goats\n\n    code 13\n\n"
            "[r]: https://ex.org/\n\n[r] 7 dogs\n",
            "markdown",
        ),
    ],
)
def test_a_byte_order_mark_changes_nothing(source: str, syntax: str) -> None:
    plain = extract(source, syntax=syntax)
    marked = extract("\ufeff" + source, syntax=syntax)
    assert texts(marked) == texts(plain)
    assert texts(plain)  # something to compare
    # Offsets and columns count the mark: they are into the input as given.
    assert [p.start for p in marked.proposals] == [p.start + 1 for p in plain.proposals]
    assert [link.url for link in marked.links] == [link.url for link in plain.links]
    assert_anchored("\ufeff" + source, marked)


def test_a_byte_order_mark_before_a_quotation_and_a_list_number() -> None:
    extraction = extract('\ufeff"We will return," said 200 people.')
    assert texts(extraction) == ["We will return", "200 people"]
    assert (extraction.proposals[0].line, extraction.proposals[0].column) == (1, 3)
    extraction = extract("\ufeff1. First item has 26 states", syntax="markdown")
    assert texts(extraction) == ["26 states"]


# --- HTML and Markdown ----------------------------------------------------------------------


def test_html_text_content_with_offsets_into_the_markup() -> None:
    source = (
        "<!doctype html><html><head><title>2019 report</title><style>p{width:300px}</style>"
        "</head><body>\n<p>Denmark&rsquo;s decision: &ldquo;we will return&rdquo;, and "
        "500\n    other Syrians wait <a href='https://a.example/?a=1&amp;b=2'>since 2019</a>."
        "</p><script>var x = '1000 people';</script><p><q>Never again</q>, he said.</p>"
        "</body></html>"
    )
    extraction = extract(source, syntax="html", language="en")
    assert texts(extraction) == [
        "we will return",
        "500\n    other Syrians",
        "since 2019",
        "Never again",
    ]
    assert all(p.problem is None for p in extraction.proposals)
    assert [link.url for link in extraction.links] == ["https://a.example/?a=1&b=2"]
    assert extraction.links[0].text == "since 2019"
    assert_anchored(source, extraction)


def test_markup_inside_a_proposal_is_reported() -> None:
    source = "<p>He said &ldquo;we <em>will</em> return&rdquo;.</p>"
    proposal = only(extract(source, syntax="html"), "we <em>will</em> return")
    assert proposal.problem is not None
    assert "markup" in proposal.problem


def test_markdown_code_markup_and_markers_are_not_prose() -> None:
    source = (
        "# 12 goats in a heading\n\n"
        'Use `code with 300 "quoted" words` and ![an image of 700](i.png) <!-- 800 -->.\n\n'
        '```\n4000 "fenced" lines\n```\n\n'
        "- 1. a list of 12 apples\n"
        "> quoted block of 13 pears\n\n"
        '| a 15 | "b" |\n|---|---|\n\n'
        "He said *never* 16 times[^1].\n\n[^1]: A note with 17 notes.\n"
    )
    extraction = extract(source, syntax="markdown")
    assert texts(extraction) == [
        "12 goats",
        "12 apples",
        "13 pears",
        "15",
        '"b"',
        "16 times",
        "17 notes",
    ]
    assert_anchored(source, extraction)


def test_markdown_indented_code_is_not_prose() -> None:
    source = 'Intro.\n\n    code: 500 people said "x y z"\n'
    assert extract(source, syntax="markdown").proposals == ()
    # In a list item, code is indented past the item's content; less is a paragraph of it.
    source = (
        "- An item.\n\n      code 500 people\n\n  Then 7 rats.\n\n> Quote.\n>\n>     code 6 cats\n"
    )
    assert texts(extract(source, syntax="markdown")) == ["7 rats"]
    # An indented line continuing a paragraph is no code.
    assert texts(extract("Para with\n    12 goats.\n", syntax="markdown")) == ["12 goats"]
    # Fences as CommonMark reads them: in a block quote, closed by a longer fence, unclosed.
    source = '> ```\n> 4000 "fenced"\n> ```\n\n~~~~\n5 x\n~~~\n6 y\n~~~~\n\n9 z\n\n```\n7 lines\n'
    assert texts(extract(source, syntax="markdown")) == ["9 z"]


def test_markdown_links_do_not_nest() -> None:
    source = "[a [b](https://ex.org/b) c](https://ex.org/a) 5 cats."
    extraction = extract(source, syntax="markdown")
    # Only the inner one is a link; the outer destination is prose, a bare URL (as in GFM).
    assert [(link.url, link.text) for link in extraction.links] == [
        ("https://ex.org/b", "b"),
        ("https://ex.org/a", "https://ex.org/a"),
    ]
    assert extraction.links[0].start == source.index("[b]")
    assert_anchored(source, extraction)
    # Brackets that make no link may be in a link's text; code spans bind more tightly.
    source = "[a [b] c](https://ex.org/x) and [d `]` e](https://ex.org/y) 5 cats."
    assert [(link.url, link.text) for link in extract(source, syntax="markdown").links] == [
        ("https://ex.org/x", "a [b] c"),
        ("https://ex.org/y", "d e"),
    ]
    # An image may hold a link (not prose), and a link an image.
    source = "![a [b](https://ex.org/b)](i.png) [![m](m.png)](https://ex.org/u) 5 cats."
    assert [link.url for link in extract(source, syntax="markdown").links] == ["https://ex.org/u"]


def test_a_reference_definition_cannot_interrupt_a_paragraph() -> None:
    source = "Para 5 cats\n[r]: https://ex.org/r\n\n[r] 7 dogs."
    extraction = extract(source, syntax="markdown")
    # The second line is text of the paragraph (its URL a bare one), and [r] no link.
    assert [(link.url, link.text, link.line) for link in extraction.links] == [
        ("https://ex.org/r", "https://ex.org/r", 2)
    ]
    assert texts(extraction) == ["5 cats", "7 dogs"]
    assert only(extraction, "7 dogs").sources == ()
    # After a blank line it is one, and so are definitions over several lines.
    source = (
        "Para 5 cats.\n\n[r]: https://ex.org/r\n[s]:\n  https://ex.org/s\n  'A 2019 title'\n"
        "[j]: javascript:void(0)\n\n[r] 7 dogs, [S][] 8 rats and [x][j] 9 bats.\n"
    )
    extraction = extract(source, syntax="markdown")
    assert [(link.url, link.text) for link in extraction.links] == [
        ("https://ex.org/r", "r"),
        ("https://ex.org/s", "S"),
        ("javascript:void(0)", "x"),
    ]
    assert texts(extraction) == ["5 cats", "7 dogs", "8 rats", "9 bats"]
    # A label defined again: still a definition, no prose; the first one counts.
    source = "[r]: https://ex.org/1\n\n[R]: https://ex.org/2\n\n[r] 7 dogs.\n"
    assert [link.url for link in extract(source, syntax="markdown").links] == ["https://ex.org/1"]


def test_a_figure_takes_in_no_words_across_markup() -> None:
    assert texts(extract("It said <b>500</b> people left.", syntax="html")) == ["500"]
    assert texts(extract("It said <b>500 people</b> left.", syntax="html")) == ["500 people"]
    assert texts(extract("It said **500** people left.", syntax="markdown")) == ["500"]


def test_emphasis_inside_a_quotation_is_reported() -> None:
    source = 'He said "we will *never* return".'
    proposal = only(extract(source, syntax="markdown"), "we will *never* return")
    assert proposal.problem is not None
    assert "markup" in proposal.problem


# --- Other languages ------------------------------------------------------------------------


def test_a_german_statement() -> None:
    source = (
        "Rund 500 Syrer in Dänemark warten. Im Oktober 2017 sagte der General: „Kehrt nie "
        "zurück.“ Seit 2019 erklärt Dänemark Teile Syriens für »sicher«. Diesen Monat hat das "
        "Ministerium [mitgeteilt](https://example.org/a), dass neun zivilgesellschaftliche "
        "Organisationen seit vier Jahren zusammenarbeiten."
    )
    extraction = extract(source, syntax="markdown", language="de", reference_date=PUBLISHED)
    assert [(p.kind.value, p.text, p.value) for p in extraction.proposals] == [
        ("figure", "Rund 500 Syrer", "500"),
        ("date", "Oktober 2017", "2017-10"),
        ("quote", "Kehrt nie zurück.", None),
        ("date", "Seit 2019", "2019"),
        ("quote", "»sicher«", None),
        ("date", "Diesen Monat", "2021-05"),
        ("figure", "neun zivilgesellschaftliche Organisationen", "9"),
        ("figure", "vier Jahren", "4"),
    ]
    linked = [p.text for p in extraction.proposals if p.sources]
    assert linked == ["Diesen Monat", "neun zivilgesellschaftliche Organisationen", "vier Jahren"]
    assert_anchored(source, extraction)


def test_a_french_statement() -> None:
    source = (
        "Environ 500 Syriens attendent depuis 2019. Le ministre a dit « nous ne reviendrons "
        "pas » en octobre 2017, et ce mois-ci neuf organisations ont répondu."
    )
    extraction = extract(source, language="fr", reference_date=PUBLISHED)
    assert [(p.text, p.value) for p in extraction.proposals] == [
        ("Environ 500 Syriens", "500"),
        ("depuis 2019", "2019"),
        ("nous ne reviendrons pas", None),
        ("octobre 2017", "2017-10"),
        ("ce mois-ci", "2021-05"),
        ("neuf organisations", "9"),
    ]


# --- The claims file ------------------------------------------------------------------------


def write_statement(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return directory / "claims.toml"


def test_the_claims_file_loads_with_its_claims_where_they_were_found(tmp_path: Path) -> None:
    source = (
        "On March 15, 2021 around 189 Syrians were [denied](https://a.example/denied). "
        'The minister called it "safe" in [a statement](https://b.example/s).\n'
    )
    claims_path = write_statement(tmp_path, "statement.md", source)
    extraction = extract(source, syntax="markdown", reference_date=PUBLISHED)
    output = claims_toml(
        extraction, statement_file="statement.md", title="A statement", published=PUBLISHED
    )
    document = tomllib.loads(output)
    assert document["statement"] == {
        "id": "statement",
        "title": "A statement",
        "text": "statement.md",
        "published": PUBLISHED,
    }
    assert [claim["id"] for claim in document["claim"]] == [
        "date-march-15-2021",
        "figure-189-syrians",
        "quote-safe",
    ]
    assert document["claim"][1] == {
        "id": "figure-189-syrians",
        "kind": "figure",
        "text": "around 189 Syrians",
        "value": 189,
        "source": [{"url": "https://a.example/denied"}],
    }
    claim_set = loads(output, path=claims_path)
    assert [str(claim.location) for claim in claim_set.claims] == [
        f"{p.line}:{p.column}" for p in extraction.proposals
    ]
    assert "# statement.md:1:4" in output


def test_the_claims_file_marks_what_the_author_must_see(tmp_path: Path) -> None:
    source = (
        "It has [announced](#) that 500 people left. Later 20 others left.\n\n"
        'He said "we will return. Read [the report](https://a.example/).\n\n'
        "The 2019 decision came this month.\n"
    )
    claims_path = write_statement(tmp_path, "s.md", source)
    extraction = extract(source, syntax="markdown")
    output = claims_toml(extraction, statement_file="s.md")
    assert 'url = "#" # placeholder link: replace with the real source' in output
    assert 'unsourced = "no link in the statement" # no source in this sentence: add one' in output
    # Not loadable as they stand: listed, commented out, at the end.
    tail = output.split("Proposals that could not be read")[1]
    assert "# s.md:3:10: no closing quotation mark" in tail
    assert '# text = "we will return. Read the report"' not in tail
    assert "# s.md:5:5: a four-digit number" in tail
    assert "# s.md:5:24: a relative date" in tail
    assert "Links with no claim in their sentence:" in output
    assert "# s.md:3:31 [the report](https://a.example/)" in output
    claim_set = loads(output, path=claims_path)
    assert [(claim.text, claim.unsourced) for claim in claim_set.claims] == [
        ("500 people", None),
        ("20 others", "no link in the statement"),
    ]
    assert claim_set.claims[0].sources[0].url == "#"


def test_a_relative_date_loads_when_the_publication_date_is_given(tmp_path: Path) -> None:
    source = "This month, 20 states acted.\n"
    claims_path = write_statement(tmp_path, "s.txt", source)
    extraction = extract(source)
    output = claims_toml(extraction, statement_file="s.txt", published=PUBLISHED)
    claim_set = loads(output, path=claims_path)
    assert [claim.text for claim in claim_set.claims] == ["This month", "20 states"]


def test_claim_ids_are_unique_and_readable() -> None:
    source = "It cost 5 lives. It cost 5 lives. It cost 5 lives."
    extraction = extract(source)
    # No wording of their sentences tells the three apart: each is the shortest text, with a
    # note that a claims file would locate the later ones at the first.
    assert texts(extraction) == ["5 lives", "5 lives", "5 lives"]
    assert [p.problem is None for p in extraction.proposals] == [True, False, False]
    output = claims_toml(extraction, statement_file="s.txt")
    ids = [claim["id"] for claim in tomllib.loads(output)["claim"]]
    assert ids == ["figure-5-lives", "figure-5-lives-2", "figure-5-lives-3"]
    assert "# note: the same words occur earlier in the statement" in output


def test_many_repeated_claims_keep_unique_numbered_ids() -> None:
    def figure(text: str, column: int) -> Proposal:
        return Proposal(ClaimKind.FIGURE, text, column - 1, column + len(text), 1, column, "5")

    # "5 lives 2" is a stem of its own that takes the number "5 lives" would give next.
    proposals = (
        figure("5 lives", 1),
        figure("5 lives 2", 10),
        *map(figure, ["5 lives"] * 3, range(20, 23)),
    )
    output = claims_toml(Extraction("", "text", proposals, ()), statement_file="s.txt")
    ids = [claim["id"] for claim in tomllib.loads(output)["claim"]]
    assert ids == [
        "figure-5-lives",
        "figure-5-lives-2",
        "figure-5-lives-3",
        "figure-5-lives-4",
        "figure-5-lives-5",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "we\nird.md",
        "line\r\nbreaks.md",
        "tab\tand\x00nul\x1b.md",
        "sep\u2028\u2029\x85.md",
        "bidi\u202e.md",
    ],
)
def test_comments_are_safe_whatever_the_file_name(name: str) -> None:
    source = (
        'It has [announced](#) that 500 people left. He said "no end.\n\n'
        "The 2019 [report](https://a.example/r).\n\nRead [this](https://b.example/).\n"
    )
    extraction = extract(source, syntax="markdown")
    output = claims_toml(extraction, statement_file=name, title="A\ntitle")
    document = tomllib.loads(output)
    assert document["statement"]["text"] == name
    assert document["statement"]["title"] == "A\ntitle"
    assert len(document["claim"]) == 1
    for line in output.split("\n"):
        if "#" in line:
            comment = line[line.index("#") :] if not line.startswith("#") else line
            assert comment.isprintable(), repr(line)
    assert "Links with no claim in their sentence:" in output


def test_a_claim_to_complete_uncomments_to_its_text() -> None:
    # A line separator in a claim's text stays in its TOML string: the commented-out claim
    # is one comment line per TOML line.
    source = 'He said "we\u2028will\x85return \\ home.\n'
    extraction = extract(source)
    proposal = extraction.proposals[0]
    assert proposal.problem is not None
    output = claims_toml(extraction, statement_file="s.txt")
    tail = output.split("Proposals that could not be read")[1].split("\n")[3:]
    claim = "\n".join(line.removeprefix("# ").removeprefix("#") for line in tail)
    assert tomllib.loads(claim)["claim"][0]["text"] == proposal.text


# C1 controls and bidi formatting characters, which tomlkit writes as they are.
_HIDDEN = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


@given(st.text())
def test_strings_are_written_as_tomlkit_writes_them(value: str) -> None:
    """As tomlkit writes them, but for the control and bidi characters it leaves raw: escaped,
    so that the file shows what it holds."""
    tomlkit_way = tomlkit.item(value).as_string()
    escaped = _HIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", tomlkit_way)
    assert _toml_string(value) == escaped
    assert tomllib.loads(f"v = {_toml_string(value)}")["v"] == value


def test_the_worked_example_claims_file_loads(tmp_path: Path) -> None:
    statement = ROOT / "claims" / "denmark-syria-2021.md"
    source = statement.read_text(encoding="utf-8")
    claims_path = write_statement(tmp_path, statement.name, source)
    extraction = extract(source, syntax="markdown", reference_date=PUBLISHED)
    output = claims_toml(extraction, statement_file=statement.name, published=PUBLISHED)
    claim_set = loads(output, path=claims_path)
    assert len(claim_set.claims) == len(extraction.proposals)
    ids = [claim.id for claim in claim_set.claims]
    assert len(set(ids)) == len(ids)


# --- The worked example ---------------------------------------------------------------------


def test_every_hand_written_claim_of_the_worked_example_is_proposed() -> None:
    claim_set = claimcheck.load(WORKED_EXAMPLE)
    statement = claim_set.statement
    assert statement.text is not None
    assert statement.path is not None
    extraction = extract(
        statement.text, syntax=syntax_for(statement.path), reference_date=statement.published
    )
    starts = [0, *(m.end() for m in re.finditer("\n", statement.text))]
    missed = []
    for claim in claim_set.claims:
        location = claim.location
        assert location is not None
        assert location.end_line is not None
        assert location.end_column is not None
        start = starts[location.line - 1] + location.column - 1
        end = starts[location.end_line - 1] + location.end_column - 1
        if not any(
            p.kind is claim.kind and p.start < end and start < p.end for p in extraction.proposals
        ):
            missed.append(claim.id)
    assert missed == []


# --- API ------------------------------------------------------------------------------------


def test_syntax_for() -> None:
    assert syntax_for(Path("a.md")) == "markdown"
    assert syntax_for("a.MARKDOWN") == "markdown"
    assert syntax_for("a.htm") == "html"
    assert syntax_for("a.html") == "html"
    assert syntax_for("a.txt") == "text"
    assert syntax_for("statement") == "text"


def test_an_unknown_syntax_is_refused() -> None:
    with pytest.raises(ValueError, match="syntax"):
        extract("x", syntax="rst")


def test_derived_lists_are_computed_once() -> None:
    extraction = extract(
        "Read [it](https://a.example/). It says 500 people left.", syntax="markdown"
    )
    assert extraction.unsourced is extraction.unsourced
    assert extraction.unlinked_links is extraction.unlinked_links
    assert texts(Extraction("", "text", extraction.unsourced, ())) == ["500 people"]
    with pytest.raises(AttributeError):
        extraction.proposals = ()  # type: ignore[misc]


def test_the_records_are_frozen() -> None:
    link = Link("#", "x", 0, 1, 1, 1, "placeholder link ('#')")
    with pytest.raises(AttributeError):
        link.url = "https://a.example/"  # type: ignore[misc]


# --- Time -----------------------------------------------------------------------------------


def _best_seconds(*sources: str) -> list[float]:
    """For each source, the least processor time of three runs of extract and claims_toml,
    asking for the derived lists once per proposal as ``claimcheck extract`` does."""

    def extract_all(source: str) -> None:
        extraction = extract(source, syntax="markdown")
        claims_toml(extraction, statement_file="s.md")
        for _proposal in extraction.proposals:
            assert extraction.unsourced is not None
            assert extraction.unlinked_links is not None

    return best_cpu_seconds([functools.partial(extract_all, source) for source in sources])


# Statements that took quadratic time, by their number of repetitions: many repeated claims
# (claim ids, spans, anchors), one long sentence (widening, list numbers), the derived lists.
_GROWING: dict[str, tuple[Callable[[int], str], int]] = {
    "repeated dates": (lambda n: "On 5 May 2021 it rained. " * n, 60),
    "a list of dates in one sentence": (
        lambda n: "Rain on " + ", on ".join(["5 May 2021"] * n) + ".",
        40,
    ),
    "repeated quotations": (lambda n: 'He said "no way" twice. ' * n, 120),
    "one sentence of numbers": (lambda n: "1 " * n, 150),
    "one long sentence of figures": (
        lambda n: "Reported: " + ", ".join(f"{i % 7 + 1} cases in district {i}" for i in range(n)),
        30,
    ),
}


@pytest.mark.parametrize("name", list(_GROWING))
def test_time_grows_linearly_with_the_statement(name: str) -> None:
    # A ratio, never a wall-clock bound: ten times the text takes about eight and a half times
    # as long here (quadratic time would take a hundred times; at these sizes it took 19 to
    # 40 times, so the bound cannot be raised without letting it through).
    make, size = _GROWING[name]
    small, large = _best_seconds(make(size), make(10 * size))
    assert large / small < 20, (name, small, large)


# --- Properties -----------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        *"ab Z1029.,;:!?\"'“”„‘’«»‹›<>/=&#;[]()`*_~-\n\t|§$%\\",
        "https://x.org/1",
        '<a href="#">',
        "</a>",
        "&ldquo;",
        "&amp;",
        "March ",
        "2021",
        "since ",
        "this month",
        " 100,000 Syrians",
        "[t](u)",
        "[r]",
        "\n[r]: https://r.example\n",
        "```",
        "> ",
        "- ",
        "1. ",
        "<sup>",
        "</sup>",
        "<q>",
        "</q>",
        "<!--",
        "-->",
        "<script>",
        "é",
        "😀",
        "\r\n",
        "\n\n",
        "    ",
        "\ufeff",
        "'90s ",
        "s' ",
        "'n' ",
        "![",
        "](u)",
        "[a [b](u) c]",
    ]
)
_TEXT = st.tuples(
    st.sampled_from(["", "\ufeff"]),  # with or without a byte order mark
    st.lists(_PIECES, max_size=60).map("".join) | st.text(max_size=300),
).map("".join)


@given(
    _TEXT,
    st.sampled_from(["markdown", "html", "text"]),
    st.sampled_from([None, "en", "de", "fr"]),
    st.sampled_from([None, PUBLISHED]),
)
def test_any_text_extracts_anchored_proposals(
    source: str, syntax: str, language: str | None, reference: dt.date | None
) -> None:
    extraction = extract(source, syntax=syntax, language=language, reference_date=reference)
    for proposal in extraction.proposals:
        assert 0 <= proposal.start < proposal.end <= len(source)
        assert proposal.sentence[0] <= proposal.start
    for link in extraction.links:
        assert 0 <= link.start < link.end <= len(source)
    assert_anchored(source, extraction)
    starts = [p.start for p in extraction.proposals]
    assert starts == sorted(starts)
    tomllib.loads(claims_toml(extraction, statement_file="s.md", published=reference))


_SENTENCES = st.sampled_from(
    [
        "Around 189 Syrians were denied.",
        'He said "we will never return."',
        "It was “safe” then.",
        "In October 2017 it began.",
        "Since 2019, 26 states [agreed](https://a.example/).",
        "So-called [return centers](#) opened.",
        "This month nine groups acted.",
        "Read [this](javascript:void(0)).",
        "The 2019 decision stands.",
        'An "unclosed quote starts here.',
        "It is 31 February 2021.",
    ]
)


@given(st.lists(_SENTENCES, min_size=1, max_size=6), st.sampled_from([None, PUBLISHED]))
def test_the_proposed_claims_file_always_loads(
    tmp_path_factory: pytest.TempPathFactory, sentences: list[str], published: dt.date | None
) -> None:
    source = "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))
    directory = tmp_path_factory.mktemp("statement")
    claims_path = write_statement(directory, "s.md", source + "\n")
    extraction = extract(source + "\n", syntax="markdown", reference_date=published)
    output = claims_toml(extraction, statement_file="s.md", published=published)
    if tomllib.loads(output).get("claim"):  # the loader refuses a file with no claim
        loads(output, path=claims_path)

"""Documents: source text (HTML, PDF and plain text into a :class:`Text`: regions, language,
publication date), and the one statement reader (Markdown, HTML or plain text into its prose,
sentences, links and claims), shared by ``extract``, ``robustify`` and the coverage check; and
the careful reading of a local file someone else named (in its folder, regular, bounded).

Each name is imported from its module when first used (PEP 562): a fetch that needs only
:func:`web_codec` does not load the statement reader (issue 17).
"""

TYPE_CHECKING = False  # not typing's (mypy reads any constant of this name as true)
if TYPE_CHECKING:
    from ._anchoring import Anchors
    from ._candidates import BLOCKING_PROBLEMS, FoundClaim
    from ._claims import find_claims
    from ._extraction import (
        BoundedCache,
        ExtractionCache,
        extract_text,
        text_from_string,
    )
    from ._html_tokens import TagAttribute, first_attribute, html_links, tag_attributes
    from ._lines import LineIndex, shorten
    from ._links import HTML_SPACE, LinkKind, StatementLink, http_url, link_problem
    from ._local_files import read_regular_file, resolve_within
    from ._markdown_links import LinkRegion, MarkdownLinks, markdown_links
    from ._markup import without_markup
    from ._prose import Prose
    from ._sniffing import web_codec
    from ._statement import (
        MARKUP_SUFFIXES,
        SYNTAXES,
        MarkupSyntax,
        StatementText,
        Syntax,
        read_statement,
        syntax_for,
    )
    from ._text import Region, Text, region_at

# Where each public name is defined: the module __getattr__ imports when it is first used.
_HOMES = {
    "Anchors": "_anchoring",
    "BLOCKING_PROBLEMS": "_candidates",
    "BoundedCache": "_extraction",
    "ExtractionCache": "_extraction",
    "FoundClaim": "_candidates",
    "HTML_SPACE": "_links",
    "LineIndex": "_lines",
    "LinkKind": "_links",
    "LinkRegion": "_markdown_links",
    "MARKUP_SUFFIXES": "_statement",
    "MarkdownLinks": "_markdown_links",
    "MarkupSyntax": "_statement",
    "Prose": "_prose",
    "Region": "_text",
    "SYNTAXES": "_statement",
    "StatementLink": "_links",
    "StatementText": "_statement",
    "Syntax": "_statement",
    "TagAttribute": "_html_tokens",
    "Text": "_text",
    "extract_text": "_extraction",
    "find_claims": "_claims",
    "first_attribute": "_html_tokens",
    "html_links": "_html_tokens",
    "http_url": "_links",
    "link_problem": "_links",
    "markdown_links": "_markdown_links",
    "read_regular_file": "_local_files",
    "read_statement": "_statement",
    "region_at": "_text",
    "resolve_within": "_local_files",
    "shorten": "_lines",
    "syntax_for": "_statement",
    "tag_attributes": "_html_tokens",
    "text_from_string": "_extraction",
    "web_codec": "_sniffing",
    "without_markup": "_markup",
}

__all__ = [
    "BLOCKING_PROBLEMS",
    "HTML_SPACE",
    "MARKUP_SUFFIXES",
    "SYNTAXES",
    "Anchors",
    "BoundedCache",
    "ExtractionCache",
    "FoundClaim",
    "LineIndex",
    "LinkKind",
    "LinkRegion",
    "MarkdownLinks",
    "MarkupSyntax",
    "Prose",
    "Region",
    "StatementLink",
    "StatementText",
    "Syntax",
    "TagAttribute",
    "Text",
    "extract_text",
    "find_claims",
    "first_attribute",
    "html_links",
    "http_url",
    "link_problem",
    "markdown_links",
    "read_regular_file",
    "read_statement",
    "region_at",
    "resolve_within",
    "shorten",
    "syntax_for",
    "tag_attributes",
    "text_from_string",
    "web_codec",
    "without_markup",
]


if not TYPE_CHECKING:  # mypy reads the imports above, and keeps refusing an unknown name
    from claimcheck._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
    del lazy_names

"""Documents: source text (HTML, PDF and plain text into a :class:`Text`: regions, language,
publication date), and the one statement reader (Markdown, HTML or plain text into its prose,
sentences, links and claims), shared by ``extract``, ``robustify`` and the coverage check; and
the careful reading of a local file someone else named (in its folder, regular, bounded)."""

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

"""claimcheck: check the factual claims of a published statement against their sources.

The public API, all re-exported here:

- the claims model: :class:`Claim`, :class:`ClaimKind`, :class:`Source`;
- text extraction: :func:`extract_text` (HTML, PDF, plain text) into a :class:`Text`,
  :func:`text_from_string`, :func:`region_at`;
- normalisation: :func:`normalize` into a :class:`NormalizedText`;
- matching: :func:`match_quote`, :func:`match_figure`, :func:`match_date`, :func:`match_claim`,
  each returning :class:`Evidence` with a :class:`Status`, a :class:`Reason` and
  :class:`WordDiff` differences;
- errors: :class:`ClaimcheckError` and its subclasses.
"""

from __future__ import annotations

from ._claims import Claim, ClaimKind, Source
from ._errors import ClaimcheckError, ExtractionError, InvalidClaimError
from ._match import match_claim, match_date, match_figure, match_quote
from ._normalize import NormalizedText, normalize
from ._text import Region, Text, extract_text, region_at, text_from_string
from ._verdicts import DiffKind, Evidence, Reason, Status, WordDiff

__version__ = "0.1.0.dev0"

__all__ = [
    "Claim",
    "ClaimKind",
    "ClaimcheckError",
    "DiffKind",
    "Evidence",
    "ExtractionError",
    "InvalidClaimError",
    "NormalizedText",
    "Reason",
    "Region",
    "Source",
    "Status",
    "Text",
    "WordDiff",
    "__version__",
    "extract_text",
    "match_claim",
    "match_date",
    "match_figure",
    "match_quote",
    "normalize",
    "region_at",
    "text_from_string",
]

"""claimcheck: check the factual claims of a published statement against their sources."""

from __future__ import annotations

from ._claims import Claim, ClaimKind, Source
from ._errors import ClaimcheckError, ExtractionError, InvalidClaimError
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
    "Reason",
    "Source",
    "Status",
    "WordDiff",
    "__version__",
]

"""The exceptions claimcheck raises.

Every error is a :class:`ClaimcheckError`, so ``except claimcheck.ClaimcheckError`` catches all of
them. Narrow errors also subclass the builtin a caller would expect, so code that knows nothing
about claimcheck still handles them sensibly::

    ClaimcheckError(Exception)
    ├── InvalidClaimError(ClaimcheckError, ValueError)     a claim that cannot be checked as given
    └── ExtractionError(ClaimcheckError, ValueError)       bytes that are not a document at all

A source that cannot be *read* (a scanned PDF, an encrypted file, a JavaScript-only page) is not
an error: it is a finding, reported as the ``unreadable-source`` reason of a verdict. Errors are
for problems of the caller's input, never for problems of the sources being checked.
"""

from __future__ import annotations

__all__ = ["ClaimcheckError", "ExtractionError", "InvalidClaimError"]


class ClaimcheckError(Exception):
    """Base class of every error raised by claimcheck."""


class InvalidClaimError(ClaimcheckError, ValueError):
    """A claim cannot be checked as given: an empty quote, a figure with no number in it, a date
    that names no date."""


class ExtractionError(ClaimcheckError, ValueError):
    """The input is not a document claimcheck can extract text from at all (for example an
    unknown media type that is also not text). Unreadable *sources* are findings, not errors."""

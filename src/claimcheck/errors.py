"""The exceptions claimcheck raises.

Every error is a :class:`ClaimcheckError`, so ``except claimcheck.ClaimcheckError`` catches all of
them. Narrow errors also subclass the builtin a caller would expect, so code that knows nothing
about claimcheck still handles them sensibly::

    ClaimcheckError(Exception)
    ├── InvalidClaimError(ClaimcheckError, ValueError)     a claim that cannot be checked as given
    ├── TextExtractionError(ClaimcheckError, ValueError)   bytes that are not a document at all
    ├── ConfigurationError(ClaimcheckError, ValueError)    an option or setting out of range or
    │                                                      malformed (a negative limit, a bad
    │                                                      configuration file)
    ├── ClaimsFileError(ClaimcheckError, ValueError)       a malformed claims file: every
    │                                                      problem, with file, line and field
    ├── SnapshotStoreError(ClaimcheckError, OSError)       the snapshot store cannot do as asked
    │   └── CorruptSnapshotError(SnapshotStoreError)       a capture fails its digest check
    ├── SnapshotStoreWarning(ClaimcheckError, UserWarning) a warning, not raised: the store
    │                                                      skipped what it could not read (an
    │                                                      unreadable index line)
    ├── InvalidURLError(ClaimcheckError, ValueError)       an archive client given a URL that is
    │                                                      not http(s)
    ├── ArchiveError(ClaimcheckError, OSError)             an archive is unreachable or off-protocol
    │   ├── RateLimitedError(ArchiveError)                 it asked us to slow down
    │   ├── BlockedArchiveError(ArchiveError)              it refuses the URL: a blocked site,
    │                                                      a robots.txt exclusion
    │   └── ArchiveUnreachableError(ArchiveError)          no server was reached at all (the name
    │                                                      does not resolve, refused, no route)
    ├── MissingCredentialsError(ClaimcheckError, ValueError)   Save Page Now without keys
    ├── HistoryError(ClaimcheckError, OSError)         the audit history cannot be used: not a
    │                                                  history, a newer schema, another audit
    │                                                  running on it
    ├── MissingDependencyError(ClaimcheckError, ImportError)   an optional extra is not
    │                                                  installed (``--dask`` without
    │                                                  ``claimcheck-citations[dask]``)
    └── ClusterError(ClaimcheckError, RuntimeError)    a Dask cluster cannot be reached, or lost
                                                       the audit's work

A source that cannot be *read* (a scanned PDF, an encrypted file, a JavaScript-only page) or
*reached* (a dead link) is not an error: it is a finding, reported in a verdict. Errors are for
problems of the caller's input and of the local machine, never for problems of the sources.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "ArchiveError",
    "ArchiveUnreachableError",
    "BlockedArchiveError",
    "ClaimcheckError",
    "ClaimsFileError",
    "ClusterError",
    "ConfigurationError",
    "CorruptSnapshotError",
    "HistoryError",
    "InvalidClaimError",
    "InvalidURLError",
    "MissingCredentialsError",
    "MissingDependencyError",
    "Problem",
    "RateLimitedError",
    "SnapshotStoreError",
    "SnapshotStoreWarning",
    "TextExtractionError",
]


class ClaimcheckError(Exception):
    """Base class of every error raised by claimcheck."""


class InvalidClaimError(ClaimcheckError, ValueError):
    """A claim cannot be checked as given: an empty quote, a figure with no number in it, a date
    that names no date."""


class TextExtractionError(ClaimcheckError, ValueError):
    """The input is not a document claimcheck can extract text from at all (for example an
    unknown media type that is also not text). Unreadable *sources* are findings, not errors."""


class ConfigurationError(ClaimcheckError, ValueError):
    """An option or setting cannot be used: a number out of range (a negative per-host limit or
    deadline), a value of the wrong type, a configuration file that is not TOML or names a key
    claimcheck does not know. The message names the option (and the file and line, for a
    file)."""


@attrs.frozen
class Problem:
    """One problem of a claims file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ClaimsFileError(ClaimcheckError, ValueError):
    """A claims file is malformed. ``problems`` lists every problem found, each naming the
    file, the line and the field, so that one run shows them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class SnapshotStoreError(ClaimcheckError, OSError):
    """The snapshot store cannot do what was asked (not a store, unwritable, a capture that is
    not there)."""


class SnapshotStoreWarning(ClaimcheckError, UserWarning):  # noqa: N818 (a warning)
    """Issued with :func:`warnings.warn`, never raised: the store skipped something it could not
    read and went on with the rest (an index line a hand edit or another tool broke: one bad
    line must not make every capture unreadable). ``snapshot verify`` reports the same as a
    problem; ``snapshot rebuild-index`` repairs it. A warning, and also a
    :class:`ClaimcheckError`, so that ``-W error`` turns it into an error callers already
    catch."""


class CorruptSnapshotError(SnapshotStoreError):
    """A stored capture does not match its recorded digest: it was truncated or altered."""


class InvalidURLError(ClaimcheckError, ValueError):
    """A web archive client was given a URL to look up, fetch or save that is not an http(s) URL
    with a host name. (A *source* whose URL is unusable is a finding, ``invalid-url``, not an
    error.)"""


class ArchiveError(ClaimcheckError, OSError):
    """A web archive could not be reached, or answered other than its protocol promises (a
    CDX answer that is not JSON, a replay without ``Memento-Datetime``, a redirect loop).

    Not finding a capture is not an error; neither is a page the archive holds a capture of an
    error page for.

    ``said`` is what went wrong in a few plain words, without the URL, for a verdict to say
    ("HTTP 503", "no complete answer within the 120 s deadline"), when known; the message
    names the URL too.
    """

    def __init__(self, message: str, *, said: str | None = None) -> None:
        super().__init__(message)
        self.said = said


class RateLimitedError(ArchiveError):
    """The archive asked us to slow down (HTTP 429, or 503 with ``Retry-After``), or an earlier
    such answer still holds all calls back. ``retry_after`` is how many seconds to wait before
    calling again, when known. Reported as ``rate-limited`` (unchecked), never as broken."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BlockedArchiveError(ArchiveError):
    """The archive refuses to list or replay the URL, whatever it holds: the site is blocked
    (the Internet Archive's "Blocked Site Error", a replay page saying the URL "has been
    excluded from the Wayback Machine"), or its robots.txt excludes it. Asking again does not
    help. ``said`` names which ("blocked site")."""


class ArchiveUnreachableError(ArchiveError):
    """No server of the archive was reached: its host name does not resolve, nothing listens, or
    there is no route to it. Nothing was exchanged, so the call cost the archive nothing (its
    rate-limit slot is given back), and it says nothing of the archive's holdings: the network
    or the archive is out of reach. ``url`` is the address that could not be reached, ``reason``
    the fetch outcome it amounts to (a :class:`~claimcheck.Reason` value: ``dns-failure``,
    ``connection-refused``, ``connection-error`` for no route)."""

    def __init__(
        self, message: str, *, url: str = "", reason: str = "", said: str | None = None
    ) -> None:
        super().__init__(message, said=said)
        self.url = url
        self.reason = reason


class MissingCredentialsError(ClaimcheckError, ValueError):
    """Save Page Now was asked to save a page without archive.org keys (it is never called
    anonymously), or refused the keys given (HTTP 401/403: every URL would fail alike); pass
    valid ones or set ``CLAIMCHECK_IA_ACCESS_KEY`` and ``CLAIMCHECK_IA_SECRET_KEY``."""


class HistoryError(ClaimcheckError, OSError):
    """The audit history (an SQLite file) cannot do what was asked: the file is not a history
    database or is damaged, it was written by a newer claimcheck (a schema version this one does
    not know), or another audit is running on it."""


class MissingDependencyError(ClaimcheckError, ImportError):
    """A feature needs an optional extra that is not installed: ``--dask`` (a
    :class:`~claimcheck.auditing.DaskRunner`) needs
    ``pip install 'claimcheck-citations[dask]'``. The message names the extra to install."""


class ClusterError(ClaimcheckError, RuntimeError):
    """A Dask cluster could not be used for an audit: its scheduler cannot be reached, or a
    task of the audit failed on it (a worker lost, say). What was already recorded stays in the
    history, and the next audit resumes the run."""

"""Ignore entries: findings dismissed on purpose (:class:`~claimcheck.model.Ignore`).

:func:`ignore_matches` is the one rule for whether an entry dismisses a finding;
:func:`dismissed` applies a claim set's entries, and those given besides (a config file's), to
a check's results: a dismissed finding stays in the report, marked with its entry (it keeps its
status and never fails), and the entries that dismissed nothing are returned, to be reported
as stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..model import ClaimKind, ClaimResult, Ignore, Reason, Status
from ._coverage import folded_text

__all__ = ["dismissed", "finding_matches", "ignore_matches"]


def _is_finding(result: ClaimResult) -> bool:
    """Whether there is anything to dismiss: a claim that is not verified, or is disputed."""
    return result.status is not Status.VERIFIED or result.disputed


def ignore_matches(entry: Ignore, result: ClaimResult) -> bool:
    """Whether ``entry`` dismisses ``result``.

    - ``claim = "id"`` dismisses that claim of the claims file when it is a finding (not
      verified, or disputed): a verified claim leaves nothing to dismiss, and its entry stays
      unused, so that a dismissal outlives the problem it was written for only as a warning.
    - ``text``, ``line`` and ``kind`` dismiss a finding of the coverage check
      (``not-in-claims-file``; a claim of the file has an id to be named by): every one that is
      given must hold. ``text`` is the finding's text as written in the statement, up to case,
      spacing and enclosing quotation marks; ``line`` is a statement line the finding is on.
    """
    if not _is_finding(result):
        return False
    claim = result.claim
    if entry.claim is not None:
        return result.reason is not Reason.NOT_IN_CLAIMS_FILE and claim.id == entry.claim
    if result.reason is not Reason.NOT_IN_CLAIMS_FILE:
        return False
    location = claim.location
    lines = None
    if location is not None:
        lines = (location.line, location.end_line or location.line)
    return finding_matches(entry, claim.kind, claim.text, lines)


def finding_matches(
    entry: Ignore, kind: ClaimKind, text: str, lines: tuple[int, int] | None
) -> bool:
    """Whether ``entry`` names a finding of the coverage check, or a claim ``extract`` would
    propose: of ``kind``, with ``text`` as written in the statement, on ``lines`` (first and
    last; None when unknown). The ``text``, ``line`` and ``kind`` rule of
    :func:`ignore_matches`; an entry naming a claim by id names no finding."""
    if entry.claim is not None or (entry.text is None and entry.line is None):
        return False
    if entry.kind is not None and kind is not entry.kind:
        return False
    if entry.text is not None and folded_text(text) != folded_text(entry.text):
        return False
    return not (
        entry.line is not None and (lines is None or not lines[0] <= entry.line <= lines[1])
    )


def dismissed(
    results: Sequence[ClaimResult], extra: Iterable[Ignore] = ()
) -> tuple[list[ClaimResult], tuple[Ignore, ...]]:
    """``results`` with each finding that an entry matches marked ignored (the first entry
    that matches: its claim set's own, then ``extra``), and the entries that matched nothing,
    in the order given (each claim set's, then ``extra``). A claim set's entries apply to its
    own results only; ``extra`` ones to every result."""
    extra = tuple(extra)
    entries: list[Ignore] = []
    seen_sets: set[int] = set()
    for result in results:
        if id(result.claim_set) not in seen_sets:
            seen_sets.add(id(result.claim_set))
            entries.extend(result.claim_set.ignores)
    entries.extend(extra)
    used: set[int] = set()
    marked = []
    for result in results:
        for entry in (*result.claim_set.ignores, *extra):
            if ignore_matches(entry, result):
                used.add(id(entry))
                result = attrs.evolve(result, ignored=entry)
                break
        marked.append(result)
    return marked, tuple(entry for entry in entries if id(entry) not in used)

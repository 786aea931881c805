"""The vocabulary every layer shares: claims and their sources, statuses and reasons, evidence,
verdicts and reports, captured copies (:class:`Snapshot`); :func:`well_formed`, the one
rule that makes any string valid Unicode; and :func:`in_sentence`, the one rule for a URL or a
server's words inside a sentence (its brackets pair up)."""

TYPE_CHECKING = False  # not typing's (mypy reads any constant of this name as true)
if TYPE_CHECKING:
    from ._claims import Claim, ClaimKind, ClaimSet, Ignore, Location, Source, Statement
    from ._evidence import DiffKind, Evidence, Reason, Status, WordDiff, reason_descriptions
    from ._results import (
        STATUS_ORDER,
        ClaimResult,
        Flag,
        Report,
        Verdict,
        combine,
        dispute,
        disputing,
        show_in_notebooks,
    )
    from ._sentences import in_sentence, quoted
    from ._settings import (
        MAX_SECONDS,
        Rule,
        check,
        count,
        duration,
        flag,
        is_number,
        option,
        positive_count,
        positive_seconds,
        rate,
        rules_of,
        seconds,
        seconds_at_most,
        shown,
        to_float,
        whole_number,
    )
    from ._snapshot import Snapshot, as_utc, surt, utc_timestamp
    from ._unicode import well_formed

# Where each public name is defined: the module __getattr__ imports when it is first used, so
# that a fetch loads the reasons and settings it needs and not the claims and reports (start-up,
# issue 17).
_HOMES = {
    "Claim": "_claims",
    "ClaimKind": "_claims",
    "ClaimResult": "_results",
    "ClaimSet": "_claims",
    "DiffKind": "_evidence",
    "Evidence": "_evidence",
    "Flag": "_results",
    "Ignore": "_claims",
    "Location": "_claims",
    "MAX_SECONDS": "_settings",
    "Reason": "_evidence",
    "Report": "_results",
    "Rule": "_settings",
    "STATUS_ORDER": "_results",
    "Snapshot": "_snapshot",
    "Source": "_claims",
    "Statement": "_claims",
    "Status": "_evidence",
    "Verdict": "_results",
    "WordDiff": "_evidence",
    "as_utc": "_snapshot",
    "check": "_settings",
    "combine": "_results",
    "count": "_settings",
    "dispute": "_results",
    "disputing": "_results",
    "duration": "_settings",
    "flag": "_settings",
    "in_sentence": "_sentences",
    "is_number": "_settings",
    "option": "_settings",
    "positive_count": "_settings",
    "positive_seconds": "_settings",
    "quoted": "_sentences",
    "rate": "_settings",
    "reason_descriptions": "_evidence",
    "rules_of": "_settings",
    "seconds": "_settings",
    "seconds_at_most": "_settings",
    "show_in_notebooks": "_results",
    "shown": "_settings",
    "surt": "_snapshot",
    "to_float": "_settings",
    "utc_timestamp": "_snapshot",
    "well_formed": "_unicode",
    "whole_number": "_settings",
}

__all__ = [
    "MAX_SECONDS",
    "STATUS_ORDER",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "DiffKind",
    "Evidence",
    "Flag",
    "Ignore",
    "Location",
    "Reason",
    "Report",
    "Rule",
    "Snapshot",
    "Source",
    "Statement",
    "Status",
    "Verdict",
    "WordDiff",
    "as_utc",
    "check",
    "combine",
    "count",
    "dispute",
    "disputing",
    "duration",
    "flag",
    "in_sentence",
    "is_number",
    "option",
    "positive_count",
    "positive_seconds",
    "quoted",
    "rate",
    "reason_descriptions",
    "rules_of",
    "seconds",
    "seconds_at_most",
    "show_in_notebooks",
    "shown",
    "surt",
    "to_float",
    "utc_timestamp",
    "well_formed",
    "whole_number",
]


if not TYPE_CHECKING:  # mypy reads the imports above, and keeps refusing an unknown name
    from claimcheck._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
    del lazy_names

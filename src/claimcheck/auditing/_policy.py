"""How an audit judges change: the :class:`AuditPolicy` and the state machine :func:`advance`
(the rules are in the package documentation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ..model import duration, flag, option, positive_count, seconds_at_most, to_float, whole_number
from ..sources import MAX_POLL_INTERVAL
from ..store import (
    Health,
    Outcome,
    State,
)

__all__ = [
    "AuditPolicy",
    "advance",
]

_DAY = dt.timedelta(days=1)


@attrs.frozen
class AuditPolicy:
    """How an audit judges change (see the package documentation for the rules).

    - ``failures``, ``span``: a citation is broken after failing in at least ``failures`` runs
      whose first and latest are at least ``span`` apart (unchecked runs do not count).
    - ``flaps``, ``flap_window``: at least ``flaps`` changes between ok and failing within
      ``flap_window`` make a citation ``flapping``.
    - ``save_before_death``: ask Save Page Now to capture live pages that verify their claims
      and have no Internet Archive capture within ``archive_window``; a URL is asked about at
      most once per ``archive_recheck``; Save Page Now jobs are polled every
      ``save_poll_interval`` seconds.
    - ``archive_recheck`` also bounds how long the Internet Archive's listing of a host's
      captures (one index query for all the cited URLs of the host) is used from the history
      instead of asking again.
    - ``use_archives``: consult the web archives for the copy "as cited" where the live page
      does not verify the claim (as ``check`` does).
    - ``resume_within``: a run that died less than this long ago is resumed, an older one
      abandoned.
    """

    failures: int = option(2, positive_count)
    span: dt.timedelta = option(dt.timedelta(days=3), duration)
    flaps: int = option(4, whole_number(2))
    flap_window: dt.timedelta = option(dt.timedelta(days=14), duration)
    save_before_death: bool = option(False, flag)
    archive_window: dt.timedelta = option(dt.timedelta(days=30), duration)
    archive_recheck: dt.timedelta = option(_DAY, duration)
    save_poll_interval: float = option(5.0, seconds_at_most(MAX_POLL_INTERVAL), to_float)
    use_archives: bool = option(True, flag)
    resume_within: dt.timedelta = option(dt.timedelta(hours=12), duration)

    def to_json(self) -> dict[str, Any]:
        """The policy as JSON-ready data (durations in seconds), as runs record it."""
        return {
            field.name: value.total_seconds() if isinstance(value, dt.timedelta) else value
            for field, value in ((f, getattr(self, f.name)) for f in attrs.fields(AuditPolicy))
        }


def advance(
    health: Health,
    outcome: Outcome,
    *,
    at: dt.datetime,
    run_id: int,
    policy: AuditPolicy,
    definite: bool = False,
) -> Health:
    """The health of a citation (or URL) after one run's ``outcome``, observed in run
    ``run_id`` dated ``at``; see the module documentation for the rules. A run counts once:
    advancing again in the same run changes nothing. ``definite`` marks a failure that counts
    at once (evidence of drift read from the page, a citation that is not a link)."""
    if health.last_run == run_id:
        return health
    checked = attrs.evolve(health, last_checked=at, last_run=run_id, last_outcome=outcome)
    if outcome is Outcome.UNCHECKED:
        return checked
    was_failing = health.failures > 0
    was_ok = not was_failing and health.last_ok is not None
    flips = [flip for flip in health.flips if flip >= at - policy.flap_window]
    if (outcome.failed and was_ok) or (not outcome.failed and was_failing):
        flips.append(at)
    flapping = len(flips) >= policy.flaps
    if outcome.failed:
        failures = health.failures + 1
        failing_since = health.failing_since or at
        confirmed = State.BROKEN if outcome is Outcome.BROKEN else State.DRIFTED
        sustained = failures >= policy.failures and at - failing_since >= policy.span
        if sustained:
            state = confirmed
        elif flapping:
            state = State.FLAPPING
        elif definite:
            state = confirmed
        elif health.state in (State.BROKEN, State.DRIFTED):
            state = health.state
        else:
            state = State.FAILING
        last_ok = health.last_ok
    else:
        failures, failing_since, last_ok = 0, None, at
        state = State.FLAPPING if flapping else State.HEALTHY
    changed = state is not health.state
    return attrs.evolve(
        checked,
        state=state,
        since=at if changed else health.since,
        failing_since=failing_since,
        failures=failures,
        last_ok=last_ok,
        flips=tuple(flips),
        previous_state=health.state if changed else health.previous_state,
        changed_run=run_id if changed else health.changed_run,
    )

"""How an audit judges change: the :class:`AuditPolicy` and the state machine :func:`advance`
(the rules are in the package documentation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import ConfigurationError
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


def _at_least(minimum: Any) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """A validator: the value is of the minimum's kind (a number, or a duration: a
    ``timedelta``) and at least the minimum; otherwise a
    :class:`~claimcheck.errors.ConfigurationError` naming the field."""
    duration = isinstance(minimum, dt.timedelta)
    kinds: tuple[type, ...] = (dt.timedelta,) if duration else (int, float)
    kind = "a duration" if duration else "a number"

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, kinds) or value != value:  # NaN
            raise ConfigurationError(f"{attribute.name} must be {kind}, not {value!r}")
        if value < minimum:
            raise ConfigurationError(f"{attribute.name} must be at least {minimum}, not {value}")

    return check


_NON_NEGATIVE = _at_least(dt.timedelta(0))


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
    - ``use_archives``: consult the web archives for the copy "as cited" where the live page
      does not verify the claim (as ``check`` does).
    - ``resume_within``: a run that died less than this long ago is resumed, an older one
      abandoned.
    """

    failures: int = attrs.field(default=2, validator=_at_least(1))
    span: dt.timedelta = attrs.field(default=dt.timedelta(days=3), validator=_NON_NEGATIVE)
    flaps: int = attrs.field(default=4, validator=_at_least(2))
    flap_window: dt.timedelta = attrs.field(default=dt.timedelta(days=14), validator=_NON_NEGATIVE)
    save_before_death: bool = False
    archive_window: dt.timedelta = attrs.field(
        default=dt.timedelta(days=30), validator=_NON_NEGATIVE
    )
    archive_recheck: dt.timedelta = attrs.field(default=_DAY, validator=_NON_NEGATIVE)
    save_poll_interval: float = attrs.field(default=5.0, validator=_at_least(0.0))
    use_archives: bool = True
    resume_within: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=12), validator=_NON_NEGATIVE
    )

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

"""What an audit run found, as change since the runs before it: :class:`AuditResult` and its
:class:`Finding` s, read back from the history by :func:`summarize`."""

from __future__ import annotations

import datetime as dt

import attrs

from ..model import Reason
from ..store import (
    CitationKey,
    History,
    Observation,
    Run,
    State,
)

__all__ = [
    "AUDIT_JSON_VERSION",
    "AuditResult",
    "Finding",
    "summarize",
]

AUDIT_JSON_VERSION = 1


@attrs.frozen
class Finding:
    """One citation in an audit's result.

    ``state`` is its state after the run and ``previous_state`` the one before its last change;
    ``new`` says whether that change happened in this run. ``since`` is when its current
    series of failures began (for a healthy or flapping citation: when the state began);
    ``failures`` how many runs failed in that series. ``observation`` is this run's observation
    (its verdict, message, evidence). ``replacement`` is the archived copy suggested in place
    of a dead link (one that supports the claim); ``archive_url`` the latest capture of the URL
    the history knows (a Save Page Now capture, say), not checked against the claim.
    """

    key: CitationKey
    state: State
    previous_state: State | None
    since: dt.datetime | None
    failures: int
    last_ok: dt.datetime | None
    observation: Observation | None
    replacement: str | None = None
    archive_url: str | None = None
    new: bool = False


@attrs.frozen
class AuditResult:
    """What one audit run found, as change since the runs before it.

    - ``newly_broken``, ``newly_drifted``: citations confirmed broken or drifted in this run
      (the exit status is 1 when there is any: :attr:`failed`);
    - ``recovered``: citations that were broken or drifted and are now healthy;
    - ``still_failing``: citations broken or drifted before this run and still (``since`` says
      from when), shown as "still broken" or "still drifted" by their state;
    - ``flapping``: citations that alternate between ok and failing;
    - ``pending``: citations in state ``failing``: failing but not yet confirmed (fewer runs,
      or a shorter span, than the policy asks); every output calls them "failing" (the
      attribute and its JSON key keep their first name).

    ``observed`` counts this run's observations (resumed runs included), ``unchanged`` those of
    an unchanged source (304, or the same digest), ``reused`` those whose verdict was reused,
    ``no_network`` those that could not be made for want of a network (``no-network``: the
    citation's state did not move); the run's ``bytes`` and ``cpu_seconds`` are on :attr:`run`.
    ``store`` is the snapshot store the run recorded its captures in (an absolute path; None
    when not known, as for a result summarized after the fact).
    """

    run: Run
    newly_broken: tuple[Finding, ...] = ()
    newly_drifted: tuple[Finding, ...] = ()
    recovered: tuple[Finding, ...] = ()
    still_failing: tuple[Finding, ...] = ()
    flapping: tuple[Finding, ...] = ()
    pending: tuple[Finding, ...] = ()
    observed: int = 0
    unchanged: int = 0
    reused: int = 0
    resumed: bool = False
    no_network: int = 0
    store: str | None = None

    @property
    def failed(self) -> bool:
        """Whether something newly failed (newly broken or newly drifted)."""
        return bool(self.newly_broken or self.newly_drifted)


def summarize(log: History, run: Run, *, resumed: bool = False) -> AuditResult:
    """The :class:`AuditResult` of ``run`` as the history holds it: every citation the run
    observed, sorted into what changed. Usable on any run, after the fact; for a run that is
    not the latest, states reflect later runs only where those observed the citation again."""
    observations = {o.key: o for o in log.observations(run_id=run.id)}
    url_states = {state.url: state for state in log.url_states()}
    groups: dict[str, list[Finding]] = {
        name: [] for name in ("broken", "drifted", "recovered", "still", "flapping", "pending")
    }
    for citation in log.citations():
        health = citation.health
        observation = observations.get(citation.key)
        if observation is None:
            continue
        new = health.changed_run == run.id
        url_state = url_states.get(citation.key.url)
        failing = health.state in (State.BROKEN, State.DRIFTED, State.FAILING)
        finding = Finding(
            key=citation.key,
            state=health.state,
            previous_state=health.previous_state,
            since=health.failing_since if failing else health.since,
            failures=health.failures,
            last_ok=health.last_ok,
            observation=observation,
            replacement=observation.replacement,
            archive_url=url_state.archive_url if url_state is not None else None,
            new=new,
        )
        if health.state is State.BROKEN:
            groups["broken" if new else "still"].append(finding)
        elif health.state is State.DRIFTED:
            groups["drifted" if new else "still"].append(finding)
        elif health.state is State.FLAPPING:
            groups["flapping"].append(finding)
        elif health.state is State.FAILING:
            groups["pending"].append(finding)
        elif (
            health.state is State.HEALTHY
            and new
            and health.previous_state in (State.BROKEN, State.DRIFTED)
        ):
            groups["recovered"].append(finding)

    def ordered(name: str) -> tuple[Finding, ...]:
        return tuple(sorted(groups[name], key=lambda f: _order(f.key)))

    values = list(observations.values())
    return AuditResult(
        run=run,
        newly_broken=ordered("broken"),
        newly_drifted=ordered("drifted"),
        recovered=ordered("recovered"),
        still_failing=ordered("still"),
        flapping=ordered("flapping"),
        pending=ordered("pending"),
        observed=len(values),
        unchanged=sum(o.unchanged for o in values),
        reused=sum(o.reused for o in values),
        resumed=resumed,
        no_network=sum(o.reason is Reason.NO_NETWORK for o in values),
    )


def _order(key: CitationKey) -> tuple[str, str, str, str]:
    return key.statement, key.claim_id, key.url, key.accessed.isoformat() if key.accessed else ""

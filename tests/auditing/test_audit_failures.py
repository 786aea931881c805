"""An audit completes whatever one source does: a page in a hostile encoding, or a source that
makes claimcheck itself fail, is recorded as that source's verdict (``unchecked`` /
``internal-error``, never a failure), the run completes, and the next night's run neither
crashes again nor reports anything "newly failed". A run that stopped on an error is abandoned:
the next audit starts afresh instead of resuming into the same error (a run whose process was
killed is resumed: ``test_audit.py``).

Internals tested directly (private modules): none; the judge is patched
(``claimcheck.checking.Judge.reading``, the matching of one copy: ``buggy_reading`` of
conftest.py) to fail on one source, as a bug would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck import Claim, ClaimSet, Progress, Reason, Source, Statement, Status
from claimcheck.auditing import AuditPolicy, AuditResult, audit
from claimcheck.store import History, Outcome, RunState
from servers import LocalServer, page
from support import LOCAL_FETCH, ORIGINAL, QUOTE

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
# A page declared UTF-7: decoded as UTF-7, "+2AA-" is a lone surrogate (U+D800) that no
# UTF-8 writer (SQLite, JSON, the terminal) can write. Browsers do not decode UTF-7.
UTF7_PAGE = ORIGINAL.replace("</p>", " +2AA- +2D3eAA-</p>").encode("ascii")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    routes = {
        "/utf7": page(UTF7_PAGE, content_type="text/html; charset=utf-7"),
        "/fine": page(ORIGINAL),
        "/bug": page(ORIGINAL),
    }
    with LocalServer(routes) as running:
        yield running


def claims(server: LocalServer, *names: str) -> ClaimSet:
    return ClaimSet(
        Statement(id="letter"),
        tuple(
            Claim("quote", QUOTE, id=name, sources=(Source(f"{server.url}/{name}"),))
            for name in names
        ),
    )


def run(folder: Path, claim_set: ClaimSet, night: float, **keywords: object) -> AuditResult:
    return audit(
        claim_set,
        history=folder / "audit.sqlite",
        snapshots=folder / "store",
        fetch=LOCAL_FETCH,
        policy=AuditPolicy(use_archives=False),
        now=T0 + dt.timedelta(days=night),
        **keywords,  # type: ignore[arg-type]
    )


def test_a_utf7_page_is_audited_night_after_night(server: LocalServer, tmp_path: Path) -> None:
    claim_set = claims(server, "utf7", "fine")
    for night in range(3):
        result = run(tmp_path, claim_set, night)
        assert result.run.state is RunState.COMPLETE
        assert result.observed == 2
        assert not result.failed
        assert result.newly_broken == result.newly_drifted == result.pending == ()
    with History(tmp_path / "audit.sqlite") as history:
        assert [r.state for r in history.runs()] == [RunState.COMPLETE] * 3
        for observation in history.observations():
            assert observation.status is Status.VERIFIED, observation.message
        assert history.integrity_check() == "ok"


@pytest.mark.usefixtures("buggy_reading")
def test_a_source_claimcheck_fails_on_is_recorded_and_the_run_completes(
    server: LocalServer, tmp_path: Path
) -> None:
    claim_set = claims(server, "bug", "fine")
    for night in range(4):  # long enough for two failures three days apart to count
        result = run(tmp_path, claim_set, night)
        assert result.run.state is RunState.COMPLETE
        assert result.observed == 2
        assert not result.failed
        assert result.newly_broken == result.pending == result.still_failing == ()
    with History(tmp_path / "audit.sqlite") as history:
        latest = {o.key.claim_id: o for o in history.observations(run_id=4)}
        assert latest["fine"].status is Status.VERIFIED
        bug = latest["bug"]
        assert (bug.status, bug.reason, bug.outcome) == (
            Status.UNCHECKED,
            Reason.INTERNAL_ERROR,
            Outcome.UNCHECKED,
        )
        assert "RuntimeError: boom" in bug.message


class FailedError(Exception):
    """An error that stops the audit (here raised by its progress callback, at the same
    citation every time, as a bug outside the judge would)."""


def test_a_run_that_stopped_on_an_error_is_not_resumed_into_it(
    server: LocalServer, tmp_path: Path
) -> None:
    claim_set = claims(server, "fine", "bug")

    def fail(step: Progress) -> None:
        if step.stage == "check" and step.url is not None and step.url.endswith("/bug"):
            raise FailedError

    for attempt in range(3):
        with pytest.raises(FailedError):
            run(tmp_path, claim_set, attempt * 0.01, progress=fail)
    with History(tmp_path / "audit.sqlite") as history:
        # each one abandoned (its observations kept), none resumed into the same error
        assert [r.state for r in history.runs()] == [RunState.ABANDONED] * 3
    result = run(tmp_path, claim_set, 0.1)  # the cause is gone: the next audit completes
    assert not result.resumed
    assert result.run.state is RunState.COMPLETE
    assert result.observed == 2

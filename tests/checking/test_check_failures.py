"""Claimcheck failing on one source (a bug, or a page no test foresaw) is that source's verdict,
``unchecked`` / ``internal-error``, in a check as in an audit: the other sources are reported,
and the command line exits as for any finding, never with a traceback.

Internals tested directly (private modules): none; ``claimcheck.checking.Judge.reading`` (the
matching of one copy) is patched to fail on one source, as a bug would (``buggy_reading`` of
conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import claimcheck
from claimcheck import Claim, ClaimSet, Reason, Source, Statement, Status
from servers import LocalServer, page
from support import LOCAL_FETCH, ORIGINAL, QUOTE


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer({"/fine": page(ORIGINAL), "/bug": page(ORIGINAL)}) as running:
        yield running


pytestmark = pytest.mark.usefixtures("buggy_reading")


def test_a_check_reports_the_other_sources(server: LocalServer, tmp_path: Path) -> None:
    claim_set = ClaimSet(
        Statement(id="letter"),
        (
            Claim("quote", QUOTE, id="bug", sources=(Source(f"{server.url}/bug"),)),
            Claim("quote", QUOTE, id="fine", sources=(Source(f"{server.url}/fine"),)),
        ),
    )
    report = claimcheck.check(
        claim_set, copies="live-only", snapshots=tmp_path / "store", fetch=LOCAL_FETCH
    )
    verdicts = {result.claim.id: result.verdicts[0] for result in report.results}
    assert verdicts["fine"].status is Status.VERIFIED
    bug = verdicts["bug"]
    assert (bug.status, bug.reason) == (Status.UNCHECKED, Reason.INTERNAL_ERROR)
    assert "RuntimeError: boom" in bug.message

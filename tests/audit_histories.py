"""Audit histories for the tests of reading one (``tests/auditing``) and rendering one
(``tests/reports``): ten daily runs over a few citations, each with a scripted story, written
through the real writer (:class:`claimcheck.store.History`) with the audit's own state machine,
never the network; the large ones for the scale tests with sqlite3 directly, on the schema the
module creates. The fixtures that build them are in ``conftest.py``."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import jsonschema

from claimcheck import Reason, Status
from claimcheck.auditing import AuditHistory, AuditPolicy, AuditResult, advance, summarize
from claimcheck.store import CitationKey, Health, History, Observation, Outcome, UrlState

T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
POLICY = AuditPolicy()  # broken after 2 failing runs over 3 days; flapping at 4 flips in 14
RUNS = 10
ARCHIVED = "https://web.archive.org/web/20260101000000/https://example.org/dies"
PAYLOAD = '</script><script>alert(1)</script> " onmouseover="alert(2)" <img src=x onerror=alert(3)>'
HOSTILE_URL = 'https://example.org/"onmouseover="alert(4)'
BIDI_URL = "https://example.org/\u202egnp.exe"


@attrs.frozen
class Seen:
    """What one run's observation of a citation says."""

    status: Status
    reason: Reason
    http: int | None = 200
    definite: bool = False
    replacement: str | None = None
    message: str = ""
    final_url: str | None = None
    unchanged: bool = False
    reused: bool = False


OK = Seen(Status.VERIFIED, Reason.EXACT)
SAME = Seen(Status.VERIFIED, Reason.EXACT, unchanged=True, reused=True)  # a 304, reused
GONE = Seen(Status.BROKEN, Reason.HTTP_404, 404, replacement=ARCHIVED, message="HTTP 404")
CHANGED = Seen(Status.DRIFTED, Reason.FIGURE_CHANGED, definite=True, message="198, not 189")
BLOCKED = Seen(Status.UNCHECKED, Reason.BLOCKED, 403, message="a bot wall")

# Ten daily runs. What each citation is expected to end as is asserted in the tests.
SCENARIOS: dict[str, tuple[Seen | None, ...]] = {
    "stable": (OK, *[SAME] * 9),
    "dies": (OK, SAME, SAME, *[GONE] * 7),  # failing from run 4, broken at run 7 (3 days)
    "drifts": (OK, SAME, SAME, SAME, *[CHANGED] * 6),  # drift read on the page: at once
    "recovers": (*[GONE] * 5, OK, *[SAME] * 4),  # broken at run 4, recovered at run 6
    "flaps": (OK, GONE) * 5,  # four flips by run 5: flapping
    "blocked": (OK, BLOCKED, BLOCKED, SAME, BLOCKED, SAME, SAME, BLOCKED, SAME, SAME),
    "late": (*[None] * 5, OK, *[SAME] * 4),  # added to the claims in run 6
}


def _hostile() -> dict[CitationKey, tuple[Seen | None, ...]]:
    script = Seen(
        Status.BROKEN,
        Reason.INVALID_URL,
        None,
        definite=True,
        replacement="javascript:alert(5)",
        message=f"not a URL {PAYLOAD} \u202eevil\u202c",
        final_url="data:text/html,<script>alert(6)</script>",
    )
    quoted = Seen(
        Status.DRIFTED,
        Reason.QUOTE_EDITED,
        definite=True,
        message=f"the page says {PAYLOAD}",
        final_url=f"{HOSTILE_URL}#<script>",
        replacement=HOSTILE_URL,
    )
    return {
        CitationKey("<b>hostile</b>", "c|1`\u202e", "javascript:alert(7)"): (script,) * RUNS,
        CitationKey("<b>hostile</b>", '" onmouseover="alert(8)', HOSTILE_URL): (quoted,) * RUNS,
        CitationKey("<b>hostile</b>", "bidi", BIDI_URL): (OK,) * RUNS,
    }


def _key(name: str) -> CitationKey:
    return CitationKey("statement", name, f"https://example.org/{name}")


def all_scenarios(hostile: bool) -> dict[CitationKey, tuple[Seen | None, ...]]:
    scenarios = {_key(name): seen for name, seen in SCENARIOS.items()}
    return {**scenarios, **(_hostile() if hostile else {})}


def write_history(
    path: Path,
    scenarios: dict[CitationKey, tuple[Seen | None, ...]],
    *,
    runs: int = RUNS,
    policy: AuditPolicy = POLICY,
) -> list[AuditResult]:
    """Write ``runs`` daily runs as ``claimcheck audit`` does (the state machine advanced per
    observation, recorded with it in one transaction); return each run's summary as the audit
    reported it that night."""
    results = []
    with History(path) as log:
        healths: dict[CitationKey, Health] = {}
        for index in range(runs):
            at = T0 + dt.timedelta(days=index)
            run = log.start_run(at, {"policy": policy.to_json(), "claimcheck": "0.test"})
            for number, (key, timeline) in enumerate(scenarios.items()):
                seen = timeline[index]
                if seen is None:
                    continue
                outcome = Outcome.of(seen.status)
                health = advance(
                    healths.get(key, Health()),
                    outcome,
                    at=at,
                    run_id=run.id,
                    policy=policy,
                    definite=seen.definite,
                )
                healths[key] = health
                observation = Observation(
                    run_id=run.id,
                    key=key,
                    kind="quote",
                    claim_hash="sha256:" + "0" * 64,
                    observed_at=at + dt.timedelta(seconds=number),
                    status=seen.status,
                    reason=seen.reason,
                    message=seen.message or seen.reason.value,
                    outcome=outcome,
                    definite=seen.definite,
                    claims_file="claims/statement.toml",
                    http_status=seen.http,
                    final_url=seen.final_url or key.url,
                    unchanged=seen.unchanged,
                    reused=seen.reused,
                    replacement=seen.replacement,
                    bytes=0 if seen.unchanged else 1000,
                )
                archive = ARCHIVED if key.claim_id == "dies" else None
                log.record(
                    observation,
                    citation=health,
                    url_state=UrlState(key.url, health, archive_url=archive),
                )
            log.finish_run(run.id, at + dt.timedelta(minutes=5), cpu_seconds=1.5)
            results.append(summarize(log, log.run(run.id)))
    return results


@attrs.frozen
class Built:
    path: Path
    scenarios: dict[CitationKey, tuple[Seen | None, ...]]
    reported: list[AuditResult]


def by_claim(history: AuditHistory) -> dict[str, Any]:
    return {source.claim_id: source for source in history.sources}


def expected_counts(scenarios: dict[CitationKey, tuple[Seen | None, ...]]) -> list[Counter[str]]:
    return [
        Counter(seen[index].status.value for seen in scenarios.values() if seen[index])
        for index in range(RUNS)
    ]


def report_schema() -> dict[str, Any]:
    text = resources.files("claimcheck").joinpath("schemas/audit-report.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def bulk_history(
    path: Path, sources: int, runs: int, *, broken_every: int = 0, flapping_every: int = 0
) -> None:
    """A large history written with sqlite3 directly (the documented schema, created by the
    module's own migrations): every citation verified in every run, but every
    ``broken_every``-th one broken from the middle run on, and every ``flapping_every``-th
    one broken every other run."""
    History(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
    observations = []
    for run in range(1, runs + 1):
        at = T0 + dt.timedelta(days=run - 1)
        connection.execute(
            "INSERT INTO runs (id, started, finished, state, options) VALUES (?, ?, ?, "
            "'complete', ?)",
            (run, at.strftime(stamp), at.strftime(stamp), json.dumps({"policy": {}})),
        )
        for number in range(sources):
            broken = (broken_every and number % broken_every == 0 and run > runs // 2) or (
                flapping_every and number % flapping_every == 1 and run % 2
            )
            observations.append(
                (
                    run,
                    "s",
                    f"c{number}",
                    f"https://example.org/{number}",
                    (at + dt.timedelta(seconds=number)).strftime(stamp),
                    "broken" if broken else "verified",
                    "http-404" if broken else "exact",
                    "broken" if broken else "ok",
                    404 if broken else 200,
                )
            )
    connection.executemany(
        "INSERT INTO observations (run_id, statement, claim_id, kind, claim_hash, url, "
        "observed_at, status, reason, message, outcome, http_status) "
        "VALUES (?, ?, ?, 'quote', 'h', ?, ?, ?, ?, 'message', ?, ?)",
        observations,
    )
    connection.execute(
        "INSERT INTO citations (statement, claim_id, url, state, last_run, last_observation) "
        "SELECT statement, claim_id, url, 'healthy', run_id, max(id) FROM observations "
        "GROUP BY statement, claim_id, url"
    )
    connection.execute("COMMIT")
    connection.close()

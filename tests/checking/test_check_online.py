"""Online checks: the live page and the archived copy "as cited", against local servers only.

Internals tested directly (private modules): the judge's module (``claimcheck.checking._judge``),
patched to count the matches it makes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import claimcheck
import claimcheck.checking._judge as judge_module
from claimcheck import ArchiveConfig, Reason, SnapshotStore, Status
from claimcheck.cli import main
from fake_archive import FakeArchive
from servers import LocalServer, page
from support import CHANGED, LOCAL_FETCH, ORIGINAL, QUOTE, quote_claims

FORBIDDEN = "<html><title>Just a moment...</title><body>Checking your browser</body></html>"


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        yield fake


@pytest.fixture
def origin() -> Iterator[LocalServer]:
    routes = {
        "/same": page(ORIGINAL),
        "/changed": page(CHANGED),
        "/gone": page("<h1>Not found</h1>", status=404),
        "/gone-unarchived": page("<h1>Not found</h1>", status=404),
        "/elsewhere": page("<p>Nothing about it here at all, only weather news.</p>"),
        "/walled": page(
            FORBIDDEN, status=403, headers=[("cf-mitigated", "challenge"), ("server", "cloudflare")]
        ),
    }
    with LocalServer(routes) as server:
        yield server


def claims_for(urls: list[str]) -> claimcheck.ClaimSet:
    """A quote claim of ``QUOTE`` citing each URL, named by the URL's last segment."""
    return quote_claims({url.rsplit("/", 1)[-1]: url for url in urls}, QUOTE, statement="online")


def run_check(
    claim_set: claimcheck.ClaimSet, store: Path, archive: FakeArchive
) -> dict[str, claimcheck.Verdict]:
    report = claimcheck.check(
        claim_set,
        snapshots=SnapshotStore(store, create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        copies="live",
    )
    return {result.claim.id or "": result.verdicts[0] for result in report.results}


def test_both_copies_decide_the_verdict(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    for path in ("/changed", "/gone", "/walled"):
        archive.add(origin.url + path, "20210301000000", ORIGINAL.encode())
    urls = [
        origin.url + p
        for p in ("/same", "/changed", "/gone", "/gone-unarchived", "/elsewhere", "/walled")
    ]
    verdicts = run_check(claims_for(urls), tmp_path / "store", archive)

    assert (verdicts["same"].status, verdicts["same"].reason) == (Status.VERIFIED, Reason.EXACT)

    changed = verdicts["changed"]
    assert (changed.status, changed.reason) == (Status.DRIFTED, Reason.CONTENT_CHANGED)
    assert changed.evidence is not None
    assert changed.archived_evidence is not None
    assert "198" in (changed.evidence.passage or "")
    assert "189" in (changed.archived_evidence.passage or "")

    gone = verdicts["gone"]
    assert (gone.status, gone.reason) == (Status.BROKEN, Reason.DEAD_LINK)
    assert gone.replacement is not None
    assert "20210301000000" in gone.replacement
    assert "404" in gone.message

    unarchived = verdicts["gone-unarchived"]
    assert (unarchived.status, unarchived.reason) == (Status.BROKEN, Reason.NO_ARCHIVE)

    elsewhere = verdicts["elsewhere"]
    assert (elsewhere.status, elsewhere.reason) == (Status.BROKEN, Reason.NOT_FOUND)

    walled = verdicts["walled"]
    assert walled.status is Status.VERIFIED  # the bot wall hides the page, the archive has it
    assert "could not be read" in walled.message


def test_the_archive_is_asked_only_when_the_live_page_does_not_verify(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    run_check(claims_for([origin.url + "/same"]), tmp_path / "store", archive)
    assert archive.calls_to("/cdx") == []


def test_an_archive_rate_limit_is_not_a_dead_archive(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    archive.add(origin.url + "/gone", "20210301000000", ORIGINAL.encode())
    archive.answer_429(times=100, retry_after="120")
    verdicts = run_check(claims_for([origin.url + "/gone"]), tmp_path / "store", archive)
    gone = verdicts["gone"]
    assert gone.status is Status.BROKEN
    assert gone.reason is Reason.HTTP_404  # the archive was not consulted: no "no-archive" claim
    assert gone.replacement is None


def test_what_was_fetched_is_checked_again_offline(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    archive.add(origin.url + "/changed", "20210301000000", ORIGINAL.encode())
    urls = [origin.url + p for p in ("/same", "/changed", "/gone-unarchived")]
    online = run_check(claims_for(urls), tmp_path / "store", archive)
    report = claimcheck.check(claims_for(urls), snapshots=tmp_path / "store", copies="stored")
    offline = {result.claim.id: result.verdicts[0] for result in report.results}
    assert offline["same"].reason is online["same"].reason is Reason.EXACT
    assert offline["changed"].reason is Reason.CONTENT_CHANGED
    # the stored 404 answer, and the archive lookup that found no copy (recorded as failures)
    assert offline["gone-unarchived"].reason is online["gone-unarchived"].reason
    assert offline["gone-unarchived"].reason is Reason.NO_ARCHIVE


def test_cli_fetch_then_check(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path, unthrottled_archives: Path
) -> None:
    archive.add(origin.url + "/changed", "20210301000000", ORIGINAL.encode())
    statement = tmp_path / "statement.md"
    statement.write_text(f"They said that {QUOTE} last month.\n", encoding="utf-8")
    claims = tmp_path / "claims.toml"
    claims.write_text(
        f"""
[statement]
text = "statement.md"

[[claim]]
id = "denied"
kind = "quote"
text = "{QUOTE}"

[[claim.source]]
url = "{origin.url}/changed"
accessed = 2021-04-20
""",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    common = ["--snapshots", str(store), "--wayback", archive.base_url, "--deadline", "10"]
    common += ["--allow-private-addresses", "--config", str(unthrottled_archives)]
    assert main(["snapshot", "fetch", str(claims), *common]) == 0
    origins = {snapshot.origin for snapshot in SnapshotStore(store).snapshots()}
    assert origins == {"live", "archive"}
    assert (
        main(
            [
                "check",
                str(claims),
                "--offline",
                "--snapshots",
                str(store),
                "--format",
                "json",
                "-o",
                str(tmp_path / "r.json"),
            ]
        )
        == 1
    )
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (source,) = report["claims"][0]["sources"]
    assert source["reason"] == "content-changed"
    assert source["archived"]["snapshot"]["origin"] == "archive"


def test_cli_save_page_now(
    archive: FakeArchive, monkeypatch: pytest.MonkeyPatch, unthrottled_archives: Path
) -> None:
    save = ["snapshot", "save", "https://example.org/page", "--poll-interval", "0.01"]
    save += ["--config", str(unthrottled_archives)]
    save += ["--save-page-now", archive.base_url + "/save"]
    monkeypatch.delenv("CLAIMCHECK_IA_ACCESS_KEY", raising=False)
    monkeypatch.delenv("CLAIMCHECK_IA_SECRET_KEY", raising=False)
    assert main(save) == 2  # never anonymously
    monkeypatch.setenv("CLAIMCHECK_IA_ACCESS_KEY", archive.keys[0])
    monkeypatch.setenv("CLAIMCHECK_IA_SECRET_KEY", archive.keys[1])
    assert main(save) == 0
    (submitted,) = archive.calls_to("/save")[:1]
    assert submitted is not None


def test_progress_reports_every_stage(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    steps: list[claimcheck.Progress] = []
    urls = [origin.url + path for path in ("/same", "/changed", "/gone")]
    claimcheck.check(
        claims_for(urls),
        snapshots=SnapshotStore(tmp_path / "store", create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        progress=steps.append,
        copies="live",
    )
    stages = [step.stage for step in steps]
    assert stages.index("fetch") < stages.index("archive") < stages.index("check")
    fetch = [step for step in steps if step.stage == "fetch"]
    assert {step.total for step in fetch} == {3}
    assert max(step.done for step in fetch) == 3
    assert [step.done for step in fetch if step.done] == [1, 2, 3]  # counted once each, in order
    assert all(step.url in urls for step in fetch)
    archived = [step for step in steps if step.stage == "archive"]
    assert archived[-1].done == archived[-1].total == 2  # the changed and the gone page
    checked = [step for step in steps if step.stage == "check"]
    assert [step.done for step in checked] == [0, 1, 2, 3]


def test_an_online_check_records_nothing_into_an_unnamed_store(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``./snapshots`` is used offline when it exists, but an online check without a named
    store records into a temporary one: it never writes into a store nobody named."""
    existing = SnapshotStore(tmp_path / "snapshots", create=True)
    monkeypatch.chdir(tmp_path)
    claimcheck.check(
        claims_for([origin.url + "/same"]),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        copies="live",
    )
    assert list(existing.snapshots(origin.url + "/same")) == []


def test_each_copy_is_matched_once_and_each_archive_lookup_made_once(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The judge reads a copy once per claim (not once to decide whether to ask the archive and
    again to judge), and looks a URL up in the archives once however many claims cite it."""

    matched: list[tuple[str | None, str]] = []
    real = judge_module.match_claim

    def counting(claim: claimcheck.Claim, text: object, **options: object) -> object:
        matched.append((claim.id, getattr(text, "text", "")))
        return real(claim, text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(judge_module, "match_claim", counting)
    for path in ("/changed", "/gone"):
        archive.add(origin.url + path, "20210301000000", ORIGINAL.encode())
    urls = [origin.url + p for p in ("/same", "/changed", "/gone", "/elsewhere")]
    claim_set = claims_for(urls)
    twice = attrs.evolve(claim_set.claims[1], id="changed-again")
    verdicts = run_check(
        attrs.evolve(claim_set, claims=(*claim_set.claims, twice)), tmp_path / "store", archive
    )
    assert verdicts["changed"].reason is verdicts["changed-again"].reason is Reason.CONTENT_CHANGED
    assert len(matched) == len(set(matched))
    # same: live; changed (twice), gone: live + archived / archived; elsewhere: live only
    assert len(matched) == 1 + 2 * 2 + 1 + 1
    cdx = [call for call in archive.calls_to("/cdx") if "changed" in str(call)]
    assert len(cdx) == 1

"""What a verdict says when the web archive gives no copy (a blocked site, a rate limit, an error
status, no answer in time): the archive's answer in plain words, after the live page's, never a
Java exception line or the archive's URL. And every verdict message is a plain sentence whose
brackets pair up, whatever brackets the cited URL, the redirects or the servers' texts hold.

Against a local origin and the fake archive (``fake_archive.py``), which answer as the real
servers do."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimcheck
from claimcheck import ArchiveConfig, Reason, SnapshotStore, Status
from fake_archive import FakeArchive
from servers import HTML, LocalServer, RequestHandler
from support import LOCAL_FETCH, ORIGINAL, QUOTE, balanced, quote_claims

ARCHIVED = "19961231000000"  # the archived copy "as cited", before the claims' accessed date


def origin_route(handler: RequestHandler) -> None:
    """``/gone…``: 404 Not Found; ``/moved/<rest>``: a redirect to ``/gone/<rest>``;
    ``/phrase/<text>``: 404 with the reason phrase ``<text>``; ``/walled…``: a bot wall."""
    path = handler.path
    if path.startswith("/moved/"):
        handler.send(302, "", headers=[("Location", "/gone/" + path[len("/moved/") :])])
    elif path.startswith("/phrase/"):
        phrase = path[len("/phrase/") :].replace("%20", " ")
        body = b"<h1>gone</h1>"
        handler.done()
        handler.send_response_only(404, phrase)
        for name, value in (("Content-Type", HTML), ("Content-Length", str(len(body)))):
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    elif path.startswith("/walled"):
        handler.send(
            403,
            "<html><title>Just a moment...</title><body>Checking your browser</body></html>",
            headers=[("cf-mitigated", "challenge"), ("server", "cloudflare")],
        )
    else:
        handler.send(404, "<h1>Not found</h1>")


@pytest.fixture
def origin() -> Iterator[LocalServer]:
    with LocalServer({"*": origin_route}) as server:
        yield server


@pytest.fixture
def archive() -> Iterator[FakeArchive]:
    with FakeArchive() as fake:
        yield fake


def verdict_for(
    url: str, archive: FakeArchive, store: Path, deadline: float = 120.0
) -> claimcheck.Verdict:
    config = ArchiveConfig(
        wayback=archive.base_url,
        requests_per_minute=6000.0,
        backoff_after_429=0.0,
        deadline=deadline,
    )
    report = claimcheck.check(
        quote_claims({"only": url}, QUOTE),
        snapshots=SnapshotStore(store, create=True),
        fetch=LOCAL_FETCH,
        archives=config,
        copies="live",
    )
    return report.results[0].verdicts[0]


def test_a_blocked_site_is_said_in_plain_words(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    url = origin.url + "/gone"
    archive.add(url, ARCHIVED, ORIGINAL.encode())
    archive.block(url)
    verdict = verdict_for(url, archive, tmp_path / "store")
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.HTTP_404)
    assert verdict.message == (
        "the server answered 404 Not Found; the archive refused the lookup: blocked site"
    )


def test_an_archive_rate_limit_is_said_without_its_url(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    archive.answer_429(times=100, retry_after="120")
    verdict = verdict_for(origin.url + "/gone", archive, tmp_path / "store")
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.HTTP_404)
    assert verdict.message == (
        "the server answered 404 Not Found; the web archive asked us to slow down, for 120 s"
    )


def test_an_archive_error_status_is_said_without_its_text(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    archive.cdx_error = (504, "<html><h1>504 Gateway Time-out (nginx</h1></html>")
    verdict = verdict_for(origin.url + "/gone", archive, tmp_path / "store")
    assert (
        verdict.message == "the server answered 404 Not Found; the archive lookup failed: HTTP 504"
    )


def test_an_archive_that_does_not_answer_in_time_is_said(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    archive.stall("/cdx")
    verdict = verdict_for(origin.url + "/gone", archive, tmp_path / "store", deadline=0.5)
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.HTTP_404)
    assert verdict.message == (
        "the server answered 404 Not Found;"
        " the archive lookup failed: no complete answer within the 0.5 s deadline"
    )


def test_a_refused_url_is_not_asked_about_again(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    """One check citing a blocked URL as accessed on two dates asks the archive once."""
    url = origin.url + "/gone"
    archive.block(url)
    claims = quote_claims({"a": url, "b": url}, QUOTE)
    second = claims.claims[1]
    later = attrs.evolve(second.sources[0], accessed=dt.date(2022, 1, 1))
    claims = attrs.evolve(claims, claims=(claims.claims[0], attrs.evolve(second, sources=(later,))))
    report = claimcheck.check(
        claims,
        snapshots=SnapshotStore(tmp_path / "store", create=True),
        fetch=LOCAL_FETCH,
        archives=ArchiveConfig(wayback=archive.base_url, requests_per_minute=6000.0),
        copies="live",
    )
    assert [r.verdicts[0].message for r in report.results] == [
        "the server answered 404 Not Found; the archive refused the lookup: blocked site"
    ] * 2
    assert len(archive.calls_to("/cdx")) == 1


def test_a_dead_link_with_an_archived_copy_pairs_its_brackets(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    """It read "the link is dead (the server answered 404 Not Found (at …/gone/a(b, after 1
    redirect)); the archived copy of 1996-12-31 has the claim: cite …/moved/a(b instead"."""
    url = origin.url + "/moved/a(b"
    archive.add(url, ARCHIVED, ORIGINAL.encode())
    verdict = verdict_for(url, archive, tmp_path / "store")
    assert (verdict.status, verdict.reason) == (Status.BROKEN, Reason.DEAD_LINK)
    assert verdict.replacement == f"{archive.base_url}/web/{ARCHIVED}/{url}"  # as it is
    assert verdict.message == (
        f"the link is dead: the server answered 404 Not Found after 1 redirect to"
        f" {origin.url}/gone/a%28b; the archived copy of 1996-12-31 has the claim:"
        f" cite {archive.base_url}/web/{ARCHIVED}/{origin.url}/moved/a%28b instead"
    )
    assert balanced(verdict.message)


def test_a_wikipedia_style_url_is_shown_as_written(
    origin: LocalServer, archive: FakeArchive, tmp_path: Path
) -> None:
    url = origin.url + "/gone/Foo_(bar)"
    archive.add(url, ARCHIVED, ORIGINAL.encode())
    verdict = verdict_for(url, archive, tmp_path / "store")
    assert verdict.message.endswith(f"cite {archive.base_url}/web/{ARCHIVED}/{url} instead")


BRACKETED = st.text(alphabet="ab()[]", min_size=1, max_size=10)
BEHAVIOURS = ["holds", "holds-other", "none", "blocked", "429", "error"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["/gone/", "/moved/", "/phrase/", "/walled/"]),
    path=BRACKETED,
    query=st.none() | BRACKETED,
    behaviour=st.sampled_from(BEHAVIOURS),
    text=BRACKETED,
)
def test_every_verdict_message_pairs_its_brackets(
    origin: LocalServer,
    kind: str,
    path: str,
    query: str | None,
    behaviour: str,
    text: str,
) -> None:
    url = origin.url + kind + path + (f"?q={query}" if query is not None else "")
    with FakeArchive() as archive, tempfile.TemporaryDirectory() as folder:
        if behaviour.startswith("holds"):
            page = ORIGINAL if behaviour == "holds" else f"<p>Other news {text}.</p>"
            archive.add(url, ARCHIVED, page.encode())
        elif behaviour == "blocked":
            archive.block(url)
        elif behaviour == "429":
            archive.answer_429(times=100, retry_after="0")
        elif behaviour == "error":
            archive.cdx_error = (500, f"java.lang.RuntimeException: {text}")
        verdict = verdict_for(url, archive, Path(folder) / "store")
    assert balanced(verdict.message), verdict.message
    assert archive.base_url + "/cdx" not in verdict.message

"""The command line without a network: ``check`` reports every citation unchecked
(``no-network``) with one hint, not one per source, and exits as for any unchecked claim (0 under
the default ``--fail-on``, 1 when ``unchecked`` is named); ``audit`` records a night that
observed nothing, and exits 0.

The network is cut by making every name fail to resolve (``cut_network``): nothing leaves the
machine.

Internals tested directly (private modules): none."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from support import QUOTE, claim_toml, run_cli

HINT = "no network: check against stored captures with --offline"
URLS = ("https://news.example/a", "https://other.example/b", "https://third.example/c")


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    path = tmp_path / "letter.toml"
    entries = "".join(claim_toml(f"q{n}", "quote", QUOTE, url) for n, url in enumerate(URLS))
    path.write_text(f'[statement]\nid = "letter"\n{entries}', encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """An archive of its own (its rate limiter this test's alone), never reached."""
    path = tmp_path / "archives.toml"
    path.write_text(
        '[archives]\nwayback = "https://archive.example"\nrequests_per_minute = 6000\n',
        encoding="utf-8",
    )
    return path


def test_check_without_network_reports_every_citation_unchecked_with_one_hint(
    claims: Path, config: Path, cut_network: Callable[[], list[str]]
) -> None:
    asked = cut_network()
    code, out, err = run_cli("check", claims, "--config", config, "--format", "json")
    report = json.loads(out)
    reasons = {verdict["reason"] for claim in report["claims"] for verdict in claim["sources"]}
    statuses = {claim["status"] for claim in report["claims"]}
    assert (reasons, statuses) == ({"no-network"}, {"unchecked"})
    assert err.count(HINT) == 1
    assert code == 0  # unchecked does not fail the default --fail-on (drifted,broken)
    assert asked.count("archive.example") <= 1

    code, out, err = run_cli("check", claims, "--config", config, "--fail-on", "unchecked")
    assert code == 1
    assert err.count(HINT) == 1
    assert out.count("for want of a network") == len(URLS)  # each source says why; one hint


def test_audit_without_network_observes_nothing_and_exits_0(
    claims: Path, config: Path, tmp_path: Path, cut_network: Callable[[], list[str]]
) -> None:
    cut_network()
    db, store = tmp_path / "audit.sqlite", tmp_path / "snapshots"
    code, out, err = run_cli(
        "audit", claims, "--db", db, "--snapshots", store, "--config", config, "--format", "json"
    )
    result = json.loads(out)
    assert code == 0
    assert result["summary"]["no_network"] == len(URLS)
    assert result["failed"] is False
    assert err.count("no network:") == 1

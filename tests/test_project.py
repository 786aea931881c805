"""The project's own contracts: the public API, the README's commands, lint and types."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import claimcheck

ROOT = Path(__file__).resolve().parents[1]

PUBLIC_API = [
    "ArchiveConfig",
    "ArchiveError",
    "ArchivedCopy",
    "AuditPolicy",
    "AuditResult",
    "Capture",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "ClaimcheckError",
    "ClaimsFileError",
    "ClusterError",
    "CorruptSnapshotError",
    "DaskRunner",
    "DiffKind",
    "Evidence",
    "Extraction",
    "Fetch",
    "FetchConfig",
    "Fetcher",
    "History",
    "HistoryError",
    "InvalidClaimError",
    "Link",
    "Location",
    "MementoClient",
    "MissingCredentialsError",
    "MissingDependencyError",
    "NormalizedText",
    "Problem",
    "Progress",
    "Proposal",
    "RateLimitedError",
    "RateLimiter",
    "Reason",
    "Region",
    "Report",
    "RobustLink",
    "SavePageNow",
    "SaveResult",
    "Snapshot",
    "SnapshotStore",
    "SnapshotStoreError",
    "Source",
    "Statement",
    "Status",
    "Text",
    "TextExtractionError",
    "Verdict",
    "Wayback",
    "WordDiff",
    "__version__",
    "audit",
    "check",
    "claims_toml",
    "extract",
    "extract_text",
    "load",
    "load_audit",
    "match_claim",
    "match_date",
    "match_figure",
    "match_quote",
    "normalize",
    "region_at",
    "render_html",
    "render_text",
    "robustify",
    "text_from_string",
    "to_claimreview",
    "to_json",
    "to_sarif",
    "version_finder",
]


def test_public_api_is_pinned() -> None:
    """Adding or removing a public name is a decision: update this list when you make it."""
    assert sorted(claimcheck.__all__) == sorted(PUBLIC_API)
    for name in claimcheck.__all__:
        assert hasattr(claimcheck, name), name


def test_public_names_come_from_private_modules() -> None:
    for name in claimcheck.__all__:
        module = getattr(getattr(claimcheck, name), "__module__", "claimcheck")
        assert module in ("claimcheck", "claimcheck.errors") or module.split(".")[-1].startswith(
            "_"
        )


def test_errors_form_one_hierarchy() -> None:
    assert issubclass(claimcheck.InvalidClaimError, claimcheck.ClaimcheckError)
    assert issubclass(claimcheck.InvalidClaimError, ValueError)
    assert issubclass(claimcheck.TextExtractionError, claimcheck.ClaimcheckError)
    assert issubclass(claimcheck.TextExtractionError, ValueError)


def test_every_reason_has_a_status_and_is_documented() -> None:
    import claimcheck.model._evidence as _verdicts

    for reason in claimcheck.Reason:
        assert isinstance(reason.status, claimcheck.Status)
        assert f" {reason.value} " in _verdicts.__doc__  # the table in the module docstring


def test_package_is_typed() -> None:
    assert (ROOT / "src" / "claimcheck" / "py.typed").exists()


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.DOTALL)
    commands = [line for block in blocks[:2] for line in block.splitlines() if "pytest" in line]
    assert commands, "the README must open with the test command"
    return commands[0].strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = ci.index("# test command:")
    assert ci[marker + 1].strip() == readme_test_command()


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff not installed")
def test_ruff_is_clean() -> None:
    result = subprocess.run(
        ["ruff", "check", "--quiet", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

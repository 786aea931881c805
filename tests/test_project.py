"""The project's own contracts: the public API, the README's commands, lint and types."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import shutil
import subprocess
import sys

import pytest

import claimcheck
from support import ROOT

PUBLIC_API = [
    "ArchiveConfig",
    "AuditPolicy",
    "AuditResult",
    "Claim",
    "ClaimKind",
    "ClaimResult",
    "ClaimSet",
    "ClaimcheckError",
    "ClaimsFileError",
    "Evidence",
    "FetchConfig",
    "InvalidClaimError",
    "Location",
    "Progress",
    "Reason",
    "Report",
    "Snapshot",
    "SnapshotStore",
    "Source",
    "Statement",
    "Status",
    "Verdict",
    "WordDiff",
    "__version__",
    "audit",
    "check",
    "extract",
    "load",
    "robustify",
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


NAMESPACES = [
    "errors",
    "model",
    "language",
    "documents",
    "matching",
    "store",
    "sources",
    "claimsfile",
    "checking",
    "auditing",
    "authoring",
    "reports",
    "cli",
]


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_each_namespace_offers_its_own_names(namespace: str) -> None:
    """The rest of the API lives in the namespaces of the layers: each says what it offers
    (``__all__``), and offers what its own modules define, never another layer's names."""
    module = importlib.import_module(f"claimcheck.{namespace}")
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith(f"claimcheck.{namespace}"), (name, value.__module__)


def test_errors_form_one_hierarchy() -> None:
    """Every error is a ClaimcheckError and also the builtin a caller would expect."""
    errors = [
        value
        for value in vars(claimcheck.errors).values()
        if inspect.isclass(value) and issubclass(value, Exception)
    ]
    assert claimcheck.ClaimcheckError in errors
    for error in errors:
        assert issubclass(error, claimcheck.ClaimcheckError), error
        if error is not claimcheck.ClaimcheckError:
            builtins = [base for base in error.__mro__ if base.__module__ == "builtins"]
            assert builtins[0] is not Exception, f"{error.__name__} narrows no builtin"
    assert set(claimcheck.errors.__all__) >= {error.__name__ for error in errors}


def test_archive_errors_are_pinned() -> None:
    """What an archive's failure can be is a decision: a caller catching ``ArchiveError``
    catches them all, and each narrower one is told apart by its class. Update this pin when
    you add one (and the tree in ``errors.py``)."""
    errors = claimcheck.errors
    archive_errors = {
        value.__name__
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, errors.ArchiveError)
    }
    assert archive_errors == {
        "ArchiveError",
        "RateLimitedError",
        "BlockedArchiveError",
        "ArchiveUnreachableError",
    }
    assert errors.BlockedArchiveError.__bases__ == (errors.ArchiveError,)
    assert errors.RateLimitedError.__bases__ == (errors.ArchiveError,)
    assert errors.BlockedArchiveError("x", said="blocked site").said == "blocked site"


def test_every_reason_has_a_status_and_is_documented() -> None:
    described = claimcheck.model.reason_descriptions()
    for reason in claimcheck.Reason:
        assert isinstance(reason.status, claimcheck.Status)
        fallback = f"{reason.status.value}: {reason.value}"
        assert described[reason], reason
        assert described[reason] != fallback, reason


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


@pytest.mark.slow  # a cold mypy run takes many seconds
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


MODULE_LINES = 900
FUNCTION_LINES = 80


def test_modules_and_functions_stay_readable() -> None:
    """No module over ~900 lines; no function over ~80 unless its docstring says why it is one
    function ("One loop rather than …", "… in one function because …")."""
    too_long = []
    for path in sorted((ROOT / "src" / "claimcheck").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT / "src")
        if len(source.splitlines()) > MODULE_LINES:
            too_long.append(f"{name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            why = ast.get_docstring(node) or ""
            if length > FUNCTION_LINES and not re.search(r"\bone (loop|function)\b", why, re.I):
                too_long.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []


TESTS = ROOT / "tests"


def test_tests_follow_the_layers() -> None:
    """Each folder of tests is named after the package of ``src/claimcheck`` it tests, and
    test module names are unique (pytest imports them by name: no ``__init__.py``)."""
    packages = {path.parent.name for path in (ROOT / "src" / "claimcheck").glob("*/__init__.py")}
    folders = {path.name for path in TESTS.iterdir() if path.is_dir()} - {"data", "__pycache__"}
    assert folders <= packages, folders - packages
    names = [path.name for path in TESTS.rglob("test_*.py")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert not list(TESTS.rglob("__init__.py"))


def test_tests_that_import_internals_say_so() -> None:
    """A test of public behaviour imports public names (``claimcheck`` or a package's
    namespace); a module that imports a private module says why in its docstring
    ("Internals tested directly")."""
    silent = []
    for path in sorted(TESTS.rglob("test_*.py")):
        if path.name == "test_layers.py":  # it reads src/ as text, imports none of it
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        private = sorted({m for m in modules if m.startswith("claimcheck.") and "._" in m})
        if private and "Internals tested directly" not in (ast.get_docstring(tree) or ""):
            silent.append(f"{path.relative_to(TESTS)}: {', '.join(private)}")
    assert silent == []

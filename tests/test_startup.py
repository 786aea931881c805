"""Start-up (issue 17): ``import claimcheck`` and ``claimcheck --version`` load no heavy library,
and every public name still resolves, each in a fresh interpreter (this one has imported
everything already). What each step costs in time is ``benchmarks/startup.py``'s business: no
timing here."""

from __future__ import annotations

import ast
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import claimcheck
from servers import LocalServer, page
from support import ROOT
from test_project import NAMESPACES

SRC = ROOT / "src"

# The libraries issue 17 names: none may load before it is used.
HEAVY = ("rich", "requests", "dateparser", "lxml", "pypdfium2", "pandas", "dask")
# The others `python -X importtime -c "import claimcheck"` showed among the costly ones.
ALSO_HEAVY = (
    "bs4",
    "rapidfuzz",
    "htmldate",
    "warcio",
    "urllib3",
    "fsspec",
    "regex",
    "markdown_it",
    "tomlkit",
    "attrs",
    "cattrs",
    "sqlite3",
    "asyncio",
)


def _python(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``python arguments`` in a fresh interpreter importing this checkout's claimcheck."""
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, env=environment, check=False
    )


def _loaded(*arguments: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime arguments``; the modules it imported, read from the import
    times it printed on standard error (so the process under test runs no extra code)."""
    done = _python("-X", "importtime", *arguments)
    modules = {
        line.rpartition("|")[2].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return done, modules


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY + ALSO_HEAVY)


def test_import_claimcheck_loads_no_heavy_library() -> None:
    done, modules = _loaded("-c", "import claimcheck")
    assert done.returncode == 0, done.stderr
    assert _heavy(modules) == []
    # Nothing of the library itself either, until a name is used.
    assert sorted(m for m in modules if m.startswith("claimcheck")) == [
        "claimcheck",
        "claimcheck._lazy",
        "claimcheck._version",
        "claimcheck._views",
    ]


@pytest.mark.parametrize("how", ["-m", "console script"])
def test_version_loads_nothing_of_the_library(how: str) -> None:
    if how == "-m":
        done, modules = _loaded("-m", "claimcheck", "--version")
    else:
        script = shutil.which("claimcheck", path=str(Path(sys.executable).parent))
        if script is None:
            pytest.skip("the console script is not installed beside this Python")
        done, modules = _loaded(script, "--version")
    assert (done.returncode, done.stdout) == (0, f"claimcheck {claimcheck.__version__}\n")
    assert _heavy(modules) == []
    assert sorted(m for m in modules if m.startswith("claimcheck")) == [
        "claimcheck",
        "claimcheck._lazy",
        "claimcheck._version",
        "claimcheck._views",
        "claimcheck.cli",
    ]  # (and claimcheck/__main__.py, run as __main__ by -m)


def test_version_says_what_the_parser_says(capsys: pytest.CaptureFixture[str]) -> None:
    """The quick ``--version`` prints exactly the line argparse prints when ``--version`` comes
    with other arguments (and the whole parser is built)."""
    from claimcheck.cli import main

    assert main(["--version"]) == 0
    quick = capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        main(["--version", "check"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == quick == f"claimcheck {claimcheck.__version__}\n"


def test_every_public_name_resolves_in_a_fresh_interpreter() -> None:
    """Every name of ``claimcheck.__all__`` (attribute, ``from claimcheck import name`` and
    ``import *``), every namespace of the library as an attribute after ``import claimcheck``
    alone, and every name of each namespace's ``__all__``."""
    script = f"""
import importlib
import claimcheck
for name in claimcheck.__all__:
    getattr(claimcheck, name)
    exec(f"from claimcheck import {{name}}")
star = {{}}
exec("from claimcheck import *", star)
assert set(claimcheck.__all__) <= set(star), set(claimcheck.__all__) - set(star)
assert set(claimcheck.__all__) <= set(dir(claimcheck))
for namespace in {NAMESPACES!r}:
    module = importlib.import_module("claimcheck." + namespace)
    if namespace != "cli":  # beside the library, not under it: an attribute once imported
        assert getattr(claimcheck, namespace) is module
    for name in module.__all__:
        getattr(module, name)
try:
    claimcheck.no_such_name
except AttributeError as error:
    assert "no_such_name" in str(error)
else:
    raise AssertionError("claimcheck.no_such_name resolved")
print("ok")
"""
    done = _python("-c", script)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")


@pytest.mark.parametrize(
    "first",
    [
        "from claimcheck import Report",
        "from claimcheck.model import Report",
        "from claimcheck.checking import check; from claimcheck.model import Report",
    ],
)
def test_a_notebook_shows_a_report_as_the_table_however_it_was_reached(first: str) -> None:
    """``Report._repr_html_`` draws the reports' table (claimcheck.reports, a layer above the
    model) whichever public way the report's class was imported."""
    done = _python("-c", f"{first}\nprint(Report(())._repr_html_())")
    assert done.returncode == 0, done.stderr
    assert "<table" in done.stdout


@pytest.mark.parametrize(
    "package",
    [
        "claimcheck",
        "claimcheck.sources",
        "claimcheck.documents",
        "claimcheck.model",
        "claimcheck.reports",
        "claimcheck.store",
    ],
)
def test_the_names_mypy_reads_are_the_names_that_resolve(package: str) -> None:
    """A lazy front door (``claimcheck``, ``claimcheck.sources``, ``claimcheck.documents``,
    ``claimcheck.model``, ``claimcheck.reports``, ``claimcheck.store``) imports its public names
    under ``if TYPE_CHECKING:`` (for mypy and readers) and resolves them at run time from a table
    of homes: the two agree, and name every public name."""
    module = importlib.import_module(package)
    path = SRC.joinpath(*package.split("."), "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for_mypy = {
        alias.name: (node.module or "")
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    homes = vars(module)["_HOMES"]
    assert for_mypy == homes
    assert sorted(homes) == sorted(set(module.__all__) - {"__version__"})


def test_the_whole_library_loads_the_costliest_libraries_only_when_used() -> None:
    """Every namespace imported (what any command loads before it starts) still leaves out the
    libraries only some work needs: PDFs (pypdfium2), a page without a dated ``<meta>`` tag
    (htmldate), a date only dateparser reads, a terminal rendering (rich), a DataFrame (pandas),
    a cluster (dask), a proposed claims file (tomlkit)."""
    namespaces = ", ".join(f"claimcheck.{namespace}" for namespace in NAMESPACES)
    done, modules = _loaded("-c", f"import {namespaces}")
    assert done.returncode == 0, done.stderr
    deferred = ("pypdfium2", "htmldate", "dateparser", "rich", "pandas", "dask", "tomlkit")
    assert sorted(m for m in modules if m.split(".")[0] in deferred) == []


# What a link check needs is the transport, politeness and what an answer means; none of these.
NOT_FOR_A_FETCH = (
    "claimcheck.store",
    "claimcheck.language",
    "claimcheck.matching",
    "claimcheck.sources._archive",
    "claimcheck.sources._wayback",
    "claimcheck.sources._memento",
    "claimcheck.sources._savepagenow",
    "claimcheck.documents._extraction",  # text extraction: only to compare a soft-404 probe
    "claimcheck.documents._statement",
    "claimcheck.documents._claims",
    "claimcheck.model._claims",  # claims and reports: a fetch needs the reasons, not them
    "claimcheck.model._results",
)
NOT_FOR_A_FETCH_LIBRARIES = (
    "tomllib",  # a configuration file's: FetchConfig(...) in code reads none
    "warcio",
    "fsspec",
    "sqlite3",
    "markdown_it",
    "lxml",
    "rapidfuzz",
    "pypdfium2",
    "dateparser",
    "regex",
    "rich",
)


def _modules_after(script: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``script`` in a fresh interpreter; what it printed, and every module loaded by its
    end (read from ``sys.modules``: ``-X importtime`` does not log a module loaded by
    ``importlib.import_module``, as a lazy front door loads what it offers)."""
    done = _python("-c", f"{script}\nimport sys\nprint('modules:', *sorted(sys.modules))")
    printed, _, modules = done.stdout.rpartition("modules: ")
    return subprocess.CompletedProcess(done.args, done.returncode, printed, done.stderr), set(
        modules.split()
    )


def _fetch_leaves_out(modules: set[str]) -> list[str]:
    return sorted(
        m
        for m in modules
        if m.split(".")[0] in NOT_FOR_A_FETCH_LIBRARIES
        or any(m == name or m.startswith(name + ".") for name in NOT_FOR_A_FETCH)
    )


def test_the_fetcher_loads_neither_the_store_nor_the_archives_nor_text_extraction() -> None:
    """``from claimcheck.sources import Fetcher`` (a link checker's first line) loads the one
    HTTP transport and what an answer means, not the store, the archive clients, the statement
    reader, text extraction or the matching; the libraries behind them (warcio, fsspec, sqlite3,
    markdown-it, lxml, rapidfuzz) stay out (issue 17: a link check starts at once)."""
    done, modules = _modules_after("from claimcheck.sources import Fetcher, FetchConfig")
    assert done.returncode == 0, done.stderr
    assert "claimcheck.sources._fetch" in modules
    assert _fetch_leaves_out(modules) == []


def test_fetching_honest_pages_loads_nothing_more() -> None:
    """Fetching pages that answer fine, from a server that answers 404 for a made-up address
    (the soft-404 probe's), leaves all of that out too: text extraction and the comparison of
    texts are loaded only when a probe's answer must be compared with a page's."""
    routes = {"/docs/a": page("<p>a page</p>"), "/docs/b": page("<p>another page</p>")}
    with LocalServer(routes) as server:  # anything else: 404
        script = f"""
from claimcheck.sources import FetchConfig, Fetcher
config = FetchConfig(allow_private_addresses=True, retries=0)
with Fetcher(config) as fetcher:
    urls = ["{server.url}/docs/a", "{server.url}/docs/b"]
    results = fetcher.fetch_many(urls)
print(sorted(str(fetch.reason) for fetch in results.values()))
"""
        done, modules = _modules_after(script)
        probes = [path for path in server.stats.hits if path not in ("/docs/a", "/docs/b")]
    assert (done.returncode, done.stdout) == (0, "['None', 'None']\n"), done.stderr
    assert len(probes) == 1  # the soft-404 probe was made, and answered 404
    assert _fetch_leaves_out(modules) == []


# What a command's help needs is argparse and the command line's own words: none of the
# libraries issue 17 names, nor the HTTP transport, the store's or the matching's libraries.
NOT_FOR_A_HELP = (
    *HEAVY,
    "warcio",
    "fsspec",
    "rapidfuzz",
    "urllib3",
    "bs4",
    "htmldate",
    "regex",
    "markdown_it",
    "tomlkit",
    "sqlite3",
    "asyncio",
)
# Nor the library beneath the command line: its parser is built from light tables.
NOT_FOR_A_HELP_MODULES = (
    "claimcheck.checking",
    "claimcheck.auditing",
    "claimcheck.authoring",
    "claimcheck.claimsfile",
    "claimcheck.matching",
    "claimcheck.language",
    "claimcheck.store.",
    "claimcheck.sources.",
    "claimcheck.reports._registry",
    "claimcheck.cli._audit",
    "claimcheck.cli._snapshot",
)


@pytest.mark.parametrize(
    "words",
    [["--help"], ["check", "--help"], ["check", "-h"], ["extract", "-h"], ["robustify", "-h"]],
)
def test_a_help_loads_no_heavy_library(words: list[str]) -> None:
    """``claimcheck --help``, ``claimcheck check --help`` (and ``extract``'s, ``robustify``'s)
    print their help having loaded none of the heavy libraries and nothing of the library
    beneath the command line: only the command named has its parser built (issue 17: a help
    costs about what starting Python does)."""
    script = f"""
from claimcheck.cli import main
try:
    main({words!r})
except SystemExit as exit:
    assert exit.code == 0, exit.code
"""
    done, modules = _modules_after(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: claimcheck {' '.join([*words[:-1], '[-h]'])}")
    assert sorted(m for m in modules if m.split(".")[0] in NOT_FOR_A_HELP) == []
    assert sorted(m for m in modules if m.startswith(NOT_FOR_A_HELP_MODULES)) == []

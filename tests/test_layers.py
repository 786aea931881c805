"""The layers of ``src/claimcheck``: imports run one way only, downward, and never in a cycle.

The packages, top to bottom (README, "Architecture"). A module may import its own package and any
package *below* its own; packages on one line are independent of each other. Across packages,
a module imports a package's public namespace (``from ..language import normalize``), never
one of its private modules or private names; every import of claimcheck's own code stands at the
top of its module, where a reader sees it (an import hidden in a function is how cycles hide), or
under its top-level ``if TYPE_CHECKING:`` (read by mypy only). One exception: a package's front
door (its ``__init__``) may defer importing what it offers to the function that first needs it,
so that ``import claimcheck`` and ``claimcheck --version`` load nothing heavy (issue 17), and so
may the command line's modules (``cli``, the top layer: a command imports the library inside the
function that runs it, so that a help or a usage error loads none of it); a deferred import
obeys every other rule and counts for cycles.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "claimcheck"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),
    ("__init__", "cli"),
    ("reports",),
    ("authoring",),
    ("auditing",),
    ("checking",),
    ("claimsfile",),
    ("sources",),
    ("store",),
    ("matching",),
    ("documents",),
    ("language",),
    ("model",),
    ("errors", "_version", "_views", "_lazy"),
)


def rank(package: str) -> int:
    """How deep ``package`` lies: 0 is the top."""
    for depth, packages in enumerate(LAYERS):
        if package in packages:
            return depth
    raise AssertionError(f"claimcheck.{package} belongs to no layer: add it to LAYERS")


def package_of(module: str) -> str:
    """``claimcheck.language._numbers`` -> ``language``; the package module itself ->
    ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


_TYPE_CHECKING = ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def imports_of(
    module: str, source: str, *, is_package: bool
) -> Iterable[tuple[str, str, int, bool]]:
    """``(imported module, imported name or "", line, at top level)`` for every import of
    claimcheck's own code in ``source``; the top level includes a top-level ``if
    TYPE_CHECKING:``'s body."""
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in _TYPE_CHECKING:
            top.update(id(child) for child in node.body)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "claimcheck":
                    yield alias.name, "", node.lineno, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, is_package, node)
            if target.split(".")[0] != "claimcheck":
                continue
            for alias in node.names:
                yield target, alias.name, node.lineno, id(node) in top


def violations(modules: Mapping[str, tuple[str, bool]]) -> list[str]:
    """Every breach of the layering rules by ``modules`` (name -> (source, is package))."""
    found: list[str] = []
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for module, (source, is_package) in sorted(modules.items()):
        here = package_of(module)
        for target, name, line, at_top in imports_of(module, source, is_package=is_package):
            where = f"{module}:{line}"
            full = f"{target}.{name}" if name else target
            imported = full if full in modules else target
            there = package_of(imported)
            if not at_top and not is_package and here != "cli":  # may defer (the docstring)
                found.append(f"{where}: imports {full} inside a function")
            if there != here:
                if rank(there) <= rank(here):
                    found.append(f"{where}: imports {full} from a layer not below its own")
                private = [p for p in imported.split(".")[2:] if p.startswith("_")]
                if private or (name.startswith("_") and not name.startswith("__")):
                    found.append(f"{where}: imports private {full} across packages")
            if imported in graph and imported != module:
                graph[module].add(imported)
    found.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in _cycles(graph))
    return found


def _cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = itertools.count()

    def visit(node: str) -> None:
        index[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def source_modules() -> dict[str, tuple[str, bool]]:
    modules = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC.parent).with_suffix("")
        is_package = relative.name == "__init__"
        name = ".".join(relative.parts[:-1] if is_package else relative.parts)
        modules[name] = (path.read_text(encoding="utf-8"), is_package)
    return modules


# Breaches the layering still has, being removed (issue 12), without their line numbers; the
# list only ever shrinks.
KNOWN: frozenset[str] = frozenset()


def test_imports_run_only_downward_and_never_in_a_cycle() -> None:
    found = [re.sub(r":\d+:", ":", v, count=1) for v in violations(source_modules())]
    assert [v for v in found if v not in KNOWN] == []
    assert [k for k in KNOWN if k not in found] == [], "fixed: remove from KNOWN"


def test_every_package_has_a_layer() -> None:
    for path in SRC.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            rank(path.name)


# The rules themselves, on made-up modules: the test above would fail on each of these.


def _modules(**sources: str) -> dict[str, tuple[str, bool]]:
    made = {
        "claimcheck": ("", True),
        "claimcheck.language": ("from ._numbers import find\n", True),
        "claimcheck.language._numbers": ("def find(): ...\n", False),
        "claimcheck.matching": ("", True),
        "claimcheck.checking": ("", True),
    }
    made.update({name.replace("__", "."): (text, False) for name, text in sources.items()})
    return made


def test_an_upward_import_is_refused() -> None:
    found = violations(_modules(claimcheck__language___dates="from ..matching import locate\n"))
    assert found == [
        "claimcheck.language._dates:1: imports claimcheck.matching.locate from a layer not below"
        " its own"
    ]


def test_a_downward_import_of_the_public_namespace_is_allowed() -> None:
    assert violations(_modules(claimcheck__matching___quote="from ..language import find\n")) == []


def test_a_private_module_across_packages_is_refused() -> None:
    found = violations(
        _modules(claimcheck__matching___quote="from ..language._numbers import find\n")
    )
    assert found == [
        "claimcheck.matching._quote:1: imports private claimcheck.language._numbers.find across"
        " packages"
    ]


def test_an_import_inside_a_function_is_refused() -> None:
    found = violations(
        _modules(claimcheck__matching___quote="def f():\n    from ..language import find\n")
    )
    assert found == [
        "claimcheck.matching._quote:2: imports claimcheck.language.find inside a function"
    ]


def test_a_front_door_may_defer_an_import_that_obeys_the_other_rules() -> None:
    front_door = _modules()
    front_door["claimcheck.language"] = ("def find():\n    from ._numbers import find\n", True)
    assert violations(front_door) == []
    front_door["claimcheck.language"] = ("def find():\n    from ..matching import find\n", True)
    assert violations(front_door) == [
        "claimcheck.language:2: imports claimcheck.matching.find from a layer not below its own"
    ]
    elsewhere = _modules(claimcheck__language___dates="def f():\n    from ._numbers import find\n")
    assert violations(elsewhere) == [
        "claimcheck.language._dates:2: imports claimcheck.language._numbers.find inside a function"
    ]


def test_an_import_for_mypy_only_stands_at_the_top_and_obeys_the_rules() -> None:
    checking = "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from ..language import find\n"
    assert violations(_modules(claimcheck__matching___quote=checking)) == []
    upward = checking.replace("..language import find", "..checking import check")
    found = violations(_modules(claimcheck__matching___quote=upward))
    assert found == [
        "claimcheck.matching._quote:3: imports claimcheck.checking.check from a layer not below"
        " its own"
    ]


def test_an_import_between_independent_packages_is_refused() -> None:
    found = violations(_modules(claimcheck__errors="from ._version import __version__\n"))
    assert "from a layer not below its own" in found[0]


def test_a_cycle_inside_a_package_is_refused() -> None:
    found = violations(
        _modules(
            claimcheck__matching___quote="from ._figure import a\n",
            claimcheck__matching___figure="from ._quote import b\n",
        )
    )
    assert found == ["import cycle: claimcheck.matching._figure -> claimcheck.matching._quote"]


@pytest.mark.parametrize("package", ["model", "language", "errors"])
def test_the_bottom_imports_nothing_above(package: str) -> None:
    assert rank(package) > rank("matching")

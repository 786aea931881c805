"""Names of a package imported the first time they are used (PEP 562): the one rule of the
package front doors that load lazily (``claimcheck``, ``claimcheck.sources``,
``claimcheck.documents``, ``claimcheck.model``, ``claimcheck.reports``, ``claimcheck.store``),
so that a program pays only for the parts it uses.

Imports nothing at module level beyond what Python's start-up has loaded, not even
``__future__`` (the annotations are strings): ``claimcheck --version`` goes through here.
"""

TYPE_CHECKING = False  # not typing's: importing typing would cost more than this module
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, MutableMapping


def lazy_names(
    package: str,
    namespace: "MutableMapping[str, object]",
    homes: "Mapping[str, str]",
    subpackages: "Collection[str]" = (),
) -> "tuple[Callable[[str], object], Callable[[], list[str]]]":
    """The module ``__getattr__`` and ``__dir__`` of ``package``: a name of ``homes`` (name ->
    module within the package) is imported from its module when first asked for and kept in
    ``namespace`` (the package's globals), so it is looked up only once; a name of
    ``subpackages`` is imported as a namespace; any other name is an :class:`AttributeError`."""

    def attribute(name: str) -> object:
        import importlib

        if name in subpackages:
            return importlib.import_module(f"{package}.{name}")
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *homes, *subpackages})

    return attribute, names

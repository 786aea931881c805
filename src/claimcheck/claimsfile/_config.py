"""The configuration file: :func:`find_config` looks for it walking up from the claims files (as
ruff does), :func:`load_config` reads one into a :class:`Config`; and the store rule,
:func:`find_store`, which :func:`~claimcheck.check` and every command share.

A configuration is ``claimcheck.toml``, or the ``[tool.claimcheck]`` table of a
``pyproject.toml``: in each folder from the start up to the file system's root, the first
``claimcheck.toml``, else a ``pyproject.toml`` that has a ``[tool.claimcheck]`` table (one
without is somebody else's file, and the walk goes on). Keys are snake_case, as in the
``[archives]`` table older files have and as the library's settings are named (``per_host``,
``fail_on``); paths are relative to the file's folder.

This module checks what the file can say on its own: that every key is known, of the right TOML
type, and the ``[archives]`` table by :class:`~claimcheck.sources.ArchiveConfig`'s own rules.
The values of the command line's options (a status, a format, a number of days) are judged
where the options are, by the same functions that judge them on the command line; a problem
found there names the file, line and key too (:meth:`Config.problem`). Every problem is one
:class:`~claimcheck.errors.ConfigurationError` in one line: ``claimcheck.toml:4: unknown key
'fial_on' (did you mean 'fail_on'?)``.
"""

from __future__ import annotations

import difflib
import enum
import os
import tomllib
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import attrs

from ..documents import read_regular_file
from ..errors import ConfigurationError, SnapshotStoreWarning
from ..model import Ignore, rules_of, shown, well_formed
from ..sources import ArchiveConfig
from ..store import DEFAULT_STORE
from ._load import (
    _TOML_ERROR_POSITION,
    MAX_KEY_PARTS,
    _long_key_line,
    _Positions,
    _type_name,
    ignore_entries,
)

__all__ = [
    "CONFIG_FILE",
    "Config",
    "Kind",
    "find_config",
    "find_store",
    "load_config",
    "warn_no_store",
]

CONFIG_FILE: Final = "claimcheck.toml"
"""The name of claimcheck's own configuration file."""

_PYPROJECT: Final = "pyproject.toml"
_MAX_BYTES: Final = 2**20


class Kind(enum.Enum):
    """What a key's value must be in the file."""

    PATH = "a string (a path)"
    STRING = "a string"
    STRINGS = "a string or a list of strings"
    INTEGER = "a whole number"
    NUMBER = "a number"
    BOOLEAN = "true or false"


# Every key, by table ("" is the top level). A command reads the top level and its own table;
# the command line maps each key onto the option of its name (cli/_config.py).
SCHEMA: Final[Mapping[str, Mapping[str, Kind]]] = {
    "": {
        "snapshots": Kind.PATH,
        "statement_root": Kind.PATH,
        "per_host": Kind.INTEGER,
        "deadline": Kind.NUMBER,
        "allow_private_addresses": Kind.BOOLEAN,
    },
    "check": {
        "fail_on": Kind.STRINGS,
        "format": Kind.STRING,
        "output": Kind.STRINGS,
        "coverage": Kind.BOOLEAN,
        "verbose": Kind.BOOLEAN,
    },
    "audit": {
        "db": Kind.PATH,
        "format": Kind.STRING,
        "output": Kind.STRINGS,
        "failures": Kind.INTEGER,
        "span": Kind.NUMBER,
        "flaps": Kind.INTEGER,
        "flap_window": Kind.NUMBER,
        "archive_window": Kind.NUMBER,
        "save_before_death": Kind.BOOLEAN,
    },
    "audit.report": {"format": Kind.STRING, "output": Kind.STRINGS},
    "extract": {"language": Kind.STRING},
    "robustify": {
        "link_to": Kind.STRING,
        "online": Kind.BOOLEAN,
        "datetime": Kind.BOOLEAN,
        "strict": Kind.BOOLEAN,
    },
}

# Tables that are not key/value settings: [archives] (ArchiveConfig's rules) and [[ignore]].
_ARCHIVES: Final = "archives"
_IGNORE: Final = "ignore"


@attrs.frozen
class Config:
    """One configuration file, read and checked.

    ``values`` holds every key the file sets, by its dotted name (``"snapshots"``,
    ``"check.fail_on"``, ``"audit.report.format"``), as the file gives it, except paths
    (:attr:`Kind.PATH`), which are made relative to the folder of the file; ``lines`` says
    where each key is. ``archives`` is the ``[archives]`` table as an
    :class:`~claimcheck.sources.ArchiveConfig`.

    ``ignore`` holds the file's ``[[ignore]]`` entries, read by the claims files' own rule
    (:func:`~claimcheck.claimsfile.ignore_entries`): findings dismissed on purpose in every
    claims file the configuration covers (``check(..., ignore=config.ignore)``; the command line
    passes them on).
    """

    path: Path
    values: Mapping[str, object] = attrs.field(factory=dict)
    lines: Mapping[str, int] = attrs.field(factory=dict)
    archives: ArchiveConfig = attrs.field(factory=ArchiveConfig)
    ignore: tuple[Ignore, ...] = ()

    @property
    def folder(self) -> Path:
        """The folder the file's paths are relative to: its own."""
        return self.path.parent

    @property
    def snapshots(self) -> Path | None:
        """The snapshot store the file names (``snapshots``), or None."""
        value = self.values.get("snapshots")
        return value if isinstance(value, Path) else None

    def get(self, key: str) -> object | None:
        """The value of ``key`` (dotted: ``"check.fail_on"``), or None when the file does not
        set it."""
        return self.values.get(key)

    def where(self, key: str) -> str:
        """``file:line`` of ``key`` (the file alone when its line is not known)."""
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line is not None else str(self.path)

    def problem(self, key: str, message: str) -> ConfigurationError:
        """The error saying that ``key`` of this file has a problem: ``file:line: key:
        message``."""
        return ConfigurationError(f"{self.where(key)}: {key}: {one_line(message)}")


def one_line(text: str) -> str:
    """``text`` with its lines joined: each problem is said in one line."""
    return " ".join(text.split("\n"))


# --------------------------------------------------------------------------------------------
# Finding and reading


def _has_claimcheck_table(path: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.claimcheck]`` table. Somebody else's file
    (one that never names it) is not parsed at all: its problems are not claimcheck's."""
    try:
        text = path.read_bytes()
    except OSError:
        return False
    if b"claimcheck" not in text:
        return False
    try:
        document = tomllib.loads(text.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError, RecursionError):
        return True  # it names claimcheck: load_config says what is wrong with it
    tool = document.get("tool")
    return isinstance(tool, dict) and "claimcheck" in tool


def find_config(start: str | os.PathLike[str]) -> Config | None:
    """The configuration for ``start`` (a claims file, a statement, or a folder): in
    ``start``'s folder or the nearest folder above it, ``claimcheck.toml`` or else a
    ``pyproject.toml`` with a ``[tool.claimcheck]`` table; None when there is none up to the
    file system's root. Raises :class:`~claimcheck.errors.ConfigurationError` for a file found
    but malformed."""
    path = Path(start).absolute()
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return load_config(own)
        pyproject = candidate / _PYPROJECT
        if pyproject.is_file() and _has_claimcheck_table(pyproject):
            return load_config(pyproject)
    return None


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check one configuration file: ``claimcheck.toml`` (or a file of any other
    name: its keys at the top level), or a ``pyproject.toml`` (its ``[tool.claimcheck]``
    table). Raises :class:`~claimcheck.errors.ConfigurationError` naming the file, line and key
    of the first problem: a file that cannot be read or is not TOML, an unknown key (with the
    known key it most looks like), a value of the wrong type or out of range."""
    path = Path(path)
    try:
        source = read_regular_file(path, max_bytes=_MAX_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        detail = getattr(error, "strerror", None) or error
        raise ConfigurationError(f"{path}: cannot read the configuration: {detail}") from None
    source = well_formed(source.removeprefix("\ufeff"))
    long_key = _long_key_line(source)
    if long_key is not None:
        raise ConfigurationError(
            f"{path}:{long_key}: a key or table name of more than {MAX_KEY_PARTS} parts"
        )
    try:
        document = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        position = _TOML_ERROR_POSITION.search(str(error))
        where = f"{path}:{position.group(1)}" if position else str(path)
        raise ConfigurationError(f"{where}: not valid TOML: {one_line(str(error))}") from None
    except (ValueError, RecursionError) as error:  # an integer too long, arrays nested too deep
        detail = str(error).split(";")[0] or "nested too deeply"
        raise ConfigurationError(f"{path}: cannot be read: {detail}") from None
    prefix: tuple[str, ...] = ()
    if path.name == _PYPROJECT:
        prefix = ("tool", "claimcheck")
        tool = document.get("tool", {})
        document = tool.get("claimcheck", {}) if isinstance(tool, dict) else {}
        if not isinstance(document, dict):
            raise ConfigurationError(f"{path}: tool.claimcheck must be a table")
    return _Reader(path, _Positions(source), prefix).config(document)


class _Reader:
    """Checks a parsed configuration table by :data:`SCHEMA`, key by key, with lines."""

    def __init__(self, path: Path, positions: _Positions, prefix: tuple[str, ...]) -> None:
        self.path = path
        self.positions = positions
        self.prefix = prefix
        self.values: dict[str, object] = {}
        self.lines: dict[str, int] = {}

    def line(self, key: str) -> int | None:
        return self.positions.line(*self.prefix, *key.split("."))

    def fail(self, key: str, message: str, *, named: bool = True) -> ConfigurationError:
        line = self.line(key)
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        return ConfigurationError(f"{where}: {key}: {message}" if named else f"{where}: {message}")

    def config(self, document: Mapping[str, object]) -> Config:
        archives = ArchiveConfig()
        ignore: tuple[Ignore, ...] = ()
        for key, value in document.items():
            if key == _ARCHIVES:
                archives = self.archives(value)
            elif key == _IGNORE:
                ignore = self.ignore(value)
        self.table("", document)
        return Config(self.path, self.values, self.lines, archives, ignore)

    def table(self, name: str, table: Mapping[str, object]) -> None:
        schema = SCHEMA[name]
        for key, value in table.items():
            dotted = f"{name}.{key}" if name else key
            if dotted in (_ARCHIVES, _IGNORE):
                continue
            if dotted in SCHEMA:
                if not isinstance(value, dict):
                    raise self.fail(dotted, f"must be a table ([{dotted}])")
                self.table(dotted, value)
            elif key in schema:
                self.setting(dotted, schema[key], value)
            else:
                raise self.fail(dotted, f"unknown key {dotted!r}{_hint(name, key)}", named=False)

    def setting(self, key: str, kind: Kind, value: object) -> None:
        problem = _kind_problem(kind, value)
        if problem is not None:
            raise self.fail(key, problem)
        line = self.line(key)
        if line is not None:
            self.lines[key] = line
        self.values[key] = self.path.parent / str(value) if kind is Kind.PATH else value

    def archives(self, value: object) -> ArchiveConfig:
        """The ``[archives]`` table, each key judged by :class:`ArchiveConfig`'s own rule
        before conversion (in a file, a list of timegates must be a list)."""
        if not isinstance(value, dict):
            raise self.fail(_ARCHIVES, "must be a table ([archives])")
        rules = rules_of(ArchiveConfig)
        for key, item in value.items():
            dotted = f"{_ARCHIVES}.{key}"
            rule = rules.get(key)
            if rule is None:
                raise self.fail(dotted, f"unknown key {dotted!r}{_close(key, rules)}", named=False)
            problem = rule(item)
            if problem:
                raise self.fail(dotted, f"{problem}, not {shown(item)}")
        try:
            return ArchiveConfig(**value)
        except ConfigurationError as error:  # a rule's converter refusing what the rule let by
            raise self.fail(_ARCHIVES, str(error)) from None

    def ignore(self, value: object) -> tuple[Ignore, ...]:
        """The ``[[ignore]]`` entries, or the error naming the first problem's line and field
        (and how many more there are)."""
        entries, problems = ignore_entries(
            value,
            file=self.path,
            line_of=lambda *path: self.positions.line(*self.prefix, _IGNORE, *path),
            table=".".join((*self.prefix, _IGNORE)),
        )
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ConfigurationError(f"{problems[0]}{more}")
        return entries


def _kind_problem(kind: Kind, value: object) -> str | None:
    """Why ``value`` is not of ``kind``, or None."""
    if kind is Kind.BOOLEAN:
        good = isinstance(value, bool)
    elif kind is Kind.INTEGER:
        good = isinstance(value, int) and not isinstance(value, bool)
    elif kind is Kind.NUMBER:
        good = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind is Kind.STRINGS:
        good = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        )
    else:
        good = isinstance(value, str)
    if not good:
        return f"must be {kind.value}, not {_type_name(value)}"
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str) and kind is not Kind.STRINGS and not text.strip():
            return "must not be empty"
        if isinstance(text, str) and any(ord(c) < 32 and c not in "\t" for c in text):
            return "contains control characters"
    return None


def _close(key: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a known key looks like ``key`` (``fail-on`` for
    ``fail_on`` too), else nothing."""
    names = list(known)
    normal = key.replace("-", "_")
    if normal in names:
        return f" (did you mean {normal!r}?)"
    match = difflib.get_close_matches(normal, names, n=1, cutoff=0.7)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _hint(table: str, key: str) -> str:
    """What an unknown key of ``table`` may have meant: a key of the table like it, else the
    table the key belongs in."""
    close = _close(key, SCHEMA[table])
    if close:
        return close
    normal = key.replace("-", "_")
    homes = [name for name, keys in SCHEMA.items() if normal in keys and name != table]
    if homes:
        places = " or ".join(f"[{home}]" if home else "the top level" for home in homes)
        return f" (it belongs in {places})"
    if not table:  # a table's name mistyped
        return _close(key, [name for name in (*SCHEMA, _ARCHIVES, _IGNORE) if name])
    return ""


# --------------------------------------------------------------------------------------------
# The store rule


def find_store(
    paths: Iterable[str | os.PathLike[str]],
    *,
    config: Config | None = None,
    discover: bool = True,
) -> Path | None:
    """Where the snapshot store is when none is named: the one rule for the command line and
    for :func:`~claimcheck.check`.

    1. The configuration's ``snapshots`` key, relative to its file (``config``, or, with
       ``discover``, the one :func:`find_config` finds for the first of ``paths``), whether
       or not a store is there yet (the commands that capture create it).
    2. Else the nearest ``snapshots/`` that is a store (has a ``warc/`` folder) in the folder
       of the first of ``paths`` or above it, up to the configuration's folder when there is
       one, else up to the file system's root.
    3. Else ``./snapshots`` of the working folder, when it is a store (where ``snapshot fetch``
       creates one when nothing else says where).

    None when there is none of these. ``paths`` are claims files, folders of them, or a
    statement; with none, the working folder is the start.
    """
    starts = [Path(path).absolute() for path in paths] or [Path.cwd()]
    if config is None and discover:
        config = find_config(starts[0])
    if config is not None and config.snapshots is not None:
        return config.snapshots
    start = starts[0] if starts[0].is_dir() else starts[0].parent
    top = config.folder.absolute() if config is not None else None
    for folder in (start, *start.parents):
        candidate = folder / DEFAULT_STORE
        if (candidate / "warc").is_dir():
            return candidate
        if folder == top:
            break
    if (DEFAULT_STORE / "warc").is_dir():
        return DEFAULT_STORE.absolute()
    return None


def warn_no_store(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Say, as a :class:`~claimcheck.errors.SnapshotStoreWarning`, that no store was found for
    a check of stored copies: every cited source will be ``unchecked``."""
    start = next(iter(paths), None)
    where = f"{start} or above it" if start is not None else "the working folder"
    warnings.warn(
        SnapshotStoreWarning(
            f"no snapshot store found (no 'snapshots' key in a {CONFIG_FILE} or "
            f"[tool.claimcheck] table, no snapshots/ store in the folder of {where}, nor in "
            "the working folder): every source it would read is unchecked; name one with "
            "--snapshots (snapshots=)"
        ),
        stacklevel=3,
    )

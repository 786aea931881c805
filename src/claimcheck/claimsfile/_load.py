"""Claims files: :func:`load` reads and validates one TOML file into a
:class:`~claimcheck.ClaimSet`, reporting every problem at once (file, line, field) in one
:class:`~claimcheck.ClaimsFileError`, and places each claim in the statement it is about."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from ..documents import Anchors, LineIndex, Text, read_regular_file, resolve_within
from ..errors import ClaimsFileError, InvalidClaimError, Problem
from ..language import figure_value_problem
from ..matching import SourceIndex, figure_value_conflict, match_claim, match_quote
from ..model import (
    Claim,
    ClaimKind,
    ClaimSet,
    Ignore,
    Location,
    Source,
    Statement,
    shown,
    well_formed,
)

__all__ = ["ignore_entries", "load"]

# --------------------------------------------------------------------------------------------
# Loading


_CLAIM_FIELDS = frozenset({"id", "kind", "text", "value", "context", "source", "unsourced"})
_SOURCE_FIELDS = frozenset({"url", "accessed", "context"})
_STATEMENT_FIELDS = frozenset({"id", "title", "text", "published"})
_TOP_LEVEL = frozenset({"statement", "claim", "ignore"})
_IGNORE_FIELDS = ("text", "line", "kind", "claim", "reason")
_DATE_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class _Positions:
    """Which line each table and key of a TOML document is on.

    ``tomllib`` keeps no positions, and every problem must name its line, so a light scan of
    the source maps table headers and ``key =`` lines to line numbers (multi-line strings are
    skipped). Keys are addressed by path: ``("claim", 2, "value")``, ``("claim", 2, "source", 0,
    "url")``. A key that the scan does not see (an inline table) falls back to its table.
    """

    # One greedy run of the characters a header may hold, then its bracket: a lazy run followed
    # by optional spaces backtracked over every space at every step, quadratic in a header such
    # as ``[[claim <100,000 spaces> .source]]`` (valid TOML: spaces around dots are ignored).
    _HEADER = re.compile(r"^\s*(\[\[?)([A-Za-z0-9_.\-\" \t]+)\]")
    _KEY = re.compile(r"^\s*(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_\-]+))\s*(?:\.|=)")

    def __init__(self, source: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        counters: dict[tuple[str | int, ...], int] = {}
        current: tuple[str | int, ...] = ()
        delimiter: str | None = None
        for number, line in enumerate(source.splitlines(), start=1):
            if delimiter is not None:
                if line.count(delimiter) % 2 == 1:
                    delimiter = None
                continue
            header = self._HEADER.match(line)
            if header is not None:
                names = [part.strip().strip('"') for part in header.group(2).split(".")]
                current = self._table_path(names, header.group(1) == "[[", counters)
                self.lines.setdefault(current, number)
                continue
            key = self._KEY.match(line)
            if key is not None:
                name = next(group for group in key.groups() if group is not None)
                self.lines.setdefault((*current, name), number)
                for quotes in ('"""', "'''"):
                    if line.count(quotes) % 2 == 1:
                        delimiter = quotes

    def _table_path(
        self,
        names: list[str],
        is_array: bool,
        counters: dict[tuple[str | int, ...], int],
    ) -> tuple[str | int, ...]:
        path: tuple[str | int, ...] = ()
        for depth, name in enumerate(names):
            path = (*path, name)
            last = depth == len(names) - 1
            if last and is_array:
                # Arrays nested in an element are counted under that element's own path
                # (("claim", 3, "source")), so a new element starts their counts afresh.
                counters[path] = counters.get(path, -1) + 1
                path = (*path, counters[path])
            elif path in counters:
                path = (*path, counters[path])
        return path

    def line(self, *path: str | int) -> int | None:
        """The line of ``path``, or of the nearest enclosing table the scan saw."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None


_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")

MAX_KEY_PARTS = 32
"""The most parts a key or table name of a claims file may have (``claim.source`` has two).
Python's TOML reader takes time and memory quadratic in a key's parts (CPython issues 149231,
152930): a 200 KB line ``a.a.a…= 1`` would take minutes and gigabytes, so such a file is refused
before it is read."""

# A key's part (bare, or a quoted string), the dot between two parts, and where the next part
# may start. Keys never span lines.
_KEY_PART = re.compile(r"[A-Za-z0-9_\-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*'")
_KEY_DOT = re.compile(r"[ \t]*\.[ \t]*")
_PART_START = re.compile(r"[A-Za-z0-9_\-\"']")


def _long_key_line(source: str) -> int | None:
    """The line of the first key or table name of more than :data:`MAX_KEY_PARTS` parts, or
    None.

    Linear: each line is read once, part by part; a string is a part (so a dotted key inside a
    string is one part, and strings are skipped whole), and an unterminated one ends the line.
    Values are read as parts too (``3.14`` has two), which no value has thirty-two of.
    """
    for number, line in enumerate(source.split("\n"), start=1):
        position = 0
        while (start := _PART_START.search(line, position)) is not None:
            part = _KEY_PART.match(line, start.start())
            if part is None:  # an unterminated string
                break
            parts = 1
            while (dot := _KEY_DOT.match(line, part.end())) is not None and (
                following := _KEY_PART.match(line, dot.end())
            ) is not None:
                part = following
                parts += 1
            if parts > MAX_KEY_PARTS:
                return number
            position = part.end()
    return None


_MAX_BYTES = 16 * 2**20
"""The largest claims file, and statement text, :func:`load` reads (16 MiB) unless told."""


def load(
    path: str | os.PathLike[str],
    *,
    statement_root: str | os.PathLike[str] | None = None,
    max_bytes: int = _MAX_BYTES,
) -> ClaimSet:
    """Read and validate one claims file.

    Raises :class:`~claimcheck.ClaimsFileError` listing every problem found (TOML syntax,
    unknown kinds and fields, missing or duplicate ids, wrong types, bad dates, claims whose text
    is not in the statement, claims that cannot be checked: a quote with no words, a figure with
    no number; malformed ``[[ignore]]`` entries: :func:`ignore_entries`), each with the file,
    line and field.

    The statement's text (``[statement] text``, relative to the claims file) must be a regular
    file in the claims file's folder or below it (links resolved first), or, given
    ``statement_root``, in that folder or below it; the claims file and the statement text must
    each be a regular file of at most ``max_bytes``. A claims file may come from anyone: so it
    cannot make claimcheck read, and quote into its reports, any other file of the machine, nor
    read a device or a FIFO that never ends.
    """
    path = Path(path)
    try:
        source = read_regular_file(path, max_bytes=max_bytes).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem(str(path), None, "", f"cannot read the file: {error}")
        raise ClaimsFileError([problem]) from None
    return loads(source, path=path, statement_root=statement_root, max_bytes=max_bytes)


def loads(
    source: str,
    *,
    path: str | Path | None = None,
    statement_root: str | os.PathLike[str] | None = None,
    max_bytes: int = _MAX_BYTES,
) -> ClaimSet:
    """Like :func:`load`, for the text of a claims file (``path`` names it in messages and
    anchors the statement's relative text path; without it, the statement is looked for in the
    working folder, and must be in it or below it unless ``statement_root`` says). A byte order
    mark at the start is skipped (TOML has none: Windows editors write one), lone surrogates
    read as U+FFFD (:func:`~claimcheck.model.well_formed`)."""
    source = well_formed(source.removeprefix("\ufeff"))
    file = Path(path) if path is not None else None
    name = str(file) if file is not None else "<claims>"
    long_key = _long_key_line(source)
    if long_key is not None:
        message = f"a key or table name of more than {MAX_KEY_PARTS} parts (a.b.c…)"
        raise ClaimsFileError([Problem(name, long_key, "", message)])
    try:
        document = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        position = _TOML_ERROR_POSITION.search(str(error))
        line = int(position.group(1)) if position else None
        message = _TOML_ERROR_POSITION.sub("", str(error)).strip()
        raise ClaimsFileError([Problem(name, line, "", f"TOML syntax: {message}")]) from None
    except (ValueError, RecursionError) as error:  # an integer too long, arrays nested too deep
        message = str(error) or "nested too deeply"
        raise ClaimsFileError([Problem(name, None, "", f"TOML: {message}")]) from None
    base = file.parent if file is not None else Path.cwd()
    where = _StatementFiles(base, Path(statement_root) if statement_root else None, max_bytes)
    return _Validator(name, file, _Positions(source), where).claim_set(document)


def ignore_entries(
    raw: object,
    *,
    file: str | os.PathLike[str],
    line_of: Callable[..., int | None],
    table: str = "ignore",
) -> tuple[tuple[Ignore, ...], tuple[Problem, ...]]:
    """The ignore entries of one parsed ``[[ignore]]`` array of tables (``raw``, as
    :mod:`tomllib` reads it), and the problems found, each naming ``file``, its line and the
    field (``ignore[2].reason``).

    Any TOML file may hold such an array (a claims file's ``[[ignore]]``, a config file's
    ``[[tool.claimcheck.ignore]]``: ``table`` names it in messages); ``line_of(index)`` and
    ``line_of(index, key)`` give the line of an entry and of one of its keys (None when
    unknown), and ``line_of()`` that of the array. An entry has a ``reason`` (required) and
    names what it dismisses: a coverage finding by ``text`` and/or ``line`` (optionally
    ``kind``), or a claim by ``claim`` (its id; whether the claim exists is for the caller to
    say). An entry with a problem gives no :class:`~claimcheck.model.Ignore`.
    """
    name = str(file)
    problems: list[Problem] = []

    def problem(index: int | None, key: str | None, message: str) -> None:
        where = () if index is None else (index,) if key is None else (index, key)
        field = table if index is None else f"{table}[{index + 1}]"
        problems.append(Problem(name, line_of(*where), f"{field}.{key}" if key else field, message))

    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        problem(None, None, f"must be an array of tables: [[{table}]]")
        return (), tuple(problems)
    entries: list[Ignore] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problem(index, None, "must be a table")
            continue
        entry = _ignore_entry(item, functools.partial(problem, index), Path(file), line_of(index))
        if entry is not None:
            entries.append(entry)
    return tuple(entries), tuple(problems)


def _ignore_entry(
    item: Mapping[str, object],
    problem: Callable[[str | None, str], None],
    file: Path,
    line: int | None,
) -> Ignore | None:
    """One ``[[ignore]]`` table as an :class:`Ignore` (written at ``line`` of ``file``), or
    None after telling ``problem`` (the key, or None for the table, and what is wrong) each
    problem it has."""
    problems = 0

    def wrong(key: str | None, message: str) -> None:
        nonlocal problems
        problems += 1
        problem(key, message)

    for key in item:
        if key not in _IGNORE_FIELDS:
            wrong(key, f"unknown field (expected {', '.join(_IGNORE_FIELDS)})")
    strings: dict[str, str] = {}
    for key in ("reason", "text", "claim"):
        value = item.get(key)
        if key in item:
            message = _string_problem(value)
            if message is not None:
                wrong(key, message)
            elif isinstance(value, str):
                strings[key] = value
    if "reason" not in item:
        wrong("reason", "missing (required)")
    number = item.get("line")
    if "line" in item and (isinstance(number, bool) or not isinstance(number, int) or number < 1):
        wrong("line", f"must be a line number (1 or more), not {shown(number)}")
    kind: ClaimKind | None = None
    if "kind" in item:
        try:
            kind = ClaimKind(str(item["kind"]))
        except ValueError:
            choices = ", ".join(kind.value for kind in ClaimKind)
            wrong("kind", f"unknown kind {shown(item['kind'])} ({choices})")
    names = [key for key in ("text", "line", "kind") if key in item]
    if "claim" in item and names:
        wrong(
            "claim",
            f"either claim (a claim of the file) or {', '.join(names)} (a finding of the "
            "coverage check), not both",
        )
    elif not {"claim", "text", "line"} & item.keys():
        wrong(
            None,
            "names no finding: give its text and/or line (a finding of the coverage check), "
            "or claim (a claim's id)",
        )
    if problems:
        return None
    return Ignore(
        strings["reason"],
        text=strings.get("text"),
        line=number if isinstance(number, int) else None,
        kind=kind,
        claim=strings.get("claim"),
        file=file,
        file_line=line,
    )


@attrs.frozen
class _StatementFiles:
    """Where a claims file's statement text is looked for (``base``: the claims file's folder),
    and where it may be (``root``: ``base`` unless a statement root is given), how large."""

    base: Path
    root: Path | None
    max_bytes: int

    def read(self, name: str) -> tuple[Path, str]:
        """The statement text ``name`` names; :class:`OSError` or :class:`UnicodeDecodeError`
        saying why it cannot be read."""
        path = self.base / name
        root = self.root or self.base
        try:
            resolved = resolve_within(path, root)
        except PermissionError as error:
            widen = "--statement-root (statement_root=) names a wider one"
            if self.root is None:
                raise PermissionError(
                    f"{error}: a statement must be in the claims file's folder or below it; "
                    + widen
                ) from None
            raise PermissionError(f"{error}, the statement root") from None
        # utf-8-sig: a byte order mark is no text; columns count as editors show them
        return path, read_regular_file(resolved, max_bytes=self.max_bytes).decode("utf-8-sig")


class _Validator:
    """Turns a parsed claims document into a :class:`ClaimSet`, collecting every problem."""

    def __init__(
        self, name: str, file: Path | None, positions: _Positions, statements: _StatementFiles
    ) -> None:
        self.name = name
        self.file = file
        self.positions = positions
        self.statements = statements
        self.problems: list[Problem] = []
        # Made once, when a claim needs them: placing each claim by searching the whole statement
        # would take time quadratic in its length (thousands of claims in a long statement).
        self._statement_index: SourceIndex | None = None
        self._anchors: Anchors | None = None
        self._lines: LineIndex | None = None

    def problem(self, path: tuple[str | int, ...], field: str, message: str) -> None:
        self.problems.append(Problem(self.name, self.positions.line(*path), field, message))

    def claim_set(self, document: Mapping[str, object]) -> ClaimSet:
        for key in document:
            if key not in _TOP_LEVEL:
                self.problem(
                    (key,), key, "unknown table or field (expected statement, claim, ignore)"
                )
        statement = self.statement(document.get("statement", {}))
        raw_claims = document.get("claim", [])
        claims: list[Claim] = []
        if not isinstance(raw_claims, list):
            self.problem(("claim",), "claim", "must be an array of tables: [[claim]]")
            raw_claims = []
        elif not raw_claims:
            self.problem(("claim",), "claim", "the file has no [[claim]]")
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_claims):
            claim = self.claim(index, raw, statement, seen)
            if claim is not None:
                claims.append(claim)
        ignores = self.ignores(document, seen)
        if self.problems:
            raise ClaimsFileError(self.problems)
        return ClaimSet(statement, tuple(claims), self.file, ignores)

    def ignores(
        self, document: Mapping[str, object], seen: Mapping[str, int]
    ) -> tuple[Ignore, ...]:
        """The file's ``[[ignore]]`` entries (:func:`ignore_entries`); one naming a claim must
        name a claim of this file."""
        if "ignore" not in document:
            return ()
        entries, problems = ignore_entries(
            document["ignore"],
            file=self.file or self.name,
            line_of=lambda *path: self.positions.line("ignore", *path),
        )
        self.problems.extend(problems)
        for index, entry in enumerate(entries):
            if entry.claim is not None and entry.claim not in seen:
                self.problems.append(
                    Problem(
                        self.name,
                        self.positions.line("ignore", index, "claim"),
                        f"ignore[{index + 1}].claim",
                        f"no claim {entry.claim!r} in this file",
                    )
                )
        return entries

    def statement(self, raw: object) -> Statement:
        if not isinstance(raw, dict):
            self.problem(("statement",), "statement", "must be a table: [statement]")
            return Statement()
        for key in raw:
            if key not in _STATEMENT_FIELDS:
                self.problem(("statement", key), f"statement.{key}", "unknown field")
        identifier = self.string(raw, ("statement",), "id", "statement.id")
        title = self.string(raw, ("statement",), "title", "statement.title")
        published = self.date(raw, ("statement",), "published", "statement.published")
        text_name = self.string(raw, ("statement",), "text", "statement.text")
        text_path: Path | None = None
        text: str | None = None
        if text_name:
            text_path = self.statements.base / text_name
            try:
                text_path, text = self.statements.read(text_name)
            except (OSError, UnicodeDecodeError) as error:
                self.problem(
                    ("statement", "text"),
                    "statement.text",
                    f"cannot read the statement text {str(text_path)!r}: {error}",
                )
        return Statement(identifier, title, text_path, text, published)

    def claim(
        self, index: int, raw: object, statement: Statement, seen: dict[str, int]
    ) -> Claim | None:
        path: tuple[str | int, ...] = ("claim", index)
        label = f"claim[{index + 1}]"
        if not isinstance(raw, dict):
            self.problem(path, label, "must be a table")
            return None
        before = len(self.problems)
        identifier = self.string(raw, path, "id", f"{label}.id", required=True)
        if identifier:
            label = f"claim {identifier!r}"
            if identifier in seen:
                self.problem(
                    (*path, "id"),
                    f"{label}.id",
                    f"duplicate id (first used at line {seen[identifier]})",
                )
            else:
                seen[identifier] = self.positions.line(*path, "id") or 0
        for key in raw:
            if key not in _CLAIM_FIELDS:
                self.problem((*path, key), f"{label}.{key}", "unknown field")
        kind_name = self.string(raw, path, "kind", f"{label}.kind", required=True)
        kind: ClaimKind | None = None
        if kind_name is not None:
            try:
                kind = ClaimKind(kind_name)
            except ValueError:
                choices = ", ".join(k.value for k in ClaimKind)
                self.problem(
                    (*path, "kind"), f"{label}.kind", f"unknown kind {kind_name!r} ({choices})"
                )
        text = self.string(raw, path, "text", f"{label}.text", required=True)
        context = self.string(raw, path, "context", f"{label}.context")
        value = self.value(raw, path, label, kind)
        unsourced = self.string(raw, path, "unsourced", f"{label}.unsourced")
        if "unsourced" in raw and "source" in raw:
            self.problem(
                (*path, "unsourced"),
                f"{label}.unsourced",
                "a claim with sources is not unsourced: remove one of the two",
            )
            sources: tuple[Source, ...] = ()
        elif "unsourced" in raw:
            sources = ()
        else:
            sources = self.sources(raw.get("source"), path, label)
        location = None
        if text and statement.text is not None:
            location = self.locate(text, statement, path, label)
        if len(self.problems) > before or kind is None or text is None:
            return None
        claim = Claim(
            kind,
            text,
            identifier,
            value,
            context,
            sources,
            statement.published,
            location,
            unsourced,
        )
        return claim if self.checkable(claim, path, label) else None

    def checkable(self, claim: Claim, path: tuple[str | int, ...], label: str) -> bool:
        # A quote with no words, a figure with no number, a date that names no date, a
        # figure whose value contradicts its text: refused here, with its line, rather than
        # failing the check half-way through.
        if claim.kind is ClaimKind.FIGURE and isinstance(claim.value, Decimal):
            conflict = figure_value_conflict(claim.text, claim.value)
            if conflict is not None:
                self.problem((*path, "value"), f"{label}.value", conflict)
                return False

        try:
            match_claim(claim, Text("", "text/plain", unreadable="empty"))
        except InvalidClaimError as error:
            self.problem((*path, "text"), f"{label}.text", f"cannot be checked: {error}")
            return False
        return True

    def value(
        self, raw: Mapping[str, object], path: tuple[str | int, ...], label: str, kind: object
    ) -> Decimal | str | None:
        if "value" not in raw:
            return None
        value = raw["value"]
        where, field = (*path, "value"), f"{label}.value"
        if kind is ClaimKind.FIGURE:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                self.problem(where, field, f"a figure's value must be a number, not {shown(value)}")
                return None
            try:
                number = Decimal(str(value).replace(",", "").replace("_", "").strip())
            except InvalidOperation:
                self.problem(where, field, f"a figure's value must be a number, not {shown(value)}")
                return None
            problem = figure_value_problem(number)
            if problem is not None:
                self.problem(where, field, f"a figure's value {problem}, not {shown(value)}")
                return None
            return number
        if kind is ClaimKind.DATE:
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not _valid_date_value(value):
                self.problem(
                    where,
                    field,
                    f"a date's value must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}",
                )
                return None
            return value
        if kind is ClaimKind.QUOTE:
            self.problem(where, field, "a quote has no value (its text is what is checked)")
        return None

    def sources(self, raw: object, path: tuple[str | int, ...], label: str) -> tuple[Source, ...]:
        where = (*path, "source")
        if raw is None:
            self.problem(
                where,
                f"{label}.source",
                "a claim needs at least one [[claim.source]] "
                '(or unsourced = "why", for a claim the statement gives no source for)',
            )
            return ()
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            self.problem(where, f"{label}.source", "must be an array of tables: [[claim.source]]")
            return ()
        sources = []
        for index, item in enumerate(raw):
            item_path = (*where, index)
            field = f"{label}.source[{index + 1}]"
            if not isinstance(item, dict):
                self.problem(item_path, field, "must be a table with a url")
                continue
            for key in item:
                if key not in _SOURCE_FIELDS:
                    self.problem((*item_path, key), f"{field}.{key}", "unknown field")
            url = self.string(item, item_path, "url", f"{field}.url", required=True, empty=True)
            accessed = self.date(item, item_path, "accessed", f"{field}.accessed")
            context = self.string(item, item_path, "context", f"{field}.context")
            if url is not None:
                sources.append(Source(url, accessed, context))
        return tuple(sources)

    def locate(
        self, text: str, statement: Statement, path: tuple[str | int, ...], label: str
    ) -> Location | None:
        # A claim is anchored by the matcher itself, so typography and case may differ
        # between the claims file and the statement.

        assert statement.text is not None
        # Word for word first: a claim may be cut from the statement anywhere, even right after
        # a hedge or a negation ("around | 189 Syrians"), which the matcher would call drift.
        if self._anchors is None:
            self._anchors = Anchors(statement.text)
        verbatim = self._anchors.first(text)
        if verbatim is not None:
            start, end = verbatim, verbatim + len(text)
        else:
            try:
                if self._statement_index is None:
                    self._statement_index = SourceIndex(statement.text)
                    # Its token index now: without it each quote is looked for by a scan of the
                    # whole statement, and thousands of claims would scan it thousands of times.
                    _ = self._statement_index.normalized.index
                evidence = match_quote(text, statement.text, index=self._statement_index)
            except InvalidClaimError as error:
                self.problem((*path, "text"), f"{label}.text", f"cannot be checked: {error}")
                return None
            if evidence.span is None or evidence.status.value != "verified":
                where = statement.path.name if statement.path is not None else "the statement"
                self.problem(
                    (*path, "text"),
                    f"{label}.text",
                    f"not found in {where}: a claim's text must be as written in the statement",
                )
                return None
            start, end = evidence.span
        if self._lines is None:
            self._lines = LineIndex(statement.text)
        lines = self._lines
        return Location(*lines.line_column(start), *lines.line_column(end))

    def string(
        self,
        raw: Mapping[str, object],
        path: tuple[str | int, ...],
        key: str,
        field: str,
        *,
        required: bool = False,
        empty: bool = False,
    ) -> str | None:
        if key not in raw:
            if required:
                self.problem(path, field, "missing (required)")
            return None
        value = raw[key]
        problem = _string_problem(value, empty=empty)
        if problem is not None:
            self.problem((*path, key), field, problem)
            return None
        assert isinstance(value, str)
        return value

    def date(
        self, raw: Mapping[str, object], path: tuple[str | int, ...], key: str, field: str
    ) -> dt.date | None:
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem((*path, key), field, f"must be a date such as 2021-05-07, not {value!r}")
        return None


def _string_problem(value: object, *, empty: bool = False) -> str | None:
    """What is wrong with a claims file's string ``value``, or None: not a string, empty
    (unless ``empty``), or with control characters."""
    if not isinstance(value, str):
        return f"must be a string, not {_type_name(value)}"
    if not value.strip() and not empty:
        return "must not be empty"
    if any(ord(char) < 32 and char not in "\t\n\r" for char in value):
        return "contains control characters"
    return None


def _valid_date_value(value: str) -> bool:
    if not _DATE_VALUE.fullmatch(value):
        return False
    parts = [int(part) for part in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _type_name(value: object) -> str:
    names = {
        bool: "a boolean",
        str: "a string",
        int: "a number",
        float: "a number",
        list: "an array",
        dict: "a table",
    }
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return "a date"
    return type(value).__name__

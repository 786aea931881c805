"""The claims-file loader takes time linear in its input: in the size of the claims file (a long
header, many tables) and in the number of claims placed in a long statement.

Never a wall-clock bound: each case loads an input and one four times its size, and the larger
must take less than eight times as long (linear time takes about four times; the quadratic time
these inputs took before took twelve to sixteen times). Processor time, not wall-clock time, so
that other processes on a busy machine add nothing; the best of three runs, the garbage
collector waiting.

Internals tested directly (private modules): the loader of a claims file's text
(``claimcheck.claimsfile._load.loads``), so a case needs no claims file on disk."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from claimcheck import ClaimsFileError
from claimcheck.claimsfile._load import loads
from support import best_cpu_seconds

_FACTOR = 4
_BOUND = 8


def _claim(number: int, text: str) -> str:
    return f'[[claim]]\nid = "c{number}"\nkind = "quote"\ntext = "{text}"\nunsourced = "x"\n'


def _load(source: str, folder: Path) -> None:
    with contextlib.suppress(ClaimsFileError):  # an invalid file is read and checked all the same
        loads(source, path=folder / "claims.toml")


# Each shape: (the claims file and the statement for a size, the smaller size). The statement
# (None: none) is written beside the claims file as s.md.
_Shape = Callable[[int], tuple[str, str | None]]
_WITH_STATEMENT = '[statement]\ntext = "s.md"\n'


def _spaced_header(size: int) -> tuple[str, str | None]:
    # Valid TOML: the spaces around a dotted key's dot are ignored; the scan for line numbers
    # backtracked over every space at every step (58 s for a 200 KB file).
    header = "[[claim" + " " * size + ".source]]"
    claim = '[[claim]]\nid = "c"\nkind = "quote"\ntext = "it is here"\n'
    return f'{_WITH_STATEMENT}{claim}{header}\nurl = "https://example.org/"\n', "it is here"


def _many_arrays(size: int) -> tuple[str, str | None]:
    # Each new array of tables was checked against every array seen before it.
    return "".join(f"[[x{number}]]\n" for number in range(size)), None


def _long_key(size: int) -> tuple[str, str | None]:
    # Python's TOML reader takes time and memory quadratic in a key's parts (1.6 GB for a
    # 40 KB key): refused before it is read.
    return "a" + ".a" * size + " = 1\n", None


def _distinct_claims(size: int) -> tuple[str, str | None]:
    # Each claim was looked for from the statement's start, and the statement's lines were
    # counted afresh for each claim found.
    statement = "".join(f"Sentence {n} says that word{n} is here.\n" for n in range(size))
    claims = "".join(_claim(n, f"word{n} is here") for n in range(size))
    return _WITH_STATEMENT + claims, statement


def _identical_claims(size: int) -> tuple[str, str | None]:
    statement = "".join(f"Sentence {n} says that it is here.\n" for n in range(size))
    claims = "".join(_claim(n, "that it is here") for n in range(size))
    return _WITH_STATEMENT + claims, statement


def _claims_placed_by_the_matcher(size: int) -> tuple[str, str | None]:
    # Not word for word (the statement doubles its spaces): placed by the quote matcher, which
    # scanned the whole statement for each claim until its token index was built.
    statement = "".join(f"Sentence {n} says  word{n}  is  here.\n" for n in range(size))
    claims = "".join(_claim(n, f"word{n} is here") for n in range(size))
    return _WITH_STATEMENT + claims, statement


_SHAPES: dict[str, tuple[_Shape, int]] = {
    "a header with many spaces around its dot": (_spaced_header, 12_000),
    "many arrays of tables": (_many_arrays, 2_000),
    "a key of many parts": (_long_key, 2_000),
    "many claims with distinct texts": (_distinct_claims, 500),
    "many claims with the same text": (_identical_claims, 1_000),
    "many claims placed by the quote matcher": (_claims_placed_by_the_matcher, 500),
}


def _best_seconds(inputs: list[tuple[str, Path]]) -> list[float]:
    return best_cpu_seconds([functools.partial(_load, source, folder) for source, folder in inputs])


@pytest.mark.parametrize("name", list(_SHAPES))
def test_loading_time_grows_linearly(name: str, tmp_path: Path) -> None:
    make, size = _SHAPES[name]
    inputs = []
    for scale in (1, _FACTOR):
        folder = tmp_path / str(scale)
        folder.mkdir()
        source, statement = make(size * scale)
        if statement is not None:
            (folder / "s.md").write_text(statement, encoding="utf-8")
        inputs.append((source, folder))
    small, large = _best_seconds(inputs)
    assert large / max(small, 1e-4) < _BOUND, (name, small, large)


def test_many_claims_are_placed_where_they_are(tmp_path: Path) -> None:
    # The same places as before: the first whole-word occurrence, its line and column.
    statement = "It is here.\n" + "".join(f"Now word{n} is here, it is here.\n" for n in range(50))
    (tmp_path / "s.md").write_text(statement, encoding="utf-8")
    claims = [_claim(n, f"word{n} is here") for n in range(50)]
    claims += [_claim(50 + n, "it is here") for n in range(3)]
    claims.append(_claim(99, "word7  is   here"))  # placed by the matcher
    loaded = loads(_WITH_STATEMENT + "".join(claims), path=tmp_path / "claims.toml")
    places = {claim.id: claim.location for claim in loaded.claims}
    for n in range(50):
        location = places[f"c{n}"]
        assert location is not None
        assert (location.line, location.column) == (n + 2, 5)
    for n in range(3):
        location = places[f"c{50 + n}"]
        assert location is not None
        assert (location.line, location.column, location.end_line) == (2, 20, 2)
    matched = places["c99"]
    assert matched is not None
    assert (matched.line, matched.column) == (9, 5)


def test_a_header_with_spaces_around_its_dot_keeps_its_line(tmp_path: Path) -> None:
    # The rewritten scan still sees such a header, and a tab beside the dot.
    source = '[[claim]]\nid = "c"\nkind = "quote"\ntext = "x"\n[[claim  \t.  source]]\nurl = 7\n'
    with pytest.raises(ClaimsFileError) as raised:
        loads(source, path=tmp_path / "claims.toml")
    lines = {problem.field: problem.line for problem in raised.value.problems}
    assert lines["claim 'c'.source[1].url"] == 6


@pytest.mark.parametrize(
    "key",
    [
        "a" + ".a" * 40 + " = 1",
        '"a"' + '. "a"' * 40 + " = 1",
        "[[claim" + ".x" * 40 + "]]",
        "x = {" + "a" + ".a" * 40 + " = 1}",
    ],
)
def test_a_key_of_too_many_parts_is_refused_with_its_line(key: str) -> None:
    source = f'[[claim]]\nid = "c"\nkind = "quote"\ntext = "x"\nunsourced = "a.b.c.d"\n{key}\n'
    with pytest.raises(ClaimsFileError) as raised:
        loads(source)
    (problem,) = raised.value.problems
    assert problem.line == 6
    assert "more than 32 parts" in problem.message


def test_strings_with_many_dots_are_not_keys() -> None:
    url = (
        "https://"
        + ".".join(["w"] * 40)
        + "/a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g"
    )
    source = f'[[claim]]\nid = "c"\nkind = "quote"\ntext = "x"\n[[claim.source]]\nurl = "{url}"\n'
    (claim,) = loads(source).claims
    assert claim.sources[0].url == url

"""What tests in several folders share that is not a fixture: the project's paths (read when a
module is imported), the fetch settings and the page for the tests' own servers, builders of
claims and of claims files, the benchmark scripts loaded as modules, and the command line run
in-process. Fixtures are in ``conftest.py``.

The folder of the root ``conftest.py`` is on ``sys.path`` (pytest's default "prepend" import
mode), so every test module, in whatever folder, imports this one as ``support``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib.util
import io
import json
import math
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import claimcheck
from claimcheck import FetchConfig
from claimcheck.cli import main
from claimcheck.model import Snapshot
from claimcheck.sources import ArchiveConfig, RateLimiter, Wayback

ROOT = Path(__file__).resolve().parents[1]
"""The project checkout."""

BENCHMARKS = ROOT / "benchmarks"
DATA = ROOT / "tests" / "data"
"""Vendored test data (provenance in ``data/README.md``)."""

WORKED_EXAMPLE = ROOT / "claims" / "denmark-syria-2021.toml"
"""The worked example's claims file; its statement is beside it, its captures in
``ROOT / "snapshots"``."""
WORKED_EXAMPLE_STORE = ROOT / "snapshots"

LOCAL_FETCH = FetchConfig(
    deadline=10.0,
    host_spacing=0.0,
    retries=0,
    soft_404=False,
    allow_private_addresses=True,  # the test servers (servers.py) are on 127.0.0.1
)
"""Fetching from the tests' own servers: no spacing, no retries, no soft-404 probe (each
would add requests a test does not count on)."""


# The page the online tests serve (checking, auditing, Dask): a quote, the page that holds it,
# the page with its figure changed, and a page about something else.
QUOTE = "it denied applications to around 189 Syrians"
ORIGINAL = (
    f"<html><body><article><p>Last month, {QUOTE} who had found refuge.</p></article></body></html>"
)
CHANGED = ORIGINAL.replace("189", "198")
UNRELATED = "<html><body><p>Weather news only: rain tomorrow, sun on Sunday.</p></body></html>"
ACCESSED = dt.date(2021, 4, 20)


def quote_claims(
    urls: Mapping[str, str], quote: str, *, texts: Mapping[str, str] = {}, statement: str = "letter"
) -> claimcheck.ClaimSet:
    """One quote claim per name, with that id, citing its URL as accessed on ``ACCESSED``: the
    claim's text is ``texts[name]`` where given, else ``quote``."""
    claims = tuple(
        claimcheck.Claim(
            "quote",
            texts.get(name, quote),
            id=name,
            sources=(claimcheck.Source(url, ACCESSED),),
        )
        for name, url in urls.items()
    )
    return claimcheck.ClaimSet(claimcheck.Statement(id=statement), claims)


def claim_toml(identifier: str, kind: str, text: str, *urls: str, extra: str = "") -> str:
    """One ``[[claim]]`` table of a claims file, citing ``urls``; ``extra`` is more of its lines
    (``'context = "denied"\\n'``), TOML as written."""
    sources = "".join(f'\n[[claim.source]]\nurl = "{url}"\n' for url in urls)
    return f'\n[[claim]]\nid = "{identifier}"\nkind = "{kind}"\ntext = "{text}"\n{extra}{sources}'


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as the module ``benchmark_<name>`` (registered in
    ``sys.modules``, which dataclasses and pickling need)."""
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_cli(*argv: str | Path) -> tuple[int, str, str]:
    """The command line in-process: exit status, stdout, stderr (argparse's own exits, which
    raise ``SystemExit``, included)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 2
    return code, out.getvalue(), err.getvalue()


class FakeClock:
    """A monotonic clock that only moves when slept on or advanced."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextlib.contextmanager
def local_wayback(base_url: str) -> Iterator[Wayback]:
    """A Wayback client of the fake archive at ``base_url``, its rate limiter on a
    :class:`FakeClock` (it never sleeps)."""
    clock = FakeClock()
    limiter = RateLimiter(600, clock=clock, sleep=clock.sleep)
    with Wayback(ArchiveConfig(wayback=base_url, timeout=5), limiter=limiter) as client:
        yield client


def balanced(text: str) -> bool:
    """Whether every ( and [ of ``text`` is closed, in order, by its own kind."""
    stack: list[str] = []
    for char in text:
        if char in "([":
            stack.append(char)
        elif char in ")]" and (not stack or stack.pop() != {")": "(", "]": "["}[char]):
            return False
    return not stack


def numbered_word(number: int) -> str:
    """A word of letters only, one for each number (``w`` and the number in base 26): words a
    scale test can make as many of as it needs, none a prefix of a figure or a date."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if not number:
            return "w" + letters


def best_cpu_seconds(runs: list[Callable[[], object]], *, rounds: int = 3) -> list[float]:
    """The least processor time each of ``runs`` took over ``rounds`` rounds, the garbage
    collector waiting: what scale tests compare as a ratio (never a wall-clock bound)."""
    best = [math.inf] * len(runs)
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for index, run in enumerate(runs):
                began = time.process_time()
                run()
                best[index] = min(best[index], time.process_time() - began)
    finally:
        gc.enable()
    return best


def numbered_snapshot(number: int) -> Snapshot:
    """A plain-text capture record of its own, one for each number (for the text cache, which
    keys by digest and media type; nothing is written to a store)."""
    return Snapshot(
        url=f"https://example.org/{number}",
        captured=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        media_type="text/plain",
        digest=f"sha256:{number:064x}",
        path=f"warc/{number}.warc.gz",
        length=0,
    )


def stored_state(state: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A normalised text's state as the text cache reads it back: its lists through JSON, its
    gaps (bytes, a section of their own) as they were."""
    stored: dict[str, list[Any]] = json.loads(
        json.dumps({key: value for key, value in state.items() if key != "gaps"})
    )
    if "gaps" in state:
        chunks, gaps = state["gaps"]
        stored["gaps"] = [json.loads(json.dumps(chunks)), bytes(gaps)]
    return stored


@contextlib.contextmanager
def chunks_of(size: int) -> Iterator[None]:
    """The normaliser cutting a text into chunks of ``size`` characters instead of ~16,000, so
    that short texts are cut into several too (where they are cut is what such tests test)."""
    from claimcheck.language import _normalize

    saved = _normalize._CHUNK
    _normalize._CHUNK = size
    try:
        yield
    finally:
        _normalize._CHUNK = saved

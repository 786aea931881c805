"""Loading claims files with and without their statement text, from 10 to 100,000 claims.

Why: a claims file names the statement its claims are cut from, and the loader places every
claim in it (line and column), so that reports and the coverage check can point at it. Placing
each claim by searching the whole statement, and counting its lines, for every claim made
loading quadratic: 10,000 claims took 50-71 s with the statement and 4 s without it (issue 17).

What it measures, for each size, in a fresh process each (after loading the worked example once,
so that lazy imports are not counted), in CPU seconds of that process:

- **without**: ``claimcheck.load`` of a claims file whose ``[statement]`` names no text (the fair
  baseline: the same claims, read and validated, placed nowhere);
- **with**: ``claimcheck.load`` of the same claims with the statement text, every claim placed;
- **coverage**: the coverage check on the loaded claim set (the statement's quotations, figures
  and dates that no claim covers, as ``claimcheck check`` lists them);
- the process's peak resident memory (``VmHWM``): without, with, and after the coverage check.

The inputs are generated (a fixed seed), realistic for a long statement: paragraphs of a report
with a date, a figure and a quotation each, words drawn from a Zipf distribution (the worked
example's words the most frequent, then invented ones), the claims cut from the paragraphs as
``claimcheck extract`` proposes them and an author widens them ("On 7 May 2021, the Lorem
office"; "around 1,234 people had been displaced"; the quotation's words). Two mixes: the claims as
written in the statement (as ``extract`` proposes them, as every claim of the worked example
is), and a share (``--retyped``, default 10 %) written otherwise, as hand-typed claims are:
straight apostrophes where the statement has curly ones, another case. The loader places those
up to typography and case, through the quote matcher (which normalises the statement once).

Targets (printed beside the figures; ``--check-targets`` exits 1 when one is missed):

- claims as written: with the statement within 1.5x of without it at 10,000 claims (the
  retyped mix's ratio is printed, with no target);
- linear growth: the fitted exponent (least squares of log seconds on log claims, over every
  size) at most 1.15 for each series of each mix.

Run from the project root::

    python benchmarks/loading.py                                  # report on stdout
    python benchmarks/loading.py --output benchmarks/loading.txt  # also write the committed report
    python benchmarks/loading.py --sizes 10,100,1000 --check-targets

``main(argv)`` is importable and returns the exit status.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKED_EXAMPLE = ROOT / "claims" / "denmark-syria-2021.md"
DEFAULT_SIZES = (10, 100, 1_000, 10_000, 100_000)
TARGET_RATIO = 1.5
TARGET_RATIO_SIZE = 10_000
TARGET_EXPONENT = 1.15
SEED = 17
MONTHS = (
    "January February March April May June July August September October November December"
).split()
_VOCABULARY_SIZE = 60_000
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]


# --------------------------------------------------------------------------------------------
# Inputs


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words and their cumulative Zipf weights (s = 1.07): the worked example's words first,
    most frequent first, then invented words of two to four syllables."""
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]{2,}", text.lower()):
        counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda word: (-counts[word], word))
    seen = set(words)
    while len(words) < _VOCABULARY_SIZE:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += rank**-1.07
        weights.append(total)
    return words, weights


@dataclass(frozen=True)
class Inputs:
    """One size's files: the statement and the two claims files (with and without it)."""

    claims: int
    with_statement: Path
    without_statement: Path
    statement_bytes: int


def _date(rng: random.Random) -> tuple[str, str | None]:
    """A date phrase as a statement writes it, and its value (None when a year alone)."""
    year, month, day = rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.randrange(4)
    if form == 0:
        return f"On {day} {MONTHS[month - 1]} {year}", f"{year}-{month:02}-{day:02}"
    if form == 1:
        return f"In {MONTHS[month - 1]} {year}", f"{year}-{month:02}"
    if form == 2:
        return f"On {MONTHS[month - 1]} {day}, {year}", f"{year}-{month:02}-{day:02}"
    return f"Since {year}", None


def _retyped(text: str) -> str:
    """A claim as typed by hand: straight apostrophes, or its first letter's case changed."""
    if "’" in text:
        return text.replace("’", "'")
    return text[0].swapcase() + text[1:]


def generate(claims: int, folder: Path, *, retyped: float, seed: int = SEED) -> Inputs:
    """Write ``statement.md``, ``with.toml`` and ``without.toml`` (``claims`` claims) into
    ``folder``."""
    rng = random.Random(seed)
    words, weights = vocabulary(rng)

    def some(low: int, high: int) -> str:
        return " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(low, high)))

    paragraphs: list[str] = []
    found: list[tuple[str, str, str | None]] = []  # kind, text, value
    while len(found) < claims:
        date, value = _date(rng)
        name = rng.choice(words[200:5000]).capitalize()
        date_text = f"{date}, the {name} office"
        number = rng.randint(2, 999_999)
        figure_text = rng.choice(
            [f"around {number:,} people had been {rng.choice(words[:400])}", f"{number:,} {name}s"]
        )
        quote = some(4, 10).capitalize() + rng.choice([", don’t they", ", it’s", ""]) + " "
        quote += some(3, 8) + "."
        paragraphs.append(
            f"{date_text} reported that {figure_text} {some(2, 6)}. {some(8, 20).capitalize()}. "
            f"Its spokesperson said: “{quote}” {some(10, 30).capitalize()}.\n\n"
        )
        found += [("date", date_text, value), ("figure", figure_text, None), ("quote", quote, None)]
    statement = "".join(paragraphs)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "statement.md").write_text(statement, encoding="utf-8")
    entries = []
    for number, (kind, text, value) in enumerate(found[:claims]):
        written = _retyped(text) if rng.random() < retyped else text
        entry = f'\n[[claim]]\nid = "c{number}"\nkind = "{kind}"\ntext = "{written}"\n'
        if value is not None:
            entry += f'value = "{value}"\n'
        entry += f'\n[[claim.source]]\nurl = "https://host{number % 97}.example.org/{number}"\n'
        entries.append(entry)
    body = "".join(entries)
    head = '[statement]\nid = "generated"\ntitle = "A generated report"\n'
    with_statement, without_statement = folder / "with.toml", folder / "without.toml"
    with_statement.write_text(head + 'text = "statement.md"\n' + body, encoding="utf-8")
    without_statement.write_text(head + body, encoding="utf-8")
    return Inputs(claims, with_statement, without_statement, len(statement.encode("utf-8")))


# --------------------------------------------------------------------------------------------
# Measuring


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB: ``VmHWM`` (the ``rusage`` figure
    is inherited across fork and exec on Linux: it would be the benchmark's own)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else math.nan


def measure_child(path: str) -> dict[str, float | int]:
    """In the measuring process: load ``path`` (and check its coverage when it has a statement
    text), timed apart, with the process's peak memory."""
    import claimcheck
    from claimcheck.checking._coverage import uncovered  # what `check` runs per claims file

    # The worked example first: what the first load imports and sets up, once per process, is
    # no part of loading more claims.
    uncovered(claimcheck.load(ROOT / "claims" / "denmark-syria-2021.toml"))
    began = time.process_time()
    claim_set = claimcheck.load(path)
    loaded = time.process_time() - began
    placed = sum(claim.location is not None for claim in claim_set.claims)
    peak = peak_mb()
    coverage, findings = 0.0, 0
    if claim_set.statement.text is not None:
        began = time.process_time()
        findings = len(uncovered(claim_set))
        coverage = time.process_time() - began
    return {
        "load": loaded,
        "coverage": coverage,
        "claims": len(claim_set.claims),
        "placed": placed,
        "findings": findings,
        "peak_mb": peak,
        "coverage_peak_mb": peak_mb(),
    }


def measure(path: Path, repeat: int) -> dict[str, float | int]:
    """The best of ``repeat`` fresh processes (times; the peak memory of the last)."""
    best: dict[str, float | int] = {}
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"measuring {path} failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        for key in ("load", "coverage"):
            result[key] = min(result[key], best.get(key, math.inf))
        best = result
    return best


def fitted_exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """The slope of log seconds on log size, least squares."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(value, 1e-6)) for value in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


# --------------------------------------------------------------------------------------------
# Report


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _series(
    sizes: list[int], rows: dict[int, tuple[dict[str, float | int], dict[str, float | int]]]
) -> list[tuple[str, list[float]]]:
    return [
        ("without", [float(rows[size][0]["load"]) for size in sizes]),
        ("with", [float(rows[size][1]["load"]) for size in sizes]),
        ("coverage", [float(rows[size][1]["coverage"]) for size in sizes]),
    ]


def run_mix(
    sizes: list[int], retyped: float, repeat: int, folder: Path, lines: list[str]
) -> list[tuple[bool | None, str]]:
    """Measure one mix of claims at every size (rows appended to ``lines`` and printed), and
    its targets: (met, or None for a figure with no target; the line)."""
    title = "claims as written in the statement" if not retyped else f"{retyped:.0%} retyped"
    header = [
        "",
        f"{title}: CPU seconds of one process (the best of {repeat} below 10,000 claims)",
        f"{'claims':>8} {'statement':>10} {'without':>10} {'with':>10} {'ratio':>6} "
        f"{'coverage':>10} {'peak MB: w/o':>12} {'with':>5} {'+coverage':>9}",
    ]
    lines += header
    print("\n".join(header), flush=True)
    rows: dict[int, tuple[dict[str, float | int], dict[str, float | int]]] = {}
    for size in sizes:
        inputs = generate(size, folder / f"{retyped}-{size}", retyped=retyped)
        runs = repeat if size < 10_000 else 1
        without = measure(inputs.without_statement, runs)
        with_ = measure(inputs.with_statement, runs)
        if not (with_["claims"] == with_["placed"] == without["claims"] == size):
            raise RuntimeError(f"{size} claims: loaded {with_} and {without}")
        rows[size] = without, with_
        row = (
            f"{size:>8,} {inputs.statement_bytes / 1e6:>8.2f}MB "
            f"{_seconds(float(without['load'])):>10} {_seconds(float(with_['load'])):>10} "
            f"{float(with_['load']) / float(without['load']):>5.2f}x "
            f"{_seconds(float(with_['coverage'])):>10} "
            f"{float(without['peak_mb']):>12.0f} {float(with_['peak_mb']):>5.0f} "
            f"{float(with_['coverage_peak_mb']):>9.0f}"
        )
        lines.append(row)
        print(row, flush=True)
    targets: list[tuple[bool | None, str]] = []
    if len(sizes) >= 2:
        for name, series in _series(sizes, rows):
            exponent = fitted_exponent(sizes, series)
            steps = ", ".join(
                f"{fitted_exponent(sizes[i : i + 2], series[i : i + 2]):.2f}"
                for i in range(len(sizes) - 1)
            )
            targets.append(
                (
                    exponent <= TARGET_EXPONENT,
                    f"{title}: growth exponent, {name}: {exponent:.2f} (target <= "
                    f"{TARGET_EXPONENT}; size to size {steps})",
                )
            )
    ratio_size = TARGET_RATIO_SIZE if TARGET_RATIO_SIZE in rows else max(sizes)
    without, with_ = rows[ratio_size]
    ratio = float(with_["load"]) / float(without["load"])
    text = f"{title}: with / without the statement at {ratio_size:,} claims: {ratio:.2f}x"
    if retyped:
        # The retyped claims are placed by the quote matcher, which normalises the whole
        # statement once (the per-document set-up of issue 17's "one quote on one page").
        targets.append((None, f"{text} (no target: the statement normalised for the matcher)"))
    else:
        targets.append((ratio <= TARGET_RATIO, f"{text} (target <= {TARGET_RATIO}x)"))
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument(
        "--retyped", type=float, default=0.1, help="share of retyped claims in the second mix"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure below 10,000")
    parser.add_argument("--check-targets", action="store_true")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_child(args.child)))
        return 0
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    lines = [
        "claims loading: with the statement text (every claim placed) and without it",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average before: "
        + ", ".join(f"{value:.2f}" for value in os.getloadavg()),
        f"inputs: generated (seed {SEED}); without = the same claims file naming no statement "
        "text; coverage = the coverage check of the claims loaded with it",
    ]
    print("\n".join(lines), flush=True)
    targets: list[tuple[bool | None, str]] = []
    with tempfile.TemporaryDirectory(prefix="claimcheck-loading-") as folder:
        for retyped in sorted({0.0, args.retyped}):
            targets += run_mix(sizes, retyped, args.repeat, Path(folder), lines)
    marks = {True: "met    ", False: "NOT MET", None: "info   "}
    footer = ["", "targets:"]
    footer += [f"  {marks[met]}  {text}" for met, text in targets]
    command = [
        arg
        for index, arg in enumerate(argv or [])
        if not arg.startswith("--output") and (argv or [])[index - 1 : index] != ["--output"]
    ]
    footer += [
        f"load average after: {', '.join(f'{value:.2f}' for value in os.getloadavg())}",
        "produced by: python benchmarks/loading.py" + "".join(f" {arg}" for arg in command),
    ]
    lines += footer
    print("\n".join(footer))
    if args.output is not None:
        args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    missed = any(met is False for met, _ in targets)
    return 1 if args.check_targets and missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Rebuild ``snapshots/`` (the worked example's captures) from ``../shared/worked-example``.

Each source of ``sources.json`` holds verbatim passages recorded from a stored copy of the page:
excerpts, not the page. Each is recorded with ``claimcheck snapshot add --excerpt`` as a plain-text
capture of its URL, dated by the source's publication date (the closest known date of the copy;
sources without one are dated when this script runs), which is also recorded as the document's
publication date, so that relative dates in the source ("last month") can be read.

Run from the project root: ``python scripts/build_worked_example.py [--shared DIR] [--snapshots
DIR]``. The old store is replaced.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _full_date(partial: str) -> str:
    """ "2021-03" -> "2021-03-01", "2022" -> "2022-01-01": the earliest day it can mean."""
    parts = partial.split("-")
    parts += ["01"] * (3 - len(parts))
    return "-".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--snapshots", type=Path, default=ROOT / "snapshots")
    args = parser.parse_args(argv)
    sources_file = args.shared / "worked-example" / "sources.json"
    sources = json.loads(sources_file.read_text(encoding="utf-8"))["sources"]
    if args.snapshots.exists():
        shutil.rmtree(args.snapshots)
    with tempfile.TemporaryDirectory() as scratch:
        for number, source in enumerate(sources):
            excerpt = Path(scratch) / f"source-{number}.txt"
            excerpt.write_text("\n\n".join(source["passages"]) + "\n", encoding="utf-8")
            command = [
                sys.executable, "-m", "claimcheck", "snapshot", "add",
                source["url"], str(excerpt),
                "--excerpt", "--media-type", "text/plain; charset=utf-8",
                "--snapshots", str(args.snapshots),
            ]  # fmt: skip
            if source.get("language"):
                command += ["--language", source["language"]]
            if source.get("published"):
                day = _full_date(source["published"])
                command += ["--captured", day, "--published", day]
            subprocess.run(command, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

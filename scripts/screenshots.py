"""Take the README's screenshots: the HTML report of the worked example and the notebook table.

The worked example is checked offline against ``snapshots/`` (no network), rendered, and opened
in a headless Chromium driven by playwright (``pip install -e '.[test]'``; the browser is
Debian's ``/usr/bin/chromium``, launched as the tests launch it: ``tests/conftest.py``). Writes,
in ``docs/screenshots/``, ``report.png`` (the top of the report: the summary, what needs
attention, the statement), ``report-claim.png`` (a drifted quote: the claim's entry, its word
differences marked) and ``notebook.png`` (the table a notebook shows for the report, under
JupyterLab's table style), each recompressed losslessly to stay small.

Run from anywhere: ``python scripts/screenshots.py [--chromium PATH] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import struct
import tempfile
import zlib
from pathlib import Path

import attrs

import claimcheck
from claimcheck.reports import render_html, render_notebook

ROOT = Path(__file__).resolve().parents[1]
# As tests/conftest.py launches it: no background networking (the sandbox refuses Google's hosts).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# JupyterLab's rendered-HTML table style (@jupyterlab/rendermime base.css), which right-aligns
# cells, and a notebook's fonts: the notebook table as a notebook shows it.
NOTEBOOK_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; padding: 16px 24px; background: #fff; color: rgba(0, 0, 0, .87);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.prompt { color: #616161; font-family: monospace; margin: 0 0 6px; }
.prompt code { color: #000; }
.jp-RenderedHTMLCommon table { border-collapse: collapse; border-spacing: 0; border: none;
  font-size: 12px; table-layout: fixed; }
.jp-RenderedHTMLCommon thead { border-bottom: 1px solid #000; vertical-align: bottom; }
.jp-RenderedHTMLCommon tr, .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td {
  text-align: right; vertical-align: middle; padding: .5em; line-height: normal;
  white-space: normal; max-width: none; border: none; }
.jp-RenderedHTMLCommon th { font-weight: bold; }
.jp-RenderedHTMLCommon tbody tr:nth-child(odd) { background: #f5f5f5; }
.jp-RenderedHTMLCommon td:nth-child(3) { max-width: 520px; }
</style></head><body><p class="prompt">[3]: <code>report</code></p>
<div class="jp-RenderedHTMLCommon">TABLE</div></body></html>"""
# The drifted quote whose word differences the second picture shows (zahreddine-quote).
DRIFTED = 6
# The report's date, fixed: the same input gives the same pictures.
CHECKED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def worked_example() -> claimcheck.Report:
    """The worked example, checked offline against its stored captures (loaded from the
    project's root, so that the report names its files as a reader there would)."""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        claim_set = claimcheck.load("claims/denmark-syria-2021.toml")
        store = claimcheck.SnapshotStore("snapshots")
        report = claimcheck.check([claim_set], snapshots=store, copies="stored")
    finally:
        os.chdir(here)
    return attrs.evolve(report, created=CHECKED)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def recompress(data: bytes) -> bytes:
    """The same PNG image (same pixels and filters), its image data deflated at the highest
    level, and nothing but the chunks an image needs."""
    chunks = _chunks(data)
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    packed = zlib.compress(pixels, 9)
    kept = [(kind, body) for kind, body in chunks if kind in (b"IHDR", b"PLTE", b"tRNS")]
    return (
        data[:8]
        + b"".join(_chunk(kind, body) for kind, body in kept)
        + _chunk(b"IDAT", packed)
        + _chunk(b"IEND", b"")
    )


def take(chromium: str, out: Path) -> list[Path]:
    """Write the two screenshots into ``out``; return their paths."""
    from playwright.sync_api import sync_playwright

    report = worked_example()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            notebook = NOTEBOOK_PAGE.replace("TABLE", render_notebook(report))
            shots = (  # name, page, viewport, the element shown (None: the top of the page)
                ("report", render_html(report), (1280, 1000), None),
                ("report-claim", render_html(report), (1280, 1000), f"#claim-{DRIFTED}"),
                ("notebook", notebook, (1180, 620), None),
            )
            for name, html, (width, height), element in shots:
                source = Path(folder) / f"{name}.html"
                source.write_text(html, encoding="utf-8")
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(source.as_uri())
                shown = page if element is None else page.locator(element)
                target = out / f"{name}.png"
                target.write_bytes(recompress(shown.screenshot()))
                context.close()
                written.append(target)
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium to drive")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", metavar="DIR")
    args = parser.parse_args()
    for path in take(args.chromium, args.out):
        print(f"{path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

"""PDF pages laid out in columns are read column by column, in reading order.

The fixtures are PDFs written here by hand (Helvetica, a standard font: nothing embedded), with
the content stream in either order a producer may use: line by line *across* the columns, as
word processors and layout programs write instruction booklets (pdfium then hands the lines
out interleaved), or one column after the other. poppler's ``pdftotext`` is the reference
reading where it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from claimcheck import Reason, Status
from claimcheck.documents import Text, extract_text
from claimcheck.matching import match_quote

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 612.0, 792.0, 36.0

BOOKLET = [
    "Before first use, charge the battery for at least 4 hours. The indicator light turns "
    "green when the battery is full. Do not leave the charger connected for more than 24 "
    "hours, and never charge the device in a room colder than 5 degrees.",
    "To clean the filter, remove it from the housing and rinse it under warm water. Let the "
    "filter dry for 12 hours before you put it back. Never use a dishwasher or a brush with "
    "hard bristles to clean the filter.",
    "The warranty covers manufacturing defects for 2 years from the date of purchase. It does "
    "not cover damage caused by misuse, accidents or repairs carried out by anyone other than "
    "an authorised service centre.",
]


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _show(x: float, y: float, size: float, line: str, spacing: float = 0) -> str:
    return f"BT /F1 {size:g} Tf {spacing:g} Tw {x:.1f} {y:.1f} Td ({_escape(line)}) Tj ET"


def columns_page(
    columns: list[str],
    *,
    across: bool = True,
    width: int = 34,
    size: float = 9.0,
    title: str | None = None,
    footer: str | None = None,
    spacing: float = 0,
) -> bytes:
    """A page's content stream: ``columns`` side by side, each wrapped at ``width`` characters
    (narrower than its column at this size), written line by line across the columns
    (``across``) or one column after the other, ``spacing`` points added to each word space
    (PDF's Tw, as justified text has it); a full-width title above, a footer below."""
    lines = [textwrap.wrap(text, width) for text in columns]
    column_width = (PAGE_WIDTH - 2 * MARGIN) / len(columns)
    top, leading = PAGE_HEIGHT - 110, size * 1.25
    cells = [(row, col) for row in range(max(map(len, lines))) for col in range(len(columns))]
    if not across:
        cells.sort(key=lambda cell: (cell[1], cell[0]))
    shown = [
        _show(MARGIN + col * column_width, top - row * leading, size, lines[col][row], spacing)
        for row, col in cells
        if row < len(lines[col])
    ]
    if title is not None:
        shown.insert(0, _show(MARGIN, PAGE_HEIGHT - 70, 16, title))
    if footer is not None:
        shown.append(_show(MARGIN, 40, size, footer))
    return "\n".join(shown).encode("latin-1")


def pdf_file(*pages: bytes) -> bytes:
    """A PDF with one page per content stream and Helvetica as /F1 (PDF 1.4, section 7.5: a
    header, numbered objects, the cross-reference table of their byte offsets, the trailer)."""
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for n, stream in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * n} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def read(data: bytes) -> Text:
    text = extract_text(data, "application/pdf")
    assert text.readable, text.unreadable
    return text


def flat(text: str) -> str:
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """The sentences of a reading with at least five words, whitespace collapsed."""
    parts = (flat(part) for part in re.split(r"(?<=[.!?])\s+", text))
    return [part for part in parts if len(part.split()) >= 5]


BOOKLET_PAGES = {
    "three columns written across": columns_page(BOOKLET),
    "three columns, title and footer": columns_page(
        BOOKLET, title="Instructions for use", footer="Keep these instructions. Page 1 of 8."
    ),
    "three columns written one by one": columns_page(BOOKLET, across=False),
    # Word spaces of about one em: pdfium's boxes show a gap as wide as a narrow gutter.
    "three columns, wide word spaces": columns_page(BOOKLET, width=28, spacing=6),
    "two columns written across": columns_page(BOOKLET[:2], width=52, title="Before you start"),
}


@pytest.mark.parametrize("page", BOOKLET_PAGES.values(), ids=BOOKLET_PAGES.keys())
def test_each_column_is_read_whole(page: bytes) -> None:
    text = flat(read(pdf_file(page)).text)
    columns = BOOKLET[:2] if b"Before you start" in page else BOOKLET
    for column in columns:
        assert column in text
    starts = [text.index(column) for column in columns]
    assert starts == sorted(starts)


def test_title_and_footer_around_the_columns() -> None:
    page = BOOKLET_PAGES["three columns, title and footer"]
    text = read(pdf_file(page)).text
    assert text.startswith("Instructions for use\n")
    assert text.endswith("\nKeep these instructions. Page 1 of 8.")


def test_a_table_is_read_row_by_row() -> None:
    """Short cells side by side are a table, not columns of prose: each row stays one line, so
    a figure stays next to what it counts."""
    rows = [["Austria", "8.9", "Vienna"], ["Belgium", "11.5", "Brussels"]]
    rows += [["Denmark", "5.8", "Copenhagen"], ["Finland", "5.5", "Helsinki"]]
    shown = [
        _show(MARGIN + 150 * col, 600 - 14 * row, 10, cell)
        for row, cells in enumerate(rows)
        for col, cell in enumerate(cells)
    ]
    text = read(pdf_file("\n".join(shown).encode())).text
    assert text.splitlines() == [" ".join(cells) for cells in rows]


def test_pages_stay_apart() -> None:
    text = read(pdf_file(columns_page(BOOKLET), columns_page(BOOKLET[::-1])))
    first, second = (text.text[region.start : region.end] for region in text.regions)
    assert flat(first).startswith(BOOKLET[0])
    assert flat(second).startswith(BOOKLET[2])


# --- claims in one column -----------------------------------------------------------------------


@pytest.mark.parametrize("page", BOOKLET_PAGES.values(), ids=BOOKLET_PAGES.keys())
def test_a_sentence_in_one_column_is_verified(page: bytes) -> None:
    source = read(pdf_file(page))
    quote = "Let the filter dry for 12 hours before you put it back."
    evidence = match_quote(quote, source)
    assert (evidence.status, evidence.reason) == (Status.VERIFIED, Reason.EXACT)
    evidence = match_quote("Do not leave the charger connected for more than 24 hours", source)
    assert evidence.status is Status.VERIFIED


@pytest.mark.parametrize("page", BOOKLET_PAGES.values(), ids=BOOKLET_PAGES.keys())
def test_a_changed_figure_in_one_column_is_drifted(page: bytes) -> None:
    source = read(pdf_file(page))
    for quote, figure in (
        ("Let the filter dry for 24 hours before you put it back.", ("24", "12")),
        ("charge the battery for at least 6 hours", ("6", "4")),
    ):
        evidence = match_quote(quote, source)
        assert (evidence.status, evidence.reason) == (Status.DRIFTED, Reason.FIGURE_CHANGED)
        # The figure is the only difference: no words of a neighbouring column in between.
        material = [diff for diff in evidence.differences if diff.material]
        assert [(diff.claim_words, diff.source_words) for diff in material] == [figure]


# --- poppler's pdftotext as the reference reading -----------------------------------------------


def pdftotext(path: Path) -> str:
    executable = shutil.which("pdftotext")
    if executable is None:
        pytest.skip("poppler's pdftotext is not installed")
    done = subprocess.run(
        [executable, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("page", BOOKLET_PAGES.values(), ids=BOOKLET_PAGES.keys())
def test_every_sentence_of_the_reference_reading(page: bytes, tmp_path: Path) -> None:
    path = tmp_path / "booklet.pdf"
    path.write_bytes(pdf_file(page))
    reference = sentences(pdftotext(path))
    assert len(reference) >= 5
    text = flat(read(path.read_bytes()).text)
    assert [sentence for sentence in reference if sentence not in text] == []


@pytest.fixture(scope="module")
def multicolumn(corpus_dir: Path) -> Path:
    path = corpus_dir / "pdf" / "multicolumn.pdf"
    if not path.is_file():
        pytest.skip(f"missing {path}")
    return path


def test_the_corpus_two_column_pdf(multicolumn: Path) -> None:
    text = flat(read(multicolumn.read_bytes()).text)
    for sentence in (
        "Curabitur dictum gravida mauris.",
        "Nulla et lectus vestibulum urna fringilla ultrices.",
        "Nam dui ligula, fringilla a, euismod sodales, sollicitudin vel, wisi.",
    ):
        assert sentence in text
    # pdftotext itself runs the abstract into the second column ("Abstract pellentesque
    # ante."), so a few of its sentences are no sentences of the PDF.
    reference = sentences(pdftotext(multicolumn))
    intact = sum(sentence in text for sentence in reference)
    assert intact >= 0.9 * len(reference)


def test_no_character_is_lost_or_added() -> None:
    page = BOOKLET_PAGES["three columns, title and footer"]
    text = read(pdf_file(page)).text
    written = "".join(BOOKLET) + "Instructions for use" + "Keep these instructions. Page 1 of 8."
    assert sorted(text.replace(" ", "").replace("\n", "")) == sorted(written.replace(" ", ""))


def test_a_page_of_scattered_labels() -> None:
    """Hundreds of labels at as many heights, each gap a little wider than the one above (a
    chart's tick labels, a map): read whole, never cut once per label."""
    shown, y = [], 780.0
    for n in range(600):
        shown.append(_show(MARGIN + (n * 37) % 400, y, 1, f"label{n} of {n % 7} words"))
        y -= 1.4 + 0.0015 * n
    text = read(pdf_file("\n".join(shown).encode())).text
    assert all(f"label{n} of {n % 7} words" in text for n in range(600))

"""Hostile servers: one local server per way a source can misbehave, one ``claimcheck.check``.

Every source of one claims file is served by its own server on 127.0.0.1, each misbehaving in
one way (never answering, a slowloris, a reset mid-body, redirect loops and chains, a redirect
to ``ftp:``, gzip and deflate bombs, an endless body, a lying ``Content-Length`` both ways,
broken chunking, Latin-1 served as UTF-8, UTF-16 with a BOM, 100,000 levels of nesting, the
quote hidden in an 11 MB HTML comment (past libxml2's 10,000,000-byte cap on a node), PDFs
that are truncated, encrypted or image-only, 429 with ``Retry-After: 86400``, a bot wall, a soft
404, a self-signed certificate, an unresolvable host) plus one good page. The whole suite is
checked online, with archives off, in one child process; the report gives each source's
status, reason and seconds, the wall time and the child's peak resident memory (target: under
300 MB), and flags every source whose verdict is not the documented one.

The archive side (:data:`ARCHIVE_CASES`): dead links whose archived copy is looked up in a
hostile archive, one server playing the Wayback Machine and a Memento TimeGate and misbehaving
per cited URL: a gzip and a deflate bomb as the ``id_`` replay, a CDX answer of 5 GiB, a
malformed CDX answer and TimeGate answer, a replay fed one byte a second, a CDX answer and a
replay each just within the deadline, and redirects from the replay and from the TimeGate to an
"internal" server that must never be asked. Each case is checked on its own in a second child
process: its verdict and message, its seconds, the child's peak memory (same target), how much
of the CDX answer was streamed before claimcheck hung up, and the internal server's requests.

At full size the gzip bomb expands to 1 GiB from about 1 MiB, the deflate bomb likewise, the
endless body streams up to 2 GiB (announced, and unannounced), and the PDFs are real ones from
``../shared/corpus/pdf`` (the first half of ``pdflatex-4-pages.pdf``,
``libreoffice-writer-password.pdf``, ``imagemagick-images.pdf``); without ``../shared`` small
hand-made PDFs stand in. ``tests/sources/test_hostile.py`` runs the same scenario, scaled down,
in-process.

Run: ``python benchmarks/hostile.py [--output benchmarks/hostile.txt] [--check-targets]``
(``--cdx-size`` and ``--drip-interval`` scale the archive side);
``main(argv) -> int`` can be imported. Only servers on 127.0.0.1 that the script starts are
contacted (and ``nonexistent.invalid``, which no resolver answers).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"  # the local servers of the test suite are reused
SHARED_PDF = Path(os.environ.get("CLAIMCHECK_CORPUS") or ROOT.parent / "shared" / "corpus") / "pdf"
TARGET_PEAK_MB = 300

if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from servers import (  # noqa: E402
    CHALLENGE_PAGE,
    HTML,
    NOT_FOUND_PAGE,
    LocalServer,
    RequestHandler,
    Route,
    chain,
    gzip_bomb,
    hold,
    lying_length,
    not_found,
    page,
    redirect,
    reset_mid_body,
    self_signed_context,
    trickle,
)

QUOTE = "we will review every permit this year"
FRENCH = "les réfugiés syriens déboutés à Copenhague recevront une réponse écrite"
STATEMENT = f"""\
# Permits

The minister said "{QUOTE}" on Monday.
The council wrote that "{FRENCH}".
"""
ARTICLE = (
    "<html><head><title>Permits</title></head><body><article><h1>Permits</h1>"
    '<p>Copenhagen, 3 November 2017. The minister said: "We will review every permit this '
    'year," adding that around 189 Syrians had been denied residence permits.</p>'
    "</article></body></html>"
)
FRENCH_ARTICLE = (
    "<html><head><title>Réfugiés</title></head><body><article><h1>Réfugiés à Copenhague</h1>"
    "<p>Après des mois d'attente, le conseil a précisé que les réfugiés syriens déboutés à "
    "Copenhague recevront une réponse écrite. Les décisions étaient très attendues : "
    "l'été dernier, déjà, les élus s'étaient prononcés sur la procédure.</p>"
    "</article></body></html>"
)

# Each case: the path it is served at, the claim's text, and the documented (status, reason);
# a reason of None means any reason of a verified verdict.
Expected = tuple[str, str | None]
CASES: dict[str, tuple[str, str, Expected]] = {
    "good-page": ("/news/permits", QUOTE, ("verified", None)),
    "never-answers": ("/news/hold", QUOTE, ("unchecked", "timeout")),
    "slowloris": ("/news/slow", QUOTE, ("unchecked", "timeout")),
    "reset-mid-body": ("/news/reset", QUOTE, ("unchecked", "connection-error")),
    "redirect-loop": ("/loop/a", QUOTE, ("broken", "too-many-redirects")),
    "redirect-chain-30": ("/chain/30", QUOTE, ("broken", "too-many-redirects")),
    "redirect-to-ftp": ("/news/ftp", QUOTE, ("broken", "bad-redirect")),
    "gzip-bomb": ("/news/gzip-bomb", QUOTE, ("unchecked", "too-large")),
    "deflate-bomb": ("/news/deflate-bomb", QUOTE, ("unchecked", "too-large")),
    "endless-body": ("/news/endless", QUOTE, ("unchecked", "too-large")),
    # No Content-Length (the body runs to the connection's close): only the cap on the bytes
    # actually read can stop it.
    "endless-body-unannounced": ("/news/endless-unannounced", QUOTE, ("unchecked", "too-large")),
    "length-overstated": ("/news/overstated", QUOTE, ("unchecked", "connection-error")),
    # The body goes on past its Content-Length: the announced part is the page.
    "length-understated": ("/news/understated", QUOTE, ("verified", None)),
    "bad-chunking": ("/news/chunked", QUOTE, ("unchecked", "connection-error")),
    "latin1-as-utf8": ("/news/latin1", FRENCH, ("verified", None)),
    "utf16-bom": ("/news/utf16", FRENCH, ("verified", None)),
    "utf16-bom-wrong-charset": ("/news/utf16-wrong", FRENCH, ("verified", None)),
    "nested-100k": ("/news/nested", QUOTE, ("verified", None)),
    # The quote only in a comment (which no browser shows) larger than libxml2's cap on a node.
    "quote-in-huge-comment": ("/news/commented", QUOTE, ("broken", "not-found")),
    "pdf-truncated": ("/docs/truncated.pdf", QUOTE, ("broken", "unreadable-source")),
    "pdf-encrypted": ("/docs/encrypted.pdf", QUOTE, ("broken", "unreadable-source")),
    "pdf-image-only": ("/docs/scan.pdf", QUOTE, ("broken", "unreadable-source")),
    "429-retry-after-86400": ("/news/busy", QUOTE, ("unchecked", "rate-limited")),
    "bot-wall-403": ("/news/walled", QUOTE, ("unchecked", "blocked")),
    "soft-404": ("/soft/permits-2017", QUOTE, ("broken", "soft-404")),
    "self-signed-tls": ("/news/permits", QUOTE, ("unchecked", "tls-error")),
    "unresolvable-host": ("", QUOTE, ("broken", "dns-failure")),
}
DNS_URL = "http://nonexistent.invalid/"


# ---------------------------------------------------------------------------------------------
# Routes


def endless(size: int, *, announce: bool = True) -> Route:
    """Stream ``size`` bytes of HTML filler until the client leaves, announcing the size in
    ``Content-Length`` or (``announce=False``) not at all, the close ending the body."""

    def route(handler: RequestHandler) -> None:
        handler.done()
        handler.close_connection = True
        length = f"Content-Length: {size}\r\n" if announce else "Connection: close\r\n"
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{length}\r\n"
        block = b"<p>" + b"filler " * 9360 + b"</p>\n"
        sent = 0
        with contextlib.suppress(OSError):
            handler.wfile.write(head.encode())
            while sent < size and not handler.server.closing.is_set():
                piece = block[: size - sent]
                handler.wfile.write(piece)
                sent += len(piece)

    return route


def compressed_zeros(decoded_size: int, wbits: int) -> bytes:
    """``decoded_size`` zero bytes compressed: zlib-wrapped deflate (``wbits`` 15, what
    ``Content-Encoding: deflate`` means, RFC 9110 section 8.4.1.2) or gzip (``wbits`` 31)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(decoded_size // len(block))]
    parts.append(compressor.compress(bytes(decoded_size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


def deflate_bomb(decoded_size: int) -> Route:
    """A small zlib-wrapped deflate body (``Content-Encoding: deflate``) of ``decoded_size``."""
    return page(compressed_zeros(decoded_size, 15), headers=[("Content-Encoding", "deflate")])


def understated(body: bytes, extra: bytes) -> Route:
    """Announce ``len(body)`` bytes, send ``body + extra``, keep the connection open."""

    def route(handler: RequestHandler) -> None:
        handler.done()
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        handler.wfile.write(head.encode() + body + extra)
        handler.wfile.flush()

    return route


def bad_chunking(handler: RequestHandler) -> None:
    """``Transfer-Encoding: chunked`` with one good chunk, then a chunk size that is no number."""
    handler.done()
    handler.close_connection = True
    first = ARTICLE.encode()[:200]
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(first):x}\r\n".encode()
        + first
        + b"\r\nzz-not-hex\r\n"
        + ARTICLE.encode()[200:]
        + b"\r\n0\r\n\r\n"
    )
    handler.wfile.flush()


def nested(depth: int, *, closed: bool = True) -> bytes:
    """``depth`` nested ``<div>`` s around the article (closed, or left for the parser to close:
    half the bytes, so 100,000 levels fit a 1 MiB cap)."""
    return (
        b"<html><head><title>Deep</title></head><body>"
        + b"<div>" * depth
        + ARTICLE.split("<article>", 1)[1].split("</article>", 1)[0].encode()
        + (b"</div>" * depth if closed else b"")
        + b"</body></html>"
    )


def commented(size: int) -> bytes:
    """A page whose visible text lacks the quote, and whose comment of ``size`` bytes has it:
    past 10,000,000 bytes libxml2 (without its "huge" option) gave such a comment up and read
    its content as page text."""
    hidden = b"hidden " * (size // 7) + f"<p>{QUOTE}.</p>".encode()
    return (
        b"<html><head><title>Permits</title></head><body><article><h1>Permits</h1>"
        b"<p>Copenhagen, 3 November 2017. The council met on Monday.</p>"
        b"<!-- " + hidden + b" --></article></body></html>"
    )


def routes(
    *,
    bomb_size: int,
    body_size: int,
    depth: int,
    closed: bool,
    pdfs: dict[str, bytes],
    trickle_interval: float,
    comment_size: int = 11_000_000,
) -> dict[str, Route]:
    """Every hostile route (served, one server per case, from the same table)."""
    cloudflare = [("Server", "cloudflare"), ("cf-mitigated", "challenge"), ("CF-RAY", "8f0-AMS")]
    article = ARTICLE.encode()
    utf16 = b"\xff\xfe" + FRENCH_ARTICLE.encode("utf-16-le")
    table: dict[str, Route] = {
        "/": page("<html><title>Example</title><h1>Front page</h1></html>"),
        "/news/permits": page(ARTICLE),
        "/news/hold": hold(),
        # One byte per interval: every read succeeds (the interval is below the read timeout), so
        # only the deadline can stop it.
        "/news/slow": trickle(article, trickle_interval),
        "/news/reset": reset_mid_body(article[:150]),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/chain/*": chain(),
        "/news/ftp": redirect("ftp://files.example.org/permits.pdf"),
        "/news/gzip-bomb": gzip_bomb(bomb_size),
        "/news/deflate-bomb": deflate_bomb(bomb_size),
        "/news/endless": endless(body_size),
        "/news/endless-unannounced": endless(body_size, announce=False),
        "/news/overstated": lying_length(article, 10 * len(article)),
        "/news/understated": understated(article, b"<p>garbage " * 1000),
        "/news/chunked": bad_chunking,
        "/news/latin1": page(
            FRENCH_ARTICLE.encode("latin-1"), content_type="text/html; charset=utf-8"
        ),
        "/news/utf16": page(utf16, content_type="text/html"),
        "/news/utf16-wrong": page(utf16, content_type="text/html; charset=iso-8859-1"),
        "/news/nested": page(nested(depth, closed=closed)),
        "/news/commented": page(commented(comment_size)),
        "/news/busy": page("<h1>Slow down</h1>", status=429, headers=[("Retry-After", "86400")]),
        "/news/walled": page(CHALLENGE_PAGE, status=403, headers=cloudflare),
        "/soft/*": page(NOT_FOUND_PAGE),
    }
    for name, data in pdfs.items():
        table[f"/docs/{name}"] = page(data, content_type="application/pdf")
    return table


# ---------------------------------------------------------------------------------------------
# PDFs: real ones from the shared corpus, else small hand-made stand-ins


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer
    out += f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d " % len(data) + extra + b">>\nstream\n" + data + b"\nendstream"


def _text_pdf(trailer: bytes = b"", extra: list[bytes] | None = None) -> bytes:
    lines = b"".join(
        b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n" % (720 - 14 * i, line.encode())
        for i, line in enumerate(
            ["Copenhagen, 3 November 2017.", f"The minister said: {QUOTE}."] * 20
        )
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _stream(lines),
            *(extra or []),
        ],
        trailer,
    )


def handmade_pdfs() -> dict[str, bytes]:
    """A text PDF cut in half, an encrypted one (a user password), an image-only one."""
    whole = _text_pdf()
    secret = hashlib.sha256(b"not the empty password").digest()
    encrypted = _text_pdf(
        b"/Encrypt 6 0 R /ID [<%s> <%s>] "
        % (secret[:16].hex().encode(), secret[:16].hex().encode()),
        [
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
            % (secret.hex().encode(), hashlib.sha256(secret).hexdigest().encode())
        ],
    )
    pixels = zlib.compress(bytes((x * y) % 256 for y in range(64) for x in range(64)))
    scan = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
            _stream(
                pixels,
                b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode ",
            ),
            _stream(b"q 400 0 0 400 100 300 cm /Im1 Do Q"),
        ]
    )
    return {
        "truncated.pdf": whole[: len(whole) // 2],
        "encrypted.pdf": encrypted,
        "scan.pdf": scan,
    }


def real_pdfs(folder: Path = SHARED_PDF) -> dict[str, bytes] | None:
    """The shared corpus's PDFs for the three cases, or ``None`` without the corpus."""
    names = ("pdflatex-4-pages.pdf", "libreoffice-writer-password.pdf", "imagemagick-images.pdf")
    if not all((folder / name).is_file() for name in names):
        return None
    whole = (folder / names[0]).read_bytes()
    return {
        "truncated.pdf": whole[: len(whole) // 2],
        "encrypted.pdf": (folder / names[1]).read_bytes(),
        "scan.pdf": (folder / names[2]).read_bytes(),
    }


# ---------------------------------------------------------------------------------------------
# The scenario


def resolver_fails_fast(name: str = "nonexistent.invalid", wait: float = 3.0) -> bool:
    """Whether this machine's resolver refuses ``name`` promptly (some sandboxes hang)."""
    outcome: list[bool] = []

    def lookup() -> None:
        try:
            socket.getaddrinfo(name, 80)
        except OSError:
            outcome.append(True)
        else:
            outcome.append(False)

    thread = threading.Thread(target=lookup, daemon=True)
    thread.start()
    thread.join(wait)
    return outcome == [True]


@contextlib.contextmanager
def hostile_servers(
    folder: Path,
    *,
    bomb_size: int,
    body_size: int,
    depth: int,
    pdfs: dict[str, bytes],
    closed: bool = True,
    trickle_interval: float = 1.0,
    comment_size: int = 11_000_000,
) -> Iterator[dict[str, str]]:
    """Start one server per case (TLS for ``self-signed-tls``); yield each case's URL. Cases
    that cannot be staged here (no certificate tooling, a resolver that hangs) are left out."""
    table = routes(
        bomb_size=bomb_size,
        body_size=body_size,
        depth=depth,
        closed=closed,
        pdfs=pdfs,
        trickle_interval=trickle_interval,
        comment_size=comment_size,
    )
    urls: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        for name, (path, _, _) in CASES.items():
            if name == "unresolvable-host":
                if resolver_fails_fast():
                    urls[name] = DNS_URL
                continue
            tls = None
            if name == "self-signed-tls":
                tls = self_signed_context(folder)
                if tls is None:
                    continue
            server = stack.enter_context(LocalServer(table, tls=tls))
            urls[name] = server.url + path
        yield urls


def write_claims(folder: Path, urls: dict[str, str], *, name: str = "hostile") -> Path:
    """A statement and its claims file (``<name>.toml``): one quote claim per case, citing the
    case's URL (the claim's text is the live case's, else the quote)."""
    (folder / "statement.md").write_text(STATEMENT, encoding="utf-8")
    parts = ['[statement]\nid = "hostile"\ntext = "statement.md"\npublished = 2017-11-06\n']
    for case, url in urls.items():
        text = CASES[case][1] if case in CASES else QUOTE
        parts.append(
            f'\n[[claim]]\nid = "{case}"\nkind = "quote"\ntext = "{text}"\n'
            f'\n[[claim.source]]\nurl = "{url}"\n'
        )
    path = folder / f"{name}.toml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def outcomes(report: Any) -> dict[str, tuple[str, str]]:
    """Each claim's (status, reason) from its single source's verdict."""
    return {
        result.claim.id: (result.verdicts[0].status.value, result.verdicts[0].reason.value)
        for result in report.results
    }


def misses(found: dict[str, tuple[str, str]]) -> list[str]:
    """The cases whose verdict is not the documented one."""
    wrong = []
    for name, (status, reason) in found.items():
        want_status, want_reason = CASES[name][2]
        if status != want_status or (want_reason is not None and reason != want_reason):
            wrong.append(
                f"{name}: {status}/{reason}, documented {want_status}/{want_reason or '*'}"
            )
    return wrong


# ---------------------------------------------------------------------------------------------
# The hostile archive: one server playing the Wayback Machine (CDX and id_ replay) and a Memento
# TimeGate, misbehaving in another way for each cited URL (told by its last path segment). The
# cited pages are dead (404), so every case's archived copy "as cited" is looked up.
#
# The well-behaved answers copy the real ones (formats as in tests/fake_archive.py): CDX
# output=json is an array of arrays whose first row names the fields asked for with fl
# (internetarchive/wayback, wayback-cdx-server/README.md); an id_ replay is the original body
# with Memento-Datetime (RFC 7089 section 2.1.1); a TimeGate answers 302 to the memento with
# "Vary: accept-datetime" (RFC 7089 section 4.1.1), and a TimeGate may hand over to a memento on
# another server (RFC 7089 section 4.2). What each hostile answer does instead is beside it.

ARCHIVE_STAMP = "20171103120000"
ARCHIVE_MOMENT = "Fri, 03 Nov 2017 12:00:00 GMT"
# Each case: the documented (status, reason) and a phrase its message must contain. A dead link
# whose archived copy has the claim is broken/dead-link; one whose lookup failed stays
# broken/http-404, the failure noted in the message.
ARCHIVE_CASES: dict[str, tuple[Expected, str]] = {
    "archive-good-copy": (("broken", "dead-link"), "archived copy"),
    # A 1 GiB gzip (or deflate) body served as the capture's id_ replay.
    "archive-gzip-bomb-replay": (("broken", "http-404"), "size cap"),
    "archive-deflate-bomb-replay": (("broken", "http-404"), "size cap"),
    # A CDX answer of valid rows that goes on (5 GiB at full size), chunked as a streaming
    # servlet sends it.
    "archive-huge-cdx": (("broken", "http-404"), "size cap"),
    # A CDX answer cut off mid-row.
    "archive-malformed-cdx": (("broken", "http-404"), "unexpected CDX answer"),
    # The replay fed one byte at a time (each read well within the timeout).
    "archive-slow-replay": (("broken", "http-404"), "deadline"),
    # The CDX answer and the replay each just within the deadline, together far beyond it.
    "archive-slow-cdx-and-replay": (("broken", "http-404"), "deadline"),
    # The replay redirects to an internal address (another port of the loopback).
    "archive-replay-to-internal": (("broken", "http-404"), "not a public internet address"),
    # No capture in the Wayback Machine; the TimeGate redirects to an internal address.
    "archive-timegate-to-internal": (("broken", "http-404"), "not a public internet address"),
    # No capture in the Wayback Machine; the TimeGate answers 200 with a broken Link header and
    # no Memento-Datetime.
    "archive-malformed-timegate": (("broken", "http-404"), "without a Memento-Datetime"),
}
INTERNAL_PATH = "/internal-admin?action=drop"


def _archive_case(handler: RequestHandler) -> tuple[str, str]:
    """The case and the cited URL a request to the hostile archive is about."""
    parts = urlsplit(handler.path)
    if parts.path.startswith("/cdx/"):
        original = parse_qs(parts.query).get("url", [""])[0]
    else:  # /web/<timestamp>id_/<url> or /timegate/<url>
        original = handler.path.split("/", 3)[-1]
    return original.rstrip("/").rsplit("/", 1)[-1], original


def _drip(
    handler: RequestHandler, body: bytes, headers: list[tuple[str, str]], pieces: int, pause: float
) -> None:
    """Announce ``body`` and send it in ``pieces`` pieces, ``pause`` seconds before each."""
    handler.done()
    handler.close_connection = True
    lines = [*headers, ("Connection", "close")]
    head = "HTTP/1.1 200 OK\r\n" + "".join(f"{name}: {value}\r\n" for name, value in lines)
    handler.wfile.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode())
    handler.wfile.flush()
    size = -(-len(body) // pieces)
    for start in range(0, len(body), size):
        if handler.server.closing.wait(pause):
            return
        handler.wfile.write(body[start : start + size])
        handler.wfile.flush()


def _endless_cdx(handler: RequestHandler, fields: list[str], row: list[str], size: int) -> None:
    """A CDX answer of ``row`` repeated to ``size`` bytes (valid JSON, chunked) or until the
    client leaves; the bytes sent are counted in the server's statistics."""
    handler.done()
    handler.close_connection = True
    line = json.dumps(row)
    block = ((line + ",\n") * (65536 // (len(line) + 2))).encode()

    def chunk(data: bytes) -> bytes:
        return b"%x\r\n%s\r\n" % (len(data), data)

    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n"
    )
    sent = 0
    with contextlib.suppress(OSError):
        handler.wfile.write(head + chunk(f"[{json.dumps(fields)},\n".encode()))
        while sent < size and not handler.server.closing.is_set():
            handler.wfile.write(chunk(block))
            sent += len(block)
            handler.server.count_sent(len(block))
        handler.wfile.write(chunk(f"{line}]\n".encode()) + b"0\r\n\r\n")


def archive_routes(
    *, bomb_size: int, cdx_size: int, drip_interval: float, deadline: float, internal: str
) -> dict[str, Route]:
    """The hostile archive's routes (see :data:`ARCHIVE_CASES`): ``bomb_size`` decoded bytes of
    bomb, ``cdx_size`` bytes of CDX, one replay byte per ``drip_interval``, the two-part drip
    paced to 0.8 ``deadline`` per part, ``internal`` the base URL of the "internal" server."""
    article = ARTICLE.encode()
    bombs = {
        "archive-gzip-bomb-replay": (compressed_zeros(bomb_size, 31), "gzip"),
        "archive-deflate-bomb-replay": (compressed_zeros(bomb_size, 15), "deflate"),
    }
    paced = (8, 0.1 * deadline)  # eight pieces, 0.8 of the deadline in all

    def cdx(handler: RequestHandler) -> None:
        case, original = _archive_case(handler)
        query = parse_qs(urlsplit(handler.path).query)
        fields = query.get("fl", ["original,timestamp,statuscode,digest,mimetype"])[0].split(",")
        values = {
            "original": original,
            "timestamp": ARCHIVE_STAMP,
            "statuscode": "200",
            "digest": "A" * 32,
            "mimetype": "text/html",
        }
        row = [values.get(field, "-") for field in fields]
        rows = json.dumps([fields, row])
        kind = "application/json"
        if case == "archive-huge-cdx":
            _endless_cdx(handler, fields, row, cdx_size)
        elif case == "archive-malformed-cdx":
            handler.send(200, rows[: len(rows) // 2 + 3], content_type=kind)
        elif case in ("archive-timegate-to-internal", "archive-malformed-timegate"):
            handler.send(200, "[]", content_type=kind)
        elif case == "archive-slow-cdx-and-replay":
            _drip(handler, rows.encode(), [("Content-Type", kind)], *paced)
        else:
            handler.send(200, rows, content_type=kind)

    def replay(handler: RequestHandler) -> None:
        case, original = _archive_case(handler)
        memento = [("Memento-Datetime", ARCHIVE_MOMENT), ("Link", f'<{original}>; rel="original"')]
        if case in bombs:
            body, encoding = bombs[case]
            handler.send(200, body, headers=[*memento, ("Content-Encoding", encoding)])
        elif case == "archive-slow-replay":
            _drip(handler, article, [("Content-Type", HTML), *memento], len(article), drip_interval)
        elif case == "archive-slow-cdx-and-replay":
            _drip(handler, article, [("Content-Type", HTML), *memento], *paced)
        elif case == "archive-replay-to-internal":
            handler.send(302, "", headers=[("Location", internal + INTERNAL_PATH)])
        else:
            handler.send(200, article, headers=memento)

    def timegate(handler: RequestHandler) -> None:
        case, _ = _archive_case(handler)
        if case == "archive-timegate-to-internal":
            location = [("Location", internal + INTERNAL_PATH), ("Vary", "accept-datetime")]
            handler.send(302, "", headers=location)
        elif case == "archive-malformed-timegate":
            broken = [("Link", '<http://a.example/; rel="memento; datetime="Fri, 03')]
            handler.send(200, "<html>no memento here</html>", headers=broken)
        else:
            not_found(handler)

    return {"/cdx/search/cdx": cdx, "/web/*": replay, "/timegate/*": timegate}


@attrs.frozen
class HostileArchive:
    """The running hostile archive: the cited URL of each case, the archive's base URL, and the
    servers (``archive`` for its statistics, ``internal`` whose requests must stay none)."""

    urls: dict[str, str]
    base_url: str
    archive: LocalServer
    internal: LocalServer


@contextlib.contextmanager
def hostile_archive(
    *, bomb_size: int, cdx_size: int, drip_interval: float, deadline: float
) -> Iterator[HostileArchive]:
    """Start the dead origin, the "internal" server and the hostile archive."""
    internal_routes: dict[str, Route] = {"*": page("<p>dropped</p>")}
    with (
        LocalServer({"/gone/*": not_found}) as origin,
        LocalServer(internal_routes) as internal,
    ):
        routes = archive_routes(
            bomb_size=bomb_size,
            cdx_size=cdx_size,
            drip_interval=drip_interval,
            deadline=deadline,
            internal=internal.url,
        )
        with LocalServer(routes) as archive:
            urls = {case: f"{origin.url}/gone/{case}" for case in ARCHIVE_CASES}
            yield HostileArchive(urls, archive.url, archive, internal)


def archive_misses(found: dict[str, tuple[str, str, str]]) -> list[str]:
    """The archive cases whose verdict, or message, is not the documented one."""
    wrong = []
    for name, (status, reason, message) in found.items():
        (want_status, want_reason), phrase = ARCHIVE_CASES[name]
        if (status, reason) != (want_status, want_reason) or phrase not in message:
            wrong.append(
                f"{name}: {status}/{reason}, documented {want_status}/{want_reason} with {phrase!r}"
            )
    return wrong


# ---------------------------------------------------------------------------------------------
# The child: one check of the whole suite, then its peak memory

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {tests!r})
import claimcheck
from claimcheck import FetchConfig, SnapshotStore
claim_set = claimcheck.load({claims!r})
started = time.monotonic()
report = claimcheck.check(
    claim_set,
    snapshots=SnapshotStore({store!r}, create=True),
    copies="live-only",
    fetch=FetchConfig(deadline={deadline}, connect_timeout=3, read_timeout=3, retries=1,
                      backoff=0.1, host_spacing=0, allow_private_addresses=True),
)
wall = time.monotonic() - started
rows = {{}}
for result in report.results:
    verdict = result.verdicts[0]
    rows[result.claim.id] = [verdict.status.value, verdict.reason.value, verdict.message]
print(json.dumps({{"wall": wall, "rows": rows,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 on a miss")
    parser.add_argument("--bomb-size", type=int, default=2**30, help="decoded bomb size (bytes)")
    parser.add_argument("--body-size", type=int, default=2 * 2**30, help="endless body (bytes)")
    parser.add_argument("--depth", type=int, default=100_000, help="HTML nesting depth")
    parser.add_argument("--deadline", type=float, default=10.0, help="per-URL deadline (s)")
    parser.add_argument(
        "--cdx-size", type=int, default=5 * 2**30, help="the hostile archive's CDX answer (bytes)"
    )
    parser.add_argument(
        "--drip-interval", type=float, default=1.0, help="seconds per byte of the slow replay"
    )
    return parser.parse_args(argv)


ARCHIVE_CHILD = """
import json, resource, sys, time
import attrs
import claimcheck
from claimcheck import FetchConfig, SnapshotStore
from claimcheck.sources import ArchiveConfig
claim_set = claimcheck.load({claims!r})
archives = ArchiveConfig(wayback={wayback!r}, timegates=({wayback!r} + "/timegate/",),
                         timeout=3, deadline={deadline}, requests_per_minute=60000)
fetch = FetchConfig(deadline={deadline}, connect_timeout=3, read_timeout=3, retries=0,
                    host_spacing=0, soft_404=False, allow_private_addresses=True)
rows = {{}}
for index, claim in enumerate(claim_set.claims):
    started = time.monotonic()
    report = claimcheck.check(
        attrs.evolve(claim_set, claims=(claim,)), coverage=False, fetch=fetch, archives=archives,
        snapshots=SnapshotStore({store!r} + str(index), create=True),
    )
    verdict = report.results[0].verdicts[0]
    rows[claim.id] = [verdict.status.value, verdict.reason.value, verdict.message,
                      time.monotonic() - started]
print(json.dumps({{"rows": rows,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def archive_report(args: argparse.Namespace, folder: Path) -> tuple[list[str], bool]:
    """The archive side: each hostile archive case checked on its own (one ``check`` each, in
    one child process): the report's lines, and whether every target was met (verdicts and
    messages as documented, the child's peak memory, no request to the internal server)."""
    built = time.monotonic()
    with hostile_archive(
        bomb_size=args.bomb_size,
        cdx_size=args.cdx_size,
        drip_interval=args.drip_interval,
        deadline=args.deadline,
    ) as archive:
        setup = time.monotonic() - built
        claims = write_claims(folder, archive.urls, name="archive")
        code = ARCHIVE_CHILD.format(
            claims=str(claims),
            wayback=archive.base_url,
            store=str(folder / "archive-store"),
            deadline=args.deadline,
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0:
            return [f"the archive child failed:\n{result.stderr}"], False
        child = json.loads(result.stdout)
        cdx_sent = archive.archive.stats.bytes_sent
        internal = len(archive.internal.stats.requests)
    rows: dict[str, list[Any]] = child["rows"]
    wrong = archive_misses({name: (row[0], row[1], row[2]) for name, row in rows.items()})
    peak_mb = child["peak_kib"] / 1024
    lines = [
        "",
        "archive side: each cited page is dead (404), so its archived copy is looked up in a",
        "hostile archive (Wayback CDX and id_ replay, a Memento TimeGate) misbehaving per URL",
        f"ArchiveConfig(deadline={args.deadline:g}, timeout=3, max_bytes=25 MiB (default)); "
        f"bombs {args.bomb_size / 2**20:,.0f} MiB decoded; CDX answer "
        f"{args.cdx_size / 2**20:,.0f} MiB; slow replay 1 byte per {args.drip_interval:g} s; "
        f"archive built in {setup:.1f} s",
        "",
        f"{'archived copy':<30} {'documented':<22} {'got':<22} {'s alone':>7}  ok",
    ]
    for name, ((want_status, want_reason), _) in ARCHIVE_CASES.items():
        status, reason, _, seconds = rows[name]
        ok = name not in {w.split(":")[0] for w in wrong}
        lines.append(
            f"{name:<30} {want_status + '/' + want_reason:<22} {status + '/' + reason:<22} "
            f"{seconds:>7.2f}  {'yes' if ok else 'NO'}"
        )
    met = peak_mb < TARGET_PEAK_MB
    lines += [
        "",
        f"all {len(rows)} archive cases, one check() each: "
        f"{sum(row[3] for row in rows.values()):.2f} s",
        f"peak resident memory of the archive-checking process: {peak_mb:.0f} MB "
        f"(target < {TARGET_PEAK_MB} MB: {'met' if met else 'MISSED'})",
        f"bytes the hostile archive streamed before claimcheck hung up (the CDX answer): "
        f"{cdx_sent / 2**20:,.1f} MiB of {args.cdx_size / 2**20:,.0f} MiB",
        f"requests that reached the internal server: {internal}",
        "archive verdicts not as documented: " + ("none" if not wrong else "; ".join(wrong)),
        "",
        "archive messages:",
        *(f"  {name}: {rows[name][2]}" for name in ARCHIVE_CASES),
    ]
    return lines, met and not wrong and internal == 0


def timed_fetches(urls: dict[str, str], deadline: float) -> dict[str, float]:
    """Each URL fetched on its own (in a child, one Fetcher) to time it: seconds per source."""
    code = f"""
import json, sys, time
from claimcheck.sources import FetchConfig, Fetcher
urls = json.loads(sys.stdin.read())
config = FetchConfig(deadline={deadline}, connect_timeout=3, read_timeout=3, retries=1,
                     backoff=0.1, host_spacing=0, allow_private_addresses=True)
seconds = {{}}
with Fetcher(config) as fetcher:
    for name, url in urls.items():
        started = time.monotonic()
        fetcher.fetch(url)
        seconds[name] = time.monotonic() - started
print(json.dumps(seconds))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    seconds: dict[str, float] = json.loads(result.stdout)
    return seconds


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pdfs = real_pdfs()
    pdf_origin = f"real PDFs from {SHARED_PDF}" if pdfs else "hand-made PDFs (no ../shared)"
    if pdfs is None:
        pdfs = handmade_pdfs()
    lines = []
    with tempfile.TemporaryDirectory(prefix="claimcheck-hostile-") as tmp:
        folder = Path(tmp)
        built = time.monotonic()
        with hostile_servers(
            folder, bomb_size=args.bomb_size, body_size=args.body_size, depth=args.depth, pdfs=pdfs
        ) as urls:
            setup = time.monotonic() - built
            claims = write_claims(folder, urls)
            code = CHILD.format(
                tests=str(TESTS),
                claims=str(claims),
                store=str(folder / "store"),
                deadline=args.deadline,
            )
            result = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, timeout=600
            )
            if result.returncode != 0:
                print(result.stderr, file=sys.stderr)
                return 2
            child = json.loads(result.stdout)
            seconds = timed_fetches(urls, args.deadline)
    rows: dict[str, list[str]] = child["rows"]
    found = {name: (row[0], row[1]) for name, row in rows.items()}
    wrong = misses(found)
    peak_mb = child["peak_kib"] / 1024
    lines.append("claimcheck hostile-servers benchmark")
    lines.append(
        f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    lines.append(
        f"gzip and deflate bombs: {args.bomb_size / 2**20:,.0f} MiB decoded; endless body: "
        f"{args.body_size / 2**20:,.0f} MiB announced; nesting: {args.depth:,} levels; "
        f"hidden comment: 11 MB; {pdf_origin}"
    )
    lines.append(
        f"FetchConfig(deadline={args.deadline:g}, connect_timeout=3, read_timeout=3, retries=1, "
        "max_bytes=25 MiB (default)); archives off; servers built in "
        f"{setup:.1f} s"
    )
    skipped = sorted(set(CASES) - set(rows))
    if skipped:
        lines.append(f"not staged here: {', '.join(skipped)}")
    lines.append("")
    lines.append(f"{'source':<26} {'documented':<31} {'got':<31} {'s alone':>7}  ok")
    for name in CASES:
        if name not in rows:
            continue
        want_status, want_reason = CASES[name][2]
        status, reason = found[name]
        ok = name not in {w.split(":")[0] for w in wrong}
        lines.append(
            f"{name:<26} {want_status + '/' + (want_reason or '*'):<31} "
            f"{status + '/' + reason:<31} {seconds.get(name, float('nan')):>7.2f}  "
            f"{'yes' if ok else 'NO'}"
        )
    lines.append("")
    lines.append(f"one check() of all {len(rows)} sources: {child['wall']:.2f} s wall")
    lines.append(
        f"peak resident memory of the checking process: {peak_mb:.0f} MB "
        f"(target < {TARGET_PEAK_MB} MB: {'met' if peak_mb < TARGET_PEAK_MB else 'MISSED'})"
    )
    lines.append("verdicts not as documented: " + ("none" if not wrong else "; ".join(wrong)))
    lines.append("")
    lines.append("messages:")
    lines.extend(f"  {name}: {rows[name][2]}" for name in CASES if name in rows)
    with tempfile.TemporaryDirectory(prefix="claimcheck-hostile-archive-") as tmp:
        archive_lines, archive_met = archive_report(args, Path(tmp))
    lines.extend(archive_lines)
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if args.output is not None:
        args.output.write_text(report, encoding="utf-8")
    if args.check_targets and (wrong or peak_mb >= TARGET_PEAK_MB or not archive_met):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A captured copy of a source (:class:`Snapshot`), and the keys and times that name captures:
:func:`surt` (the CDX sort key of a URL), :func:`as_utc`, :func:`utc_timestamp`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import attrs


@attrs.frozen
class Snapshot:
    """One captured copy of a source, as recorded in the store's index.

    - ``captured``: when the copy was made (timezone-aware, UTC); for an archived copy, the
      archive's capture time.
    - ``status``/``headers``: the HTTP status and response headers, when it came over HTTP.
    - ``digest``: ``sha256:<hex>`` of the payload (the document's bytes).
    - ``excerpt``: the copy holds only excerpts of the page, not the page.
    - ``origin``: ``"local"`` (recorded from a file), ``"live"`` (fetched from the URL) or
      ``"archive"`` (fetched from a web archive, see ``archive_url``).
    - ``redirected_to``: for an archived copy of a page that redirected when it was captured,
      the URL of the capture the recorded redirects led to (the copy holds that capture).
    - ``published``: when the document itself was published, when the one recording it knew
      (relative dates in the source, "last month", are read against it); ``language`` the
      document's language (BCP 47), when known beyond what the document itself says.
    - ``path``: the WARC file, relative to the store.
    """

    url: str
    captured: dt.datetime
    media_type: str
    digest: str
    path: str
    length: int
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    excerpt: bool = False
    origin: str = "local"
    archive_url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    redirected_to: str | None = None

    @property
    def key(self) -> str:
        """The SURT key the index sorts on."""
        return surt(self.url)


@functools.lru_cache(maxsize=2**16)
def surt(url: str) -> str:
    """The Sort-friendly URI Reordering Transform of ``url``, as CDX indexes key captures.

    ``https://www.Example.com:443/a/b?z=1&a=2#top`` -> ``com,example)/a/b?a=2&z=1``. Written here
    rather than taken from the ``surt`` package, which pulls in ``tldextract`` and with it a
    download of the public suffix list at run time. Cached: every write of the index sorts by
    it.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www.") or re.match(r"www\d+\.", host):
        host = host.split(".", 1)[1]
    reversed_host = ",".join(reversed(host.split("."))) if host else ""
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != default_port:
        reversed_host += f":{port}"
    path = parts.path or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    key = f"{reversed_host}){path}"
    if query:
        key += f"?{query}"
    return _UNSPACED.sub(_percent_encoded, key.lower())


# What may not stand in a key: a CDX(J) index is one capture a line, its fields apart by spaces,
# so a URL with a space (seen in real data sets), a line break or another control character in
# its path would break its line, and with it the index.
_UNSPACED = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def _percent_encoded(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def utc_timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


def as_utc(moment: dt.datetime | dt.date) -> dt.datetime:
    """``moment`` as an aware UTC date-time (a date is its midnight, a naive time is UTC)."""
    if not isinstance(moment, dt.datetime):
        return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)

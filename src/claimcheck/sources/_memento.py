"""Memento (RFC 7089): reach an archive's copies through its TimeGate and TimeMap
(:class:`MementoClient`); TimeMaps are ``application/link-format`` documents, read by
:func:`parse_link_format` into :class:`TimeMapLink` s.

Sources of the formats (see ``../shared/reference/web-archives.md`` section 1.4): RFC 7089 and
its TimeGate example (``Accept-Datetime`` in RFC 1123 form, ``302`` with ``Vary:
accept-datetime``), RFC 6690 (link-format) and Arquivo.pt's real TimeMaps.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin, urlsplit

import attrs
import requests

from ..errors import ArchiveError, ConfigurationError
from ._archive import (
    ArchiveClient,
    ArchivedCopy,
    Capture,
    Route,
    archive_refusal,
    archived_copy,
    configured_limiter,
    http_date,
    memento_datetime,
    original_url,
    parse_http_date,
)
from ._config import ArchiveConfig
from ._http import url_problem
from ._limits import RateLimiter

__all__ = ["MementoClient", "TimeMapLink", "parse_link_format"]


@attrs.frozen
class TimeMapLink:
    """One link of an HTTP ``Link`` header or an ``application/link-format`` document (a
    TimeMap's entries, a TimeGate's ``rel="timemap"``).

    ``rel`` holds the relation types, lower-cased and split (``rel="first memento"`` gives
    ``("first", "memento")``); ``params`` every parameter, names lower-cased, values unquoted.
    """

    uri: str
    rel: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        """The first value of parameter ``name`` (case-insensitive), if present."""
        wanted = name.lower()
        return next((value for key, value in self.params if key == wanted), None)


def _same_origin(one: str, other: str) -> bool:
    first, second = urlsplit(one), urlsplit(other)
    return (first.scheme, first.netloc) == (second.scheme, second.netloc)


class MementoClient(ArchiveClient):
    """A client of one Memento (RFC 7089) archive, reached through its TimeGate base URL.

    ``timegate`` is the base the original URL is appended to (``{timegate}{url}``); ``timemap``
    optionally the base of its TimeMaps (found from the TimeGate's ``Link`` header otherwise).
    Both are trusted endpoints (they may be a local archive); a TimeGate's redirect to another
    host is followed only under the transport's guards (an http(s) URL, a public address unless
    ``config.allow_private_addresses``, the size cap). By default calls share a process-wide
    limiter per archive host (the Internet Archive's one for archive.org hosts), at ``config``'s
    rate; ``config`` also gives the timeouts, deadline and size cap.
    """

    def __init__(
        self,
        timegate: str,
        config: ArchiveConfig | None = None,
        *,
        timemap: str | None = None,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        for name, base in (("timegate", timegate), ("timemap", timemap)):
            if base is not None and url_problem(base) is not None:
                raise ConfigurationError(f"{name}: must be an http(s) URL, not {base!r}")
        config = config if config is not None else ArchiveConfig()
        self.timegate_base = timegate
        self.timemap_base = timemap
        if limiter is None:
            limiter = configured_limiter(config, timegate)
        endpoints = [timegate] if timemap is None else [timegate, timemap]
        super().__init__(config, endpoints=endpoints, session=session, limiter=limiter)

    def __repr__(self) -> str:
        return f"MementoClient({self.timegate_base!r})"

    def timegate(self, url: str, at: dt.date | dt.datetime) -> ArchivedCopy | None:
        """The memento of ``url`` the TimeGate picks for ``at`` (sent as ``Accept-Datetime``),
        with its bytes and its real ``Memento-Datetime``; ``None`` when the archive has none
        (404).

        Redirects are followed to the memento (TimeGates may hand over to other TimeGates or to
        the archive holding the memento), each hop under the transport's guards; a memento that
        is itself a captured redirect is followed only within the same archive.
        """
        original = original_url(url)
        headers = {"Accept-Datetime": http_date(at)}
        target = self.timegate_base + original
        route = Route(f"{self.timegate_base}{original}")
        while True:
            route.visit(target)
            answer = self._request("GET", target, headers=headers)
            moment = memento_datetime(answer)
            location = answer.location or None
            if moment is None:
                if location is not None:
                    target = self._next_hop(target, location)
                    continue
                if answer.status == 404:
                    return None
                raise archive_refusal(answer, target)
            if location is not None and _same_origin(urljoin(target, location), target):
                target = self._next_hop(target, location)
                continue
            return archived_copy(
                answer, url=original, moment=moment, archive_url=target, source=self.timegate_base
            )

    def timemap(self, url: str) -> list[Capture]:
        """Every memento of ``url`` the archive's TimeMap lists, oldest first (empty when the
        archive has none)."""
        original = original_url(url)
        if self.timemap_base is not None:
            timemap_url = self.timemap_base + original
        else:
            found = self._discover_timemap(original)
            if found is None:
                return []
            timemap_url = found
        answer = self._request("GET", timemap_url)
        if answer.status == 404:
            return []
        if answer.status != 200:
            raise archive_refusal(answer, timemap_url)
        links = parse_link_format(answer.text)
        uri_r = next((link.uri for link in links if "original" in link.rel), original)
        captures: dict[str, Capture] = {}
        for link in links:
            if "memento" not in link.rel:
                continue
            moment = parse_http_date(link.param("datetime") or "")
            uri_m = urljoin(timemap_url, link.uri)
            if moment is None or uri_m in captures:
                continue
            captures[uri_m] = Capture(
                url=uri_r,
                timestamp=moment,
                archive_url=uri_m,
                media_type=link.param("type"),
                source=self.timegate_base,
            )
        return sorted(captures.values(), key=lambda capture: capture.timestamp)

    def _discover_timemap(self, original: str) -> str | None:
        """The TimeMap URL from the TimeGate's ``Link`` header (``rel="timemap"``)."""
        target = self.timegate_base + original
        answer = self._request("HEAD", target)
        if answer.status in (405, 501):  # HEAD not supported: ask with GET
            answer = self._request("GET", target)
        for link in parse_link_format(answer.joined("Link")):
            if "timemap" in link.rel:
                return urljoin(target, link.uri)
        if answer.status == 404:
            return None
        if answer.status >= 400:
            raise archive_refusal(answer, target)
        raise ArchiveError(
            f'{target}: the TimeGate names no TimeMap (no rel="timemap" link)',
            said="a TimeGate that names no TimeMap",
        )


_PARAM_NAME = re.compile(r"[^\s=;,<\"]+")
_BARE_VALUE = re.compile(r"[^\s;,]*")


def parse_link_format(text: str) -> list[TimeMapLink]:
    """The links of an HTTP ``Link`` header or ``application/link-format`` document.

    ``<uri>; rel="memento"; datetime="…"`` entries separated by commas; entries and their
    parameters may span lines; parameter values may be quoted (commas and semicolons inside
    quotes, as in ``datetime="Tue, 11 Sep 2001 20:35:00 GMT"``, and inside ``<…>`` belong to
    the value) or bare (``rel=memento``); ``rel`` may list several relation types
    (``rel="first memento"``). Stray text between entries is skipped, so one malformed entry
    does not lose the rest. URIs are returned as written (relative ones unresolved).
    """
    links: list[TimeMapLink] = []
    length = len(text)
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            break
        end = text.find(">", start + 1)
        if end < 0:
            break
        uri = text[start + 1 : end].strip()
        position = end + 1
        params: list[tuple[str, str]] = []
        while position < length:
            char = text[position]
            if char.isspace():
                position += 1
            elif char == ",":
                position += 1
                break
            elif char == "<":  # a new entry without the comma before it
                break
            elif char == ";":
                param, position = _parse_param(text, position + 1)
                if param is not None:
                    params.append(param)
            else:  # stray text: skip it
                position += 1
        rel = next((value for name, value in params if name == "rel"), "")
        links.append(TimeMapLink(uri=uri, rel=tuple(rel.lower().split()), params=tuple(params)))
    return links


def _parse_param(text: str, position: int) -> tuple[tuple[str, str] | None, int]:
    length = len(text)
    while position < length and text[position].isspace():
        position += 1
    name_match = _PARAM_NAME.match(text, position)
    if name_match is None:
        return None, position
    name = name_match.group().lower()
    position = name_match.end()
    while position < length and text[position].isspace():
        position += 1
    if position >= length or text[position] != "=":
        return (name, ""), position
    position += 1
    while position < length and text[position].isspace():
        position += 1
    if position < length and text[position] == '"':
        value, position = _parse_quoted(text, position + 1)
        return (name, value), position
    bare = _BARE_VALUE.match(text, position)
    assert bare is not None  # the pattern matches the empty string
    return (name, bare.group()), bare.end()


def _parse_quoted(text: str, position: int) -> tuple[str, int]:
    """A quoted string's value from just after its opening quote, and the position after it."""
    value: list[str] = []
    length = len(text)
    while position < length:
        char = text[position]
        if char == "\\" and position + 1 < length:
            value.append(text[position + 1])
            position += 2
        elif char == '"':
            return "".join(value), position + 1
        else:
            value.append(char)
            position += 1
    return "".join(value), position

"""Memento (RFC 7089): reach an archive's copies through its TimeGate and TimeMap
(:class:`MementoClient`); TimeMaps are ``application/link-format`` documents, read by
:func:`parse_link_format` into :class:`TimeMapLink` s.

Sources of the formats (see ``../shared/reference/web-archives.md`` section 1.4): RFC 7089 and
its TimeGate example (``Accept-Datetime`` in RFC 1123 form, ``302`` with ``Vary:
accept-datetime``), RFC 6690 (link-format) and Arquivo.pt's real TimeMaps.

How real TimeGates answer, which the clients here allow for:

- The memento a TimeGate names is the archive's *replay* for people, not the bytes as
  originally served: the Internet Archive's TimeGate redirects to ``/web/<timestamp>/<url>``
  (mementoweb/py-memento-client#2), which adds the Wayback toolbar ("N captures", dates) and
  rewrites links; pywb's redirects to ``/<coll>/<timestamp>/<url>`` with its banner
  (harvard-lil/perma#907) or, by default, answers with that replay itself and names it in
  ``Content-Location`` (pywb's "Memento API" documentation, Memento pattern 2.2). So a copy is
  always fetched in the archive's raw mode (``id_``, see :class:`~._archive.ReplayURL`).
- The Internet Archive's TimeGate sends no ``Link`` header, hence no TimeMap link, to a request
  without ``Accept-Datetime``; its mementos name their TimeMap (edgi-govdata-archiving/wayback's
  recorded answers).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import attrs

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
    parse_replay_url,
)
from ._config import ArchiveConfig
from ._http import Answer, url_problem
from ._limits import RateLimiter

if TYPE_CHECKING:  # a type only: requests is loaded for a session the caller gives
    import requests

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


# The Internet Archive's TimeGate and the TimeMap base its TimeGate and mementos name
# (py-memento-client#2: <http://web.archive.org/web/timemap/link/http://www.lanl.gov>;
# rel="timemap"; edgi-govdata-archiving/wayback cassette test_get_memento:
# <https://web.archive.org/web/timemap/link/https://www.fws.gov/birds/>; rel="timemap").
_IA_TIMEGATE = re.compile(r"https?://web\.archive\.org/web/", re.IGNORECASE)
_IA_TIMEMAP = "https://web.archive.org/web/timemap/link/"


def _raw_form(uri: str) -> str:
    """``uri`` in the archive's raw mode (``id_``) when it is a Wayback-style replay URL."""
    replay = parse_replay_url(uri)
    return replay.raw if replay is not None else uri


def _for_people(uri: str) -> str:
    """``uri`` without a replay modifier when it is a Wayback-style replay URL."""
    replay = parse_replay_url(uri)
    return replay.for_people if replay is not None else uri


class MementoClient(ArchiveClient):
    """A client of one Memento (RFC 7089) archive, reached through its TimeGate base URL.

    ``timegate`` is the base the original URL is appended to (``{timegate}{url}``); ``timemap``
    optionally the base of its TimeMaps (by default the documented one of the Internet
    Archive's TimeGate, ``https://web.archive.org/web/``; otherwise found from the TimeGate's
    ``Link`` header).
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
        if timemap is None and _IA_TIMEGATE.fullmatch(timegate):
            timemap = _IA_TIMEMAP
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
        with its bytes as originally served and its real ``Memento-Datetime``; ``None`` when
        the archive has none (404).

        Redirects are followed to the memento (TimeGates may hand over to other TimeGates or to
        the archive holding the memento), each hop under the transport's guards; a memento that
        is itself a captured redirect is followed only within the same archive.

        The bytes are the memento's raw replay, never the page the TimeGate names for people
        (see the module documentation): a Wayback-style memento URL (``…/<timestamp>/<url>``,
        any modifier) is asked for as ``…/<timestamp>id_/<url>``, and the copy's
        ``archive_url`` is its replay for people. A memento whose URL has no such form has no
        known raw mode: its replay may hold the archive's own text (a banner, capture dates),
        which must never be read as the page's, so it is an :class:`ArchiveError`, as is an
        archive that does not serve the raw replay of a memento it named.
        """
        original = original_url(url)
        headers = {"Accept-Datetime": http_date(at)}
        gate = target = self.timegate_base + original
        route = Route(gate)
        redirected = False
        while True:
            route.visit(target)
            answer = self._request("GET", target, headers=headers)
            moment = memento_datetime(answer)
            location = answer.location or None
            replay = parse_replay_url(target) if target != gate else None
            if moment is None:
                if location is not None:
                    target = _raw_form(self._next_hop(target, location))
                    continue
                if replay is not None and replay.is_raw:
                    raise ArchiveError(
                        f"{replay.for_people}: the archive does not serve this memento as "
                        f"originally served (its raw replay answered HTTP {answer.status})",
                        said=f"no raw copy of the memento (HTTP {answer.status})",
                    )
                if answer.status == 404:
                    return None
                raise archive_refusal(answer, target)
            if replay is None or not replay.is_raw:
                target = self._raw_memento(answer, target, gate)
                continue
            if location is not None and _same_origin(urljoin(target, location), target):
                # A memento of a redirect (it has a Memento-Datetime): followed in the archive.
                redirected = True
                target = _raw_form(self._next_hop(target, location))
                continue
            return archived_copy(
                answer,
                url=original,
                moment=moment,
                archive_url=replay.for_people,
                source=self.timegate_base,
                redirected_to=replay.original if redirected else None,
            )

    def _raw_memento(self, answer: Answer, target: str, gate: str) -> str:
        """The raw replay (``id_``) of the memento whose replay ``answer`` (from ``target``)
        is: the memento's URL is the ``Content-Location`` of a TimeGate that answers with the
        memento itself (RFC 7089's 200-style negotiation, pattern 2.2: pywb's default), else
        ``target``."""
        named = answer.header("Content-Location")
        uri_m = urljoin(target, named.strip()) if named else (None if target == gate else target)
        replay = parse_replay_url(uri_m) if uri_m is not None else None
        if replay is None:
            raise ArchiveError(
                f"{uri_m or target}: no copy as originally served: the archive offers no raw "
                "replay of this memento, and its replay may hold the archive's own text",
                said="no copy as originally served, only the archive's replay page",
            )
        return replay.raw

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
                archive_url=_for_people(uri_m),
                media_type=link.param("type"),
                source=self.timegate_base,
            )
        return sorted(captures.values(), key=lambda capture: capture.timestamp)

    def _discover_timemap(self, original: str) -> str | None:
        """The TimeMap URL the TimeGate names (``rel="timemap"`` in its ``Link`` header), or
        else the memento it redirects to names; ``None`` when the archive has no memento.

        The request negotiates (``Accept-Datetime``: now), as RFC 7089 describes the
        TimeGate's ``Link`` header, part of its answer to datetime negotiation: the Internet
        Archive's TimeGate sends no ``Link`` without it (issue 14; the public transcript of its
        ``Link``, mementoweb/py-memento-client#2, carries ``Accept-Datetime``), and
        ukwa/ukwa-pywb#37 shows pywb deployments missing it too. Its mementos name their
        TimeMap (the Internet Archive's do: edgi-govdata-archiving/wayback's recorded
        answers), so a redirect is followed, with ``HEAD``, when the TimeGate names none.
        """
        headers = {"Accept-Datetime": http_date(dt.datetime.now(dt.UTC))}
        target = self.timegate_base + original
        route = Route(target)
        while True:
            route.visit(target)
            answer = self._request("HEAD", target, headers=headers)
            if answer.status in (405, 501):  # HEAD not supported: ask with GET
                answer = self._request("GET", target, headers=headers)
            for link in parse_link_format(answer.joined("Link")):
                if "timemap" in link.rel:
                    return urljoin(target, link.uri)
            if answer.status == 404:
                return None
            if answer.status >= 400:
                raise archive_refusal(answer, target)
            if not answer.location:
                raise ArchiveError(
                    f'{target}: the TimeGate names no TimeMap (no rel="timemap" link)',
                    said="a TimeGate that names no TimeMap",
                )
            target = self._next_hop(target, answer.location)


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

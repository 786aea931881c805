"""Where the archived copies of a statement's links come from, for :func:`robustify`: a
:class:`Version` is an archived copy (a memento) and when it was captured; ``versions=`` is a
mapping or a look-up, such as :func:`version_finder`, which asks the snapshot store first and
the web archives only when given their clients (so nothing goes online unless asked)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, TypeAlias

import attrs

from ..documents import http_url
from ..errors import ArchiveError, ConfigurationError
from ..model import ClaimSet, as_utc, surt
from ..sources import Capture, MementoClient, SavePageNow, Wayback, parse_replay_url
from ..store import SnapshotStore

__all__ = [
    "DateFormat",
    "NoVersion",
    "Version",
    "VersionLookup",
    "VersionSource",
    "cited",
    "format_version_date",
    "lookup_from",
    "parse_version_date",
    "snapshot_in",
    "version_finder",
]

DateFormat: TypeAlias = Literal["date", "datetime"]


def _check_version_url(_instance: object, _attribute: object, value: str) -> None:
    if http_url(value) != value:
        raise ConfigurationError(f"a version URL must be an absolute http(s) URL, not {value!r}")


@attrs.frozen
class Version:
    """An archived copy of a page: its URL (a memento, URI-M) and when it was captured.

    ``date`` is the capture time the archive gives (``Memento-Datetime``), as an aware UTC
    date-time (a naive one is taken as UTC, a date as its midnight). ``source`` says where it was
    found (``"store"``, ``"wayback"``, a TimeGate base, ``"save-page-now"``, ``"href"``);
    ``note`` anything a reader of the report should know (a copy made after the citation date).
    """

    url: str = attrs.field(validator=_check_version_url)
    date: dt.datetime = attrs.field(converter=as_utc)
    source: str = ""
    note: str = ""


@attrs.frozen
class NoVersion:
    """A look-up that found no archived copy, and why (for the report)."""

    reason: str


VersionLookup: TypeAlias = Callable[[str], Version | NoVersion | None]
VersionSource: TypeAlias = VersionLookup | Mapping[str, Version]


# -------------------------------------------------------------------------------------------
# Dates and URLs


def format_version_date(moment: dt.datetime | dt.date, form: DateFormat = "date") -> str:
    """``moment`` as a ``data-versiondate`` value: ``YYYY-MM-DD`` (UTC), or with
    ``form="datetime"`` ``YYYY-MM-DDThh:mm:ssZ``; both ISO 8601, as the specification asks."""
    utc = as_utc(moment)
    if form == "datetime":
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return utc.strftime("%Y-%m-%d")


def parse_version_date(value: str) -> dt.datetime | None:
    """A ``data-versiondate`` as others write it: an ISO 8601 date or date-time, or a Wayback
    timestamp (``YYYYMMDD[hhmmss]``); ``None`` when it is none of these."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{8}(?:\d{6})?", text):
            form = "%Y%m%d%H%M%S" if len(text) == 14 else "%Y%m%d"
            return dt.datetime.strptime(text, form).replace(tzinfo=dt.UTC)
        return as_utc(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def snapshot_in(url: str) -> tuple[str, Version] | None:
    """The original URL and the archived copy that a replay URL names
    (``…/web/20210420120000/https://…``), when it is one."""
    replay = parse_replay_url(url)
    if replay is None or http_url(replay.original) is None:
        return None
    stamp = replay.timestamp.ljust(14, "0")
    try:
        moment = dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return replay.original, Version(url=url, date=moment, source="href")


# -------------------------------------------------------------------------------------------
# Where versions come from


def _citation_dates(claim_sets: Iterable[ClaimSet]) -> dict[str, dt.date]:
    """The date each cited URL was cited at, by SURT key: the latest ``accessed`` date a claims
    file gives for it, else the publication date of the statement citing it."""
    accessed: dict[str, dt.date] = {}
    published: dict[str, dt.date] = {}
    for claim_set in claim_sets:
        for claim in claim_set.claims:
            for source in claim.sources:
                if http_url(source.url) is None:
                    continue
                key = surt(source.url)
                if source.accessed is not None:
                    accessed[key] = max(accessed.get(key, source.accessed), source.accessed)
                elif claim_set.statement.published is not None:
                    date = claim_set.statement.published
                    published[key] = max(published.get(key, date), date)
    return {**published, **accessed}


def cited(claim_sets: Iterable[ClaimSet]) -> Callable[[str], bool]:
    """A ``select`` for :func:`robustify`: true for the URLs the claims files cite (compared by
    SURT key: scheme, ``www.``, query order and fragment do not matter)."""
    keys = frozenset(
        surt(source.url)
        for claim_set in claim_sets
        for claim in claim_set.claims
        for source in claim.sources
        if http_url(source.url) is not None
    )
    return lambda url: surt(url) in keys


def _end_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return as_utc(day) + dt.timedelta(days=1) - dt.timedelta(seconds=1)


def _choose(
    versions: Sequence[Version], day: dt.date | None
) -> tuple[Version | None, Version | None]:
    """The latest version at or before the end of ``day`` (of all, without a day), and the
    earliest after it."""
    limit = _end_of(day)
    before = [v for v in versions if limit is None or v.date <= limit]
    after = [v for v in versions if limit is not None and v.date > limit]
    return (
        max(before, key=lambda v: v.date) if before else None,
        min(after, key=lambda v: v.date) if after else None,
    )


def _from_capture(capture: Capture, source: str) -> Version | None:
    if http_url(capture.archive_url) != capture.archive_url:
        return None
    return Version(url=capture.archive_url, date=capture.timestamp, source=source)


def version_finder(
    store: SnapshotStore | None = None,
    *,
    claim_sets: Iterable[ClaimSet] = (),
    wayback: Wayback | None = None,
    mementos: Iterable[MementoClient] = (),
    save_page_now: SavePageNow | None = None,
) -> VersionLookup:
    """A look-up of the archived copy to cite for a URL, for :func:`robustify`.

    The copy "as cited" is the latest one captured at or before the day the URL was cited: the
    latest ``accessed`` date the claims files give for it, else the publication date of the
    statement citing it; a URL with neither gets the latest copy. In order:

    1. the snapshot store: captures with an ``archive_url`` (copies fetched from a web archive;
       local and live captures have no public URL to link to);
    2. only when ``wayback`` is given: the Wayback Machine's CDX index (:meth:`Wayback.nearest`);
       then, when given, each Memento archive's TimeMap;
    3. when no copy precedes the citation day, the earliest copy after it (store or archives),
       with a note saying so;
    4. only when ``save_page_now`` is given and nothing was found: Save Page Now captures the
       page now (it needs archive.org keys: without them ``MissingCredentialsError`` is raised
       at the first such link rather than reported once per link).

    Archive failures (unreachable, rate-limited) do not stop the run: the link is reported
    with the reason (:class:`NoVersion`).
    """
    return _Finder(store, _citation_dates(claim_sets), wayback, tuple(mementos), save_page_now).find


@attrs.frozen
class _Finder:
    """The look-up :func:`version_finder` makes: the store, the citation day of each URL (by
    SURT key) and the archive clients it may ask."""

    store: SnapshotStore | None
    dates: Mapping[str, dt.date]
    wayback: Wayback | None
    timegates: tuple[MementoClient, ...]
    save_page_now: SavePageNow | None

    def find(self, url: str) -> Version | NoVersion | None:
        day = self.dates.get(surt(url))
        best, later = _choose(self.stored(url), day)
        if best is not None:
            return best
        problems: list[str] = []
        afterwards = [later] if later is not None else []
        best = self.archived(url, day, afterwards, problems)
        if best is not None:
            return best
        if afterwards:
            earliest = min(afterwards, key=lambda v: v.date)
            note = f"no copy captured on or before {day}; this one is the earliest after"
            return attrs.evolve(earliest, note=note)
        saved = self.saved(url, problems)
        if saved is not None:
            return saved
        online = self.wayback is not None or bool(self.timegates)
        where = "the snapshot store or the web archives" if online else "the snapshot store"
        return NoVersion("; ".join(problems) or f"no archived copy in {where}")

    def stored(self, url: str) -> list[Version]:
        """The copies of ``url`` in the store that have a public archive URL."""
        if self.store is None:
            return []
        versions = []
        for snapshot in self.store.snapshots(url):
            archive_url = snapshot.archive_url
            if archive_url is None or http_url(archive_url) != archive_url:
                continue
            versions.append(Version(url=archive_url, date=snapshot.captured, source="store"))
        return versions

    def archived(
        self, url: str, day: dt.date | None, afterwards: list[Version], problems: list[str]
    ) -> Version | None:
        """The copy as cited from the Wayback Machine, else the Memento archives; the first
        copies after ``day`` are added to ``afterwards``, the archives' failures to
        ``problems``."""
        if self.wayback is not None:
            try:
                capture = self.wayback.nearest(url, day)
            except ArchiveError as error:
                problems.append(f"Wayback: {error}")
            else:
                found = _from_capture(capture, "wayback") if capture is not None else None
                best, later = _choose([found] if found else [], day)
                if best is not None:
                    return best
                afterwards += [later] if later is not None else []
        for memento in self.timegates:
            try:
                captures = memento.timemap(url)
            except ArchiveError as error:
                problems.append(f"{memento.timegate_base}: {error}")
                continue
            found_all = [v for c in captures if (v := _from_capture(c, memento.timegate_base))]
            best, later = _choose(found_all, day)
            if best is not None:
                return best
            afterwards += [later] if later is not None else []
        return None

    def saved(self, url: str, problems: list[str]) -> Version | None:
        """A copy Save Page Now makes of ``url`` now, when it is given and succeeds; its
        failure is added to ``problems``."""
        if self.save_page_now is None:
            return None
        try:
            result = self.save_page_now.save(url)
        except ArchiveError as error:
            problems.append(f"Save Page Now: {error}")
            return None
        saved = result.archive_url
        if result.ok and saved and result.timestamp and http_url(saved) == saved:
            return Version(url=saved, date=result.timestamp, source="save-page-now")
        problems.append(f"Save Page Now: {result.message}")
        return None


def lookup_from(versions: VersionSource) -> VersionLookup:
    """The look-up of ``versions``: a mapping is looked up by URL, then by SURT key."""
    if not isinstance(versions, Mapping):
        return versions
    by_key: dict[str, Version] = {}
    for url, version in versions.items():
        by_key.setdefault(surt(url), version)

    def lookup(url: str) -> Version | None:
        return versions.get(url) or by_key.get(surt(url))

    return lookup

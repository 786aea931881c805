"""Capture: fetching sources live and from web archives, all over one HTTP transport.

The modules, bottom up:

- ``_http``: the one transport under every request (User-Agent, timeouts and the deadline
  watchdog, the decoded-size cap, the refusal of non-public addresses on every connection and
  redirect hop, ``Retry-After``), over ``_connections`` (the watched, guarded connections) and
  its own client on urllib3, ``_direct`` (``_session`` for a ``requests.Session`` a caller
  gives: requests is loaded only then);
- ``_limits``: politeness (per-host limits and spacing for the live web; :class:`RateLimiter`
  for archives, with :data:`IA_LIMITER_KEY`, :func:`limiter_key` and :func:`host_key`);
- ``_config``: :class:`FetchConfig` and :class:`ArchiveConfig`, whose values are checked by one
  set of rules (:class:`~claimcheck.errors.ConfigurationError` naming the option);
- ``_pages`` and ``_fetch``: the live :class:`Fetcher` and what its answers mean
  (:func:`error_status_reason`, soft 404s, parked domains, bot walls);
- ``_archive``, ``_wayback``, ``_memento``, ``_savepagenow``: the archive clients
  (:class:`Wayback` CDX, prefix listings (:class:`Listing`) and ``id_`` replay,
  :class:`MementoClient` TimeGates and TimeMaps,
  :class:`SavePageNow`), :func:`store_copy`, and the one rule for Wayback-style replay URLs
  (:func:`parse_replay_url`: their ``id_`` form, the bytes as originally served);
- ``_network``: whether a run has a network at all (:class:`Reachability`, :func:`has_route`).

A fetch loads only what it uses: the names resolve when first used (PEP 562), each from its
module, so ``from claimcheck.sources import Fetcher`` loads neither the archive clients nor the
store (issue 17: a link check starts at once).
"""

TYPE_CHECKING = False  # not typing's (mypy reads any constant of this name as true)
if TYPE_CHECKING:
    from ._archive import (
        ArchivedCopy,
        Capture,
        ReplayURL,
        one_deadline,
        parse_replay_url,
        replay_url,
        store_copy,
    )
    from ._config import ArchiveConfig, FetchConfig
    from ._fetch import Fetch, Fetcher, Validators
    from ._http import url_problem
    from ._limits import IA_LIMITER_KEY, RateLimiter, archive_name, host_key, limiter_key
    from ._memento import MementoClient
    from ._network import Reachability, has_route
    from ._pages import error_status_reason
    from ._savepagenow import (
        ACCESS_KEY_ENV,
        MAX_POLL_INTERVAL,
        SECRET_KEY_ENV,
        SavePageNow,
        SaveResult,
    )
    from ._wayback import LISTING_PAGE, Listing, Wayback, nearest_of

# Where each public name is defined: the module __getattr__ imports when it is first used.
_HOMES = {
    "ACCESS_KEY_ENV": "_savepagenow",
    "ArchiveConfig": "_config",
    "ArchivedCopy": "_archive",
    "Capture": "_archive",
    "Fetch": "_fetch",
    "FetchConfig": "_config",
    "Fetcher": "_fetch",
    "IA_LIMITER_KEY": "_limits",
    "LISTING_PAGE": "_wayback",
    "Listing": "_wayback",
    "MAX_POLL_INTERVAL": "_savepagenow",
    "MementoClient": "_memento",
    "RateLimiter": "_limits",
    "Reachability": "_network",
    "ReplayURL": "_archive",
    "SECRET_KEY_ENV": "_savepagenow",
    "SavePageNow": "_savepagenow",
    "SaveResult": "_savepagenow",
    "Validators": "_fetch",
    "Wayback": "_wayback",
    "archive_name": "_limits",
    "error_status_reason": "_pages",
    "has_route": "_network",
    "host_key": "_limits",
    "limiter_key": "_limits",
    "nearest_of": "_wayback",
    "one_deadline": "_archive",
    "parse_replay_url": "_archive",
    "replay_url": "_archive",
    "store_copy": "_archive",
    "url_problem": "_http",
}

__all__ = [
    "ACCESS_KEY_ENV",
    "IA_LIMITER_KEY",
    "LISTING_PAGE",
    "MAX_POLL_INTERVAL",
    "SECRET_KEY_ENV",
    "ArchiveConfig",
    "ArchivedCopy",
    "Capture",
    "Fetch",
    "FetchConfig",
    "Fetcher",
    "Listing",
    "MementoClient",
    "RateLimiter",
    "Reachability",
    "ReplayURL",
    "SavePageNow",
    "SaveResult",
    "Validators",
    "Wayback",
    "archive_name",
    "error_status_reason",
    "has_route",
    "host_key",
    "limiter_key",
    "nearest_of",
    "one_deadline",
    "parse_replay_url",
    "replay_url",
    "store_copy",
    "url_problem",
]


if not TYPE_CHECKING:  # mypy reads the imports above, and keeps refusing an unknown name
    from claimcheck._lazy import lazy_names

    __getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
    del lazy_names

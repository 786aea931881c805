"""How claimcheck reaches sources: :class:`FetchConfig` (the live web) and :class:`ArchiveConfig`
(the web archives), and the one set of rules their values must follow.

A value out of range or of the wrong kind raises :class:`~claimcheck.errors.ConfigurationError`
naming the option (``per_host: must be a whole number, 1 or more, not -1``), whether it comes from
code, a command-line flag or the ``[archives]`` table of a configuration file.
"""

from __future__ import annotations

import os

import attrs

from ..errors import ConfigurationError
from ..model import (
    count,
    flag,
    option,
    positive_count,
    positive_seconds,
    rate,
    rules_of,
    seconds,
    shown,
    to_float,
)
from ._http import DEFAULT_MAX_BYTES, HttpSettings, default_user_agent, url_problem

__all__ = ["ArchiveConfig", "FetchConfig", "transport_settings"]


def _user_agent(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        return "must be a non-empty string of printable characters"
    return None


def _http_url(value: object) -> str | None:
    if not isinstance(value, str) or url_problem(value) is not None:
        return "must be an http(s) URL"
    return None


def _url_list(value: object) -> str | None:
    if not isinstance(value, list | tuple) or any(_http_url(item) for item in value):
        return "must be a list of http(s) URLs"
    return None


def _base_url(value: object) -> object:
    return value.rstrip("/") if isinstance(value, str) else value


def _url_tuple(value: object) -> object:
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list | tuple) else value


@attrs.frozen
class FetchConfig:
    """How a :class:`~claimcheck.sources.Fetcher` fetches: timeouts, limits, retries and
    politeness.

    Times are in seconds. ``deadline`` bounds each URL as a whole (retries, redirects and the
    soft-404 probe included); ``connect_timeout`` and ``read_timeout`` bound single socket
    operations within it. ``backoff`` is the wait before the first retry when the server does
    not say how long to wait (``Retry-After``); it doubles with every retry. ``max_bytes`` caps
    a body's decoded size.

    Addresses that are not on the public internet (loopback, private, link-local — cloud
    metadata services at 169.254.169.254 among them —, multicast, reserved) are refused unless
    ``allow_private_addresses``: a claims file must not turn a check into a probe of the network
    it runs in. The check is made after DNS resolution, on every connection (every redirect
    hop), and the connection goes to the address that was checked, so a DNS answer that changes
    between check and connect (rebinding) cannot slip through. Behind a proxy (``HTTP_PROXY``,
    ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) the proxy may be on any address, and each
    request's target is checked before the proxy is asked (see ``_http.py``).
    """

    user_agent: str = option(default_user_agent, _user_agent)
    connect_timeout: float = option(10.0, positive_seconds, to_float)
    read_timeout: float = option(20.0, positive_seconds, to_float)
    deadline: float = option(60.0, positive_seconds, to_float)
    max_bytes: int = option(DEFAULT_MAX_BYTES, positive_count)
    max_redirects: int = option(10, count)
    per_host: int = option(2, positive_count)
    host_spacing: float = option(0.5, seconds, to_float)
    concurrency: int = option(16, positive_count)
    retries: int = option(2, count)
    max_retry_after: float = option(30.0, seconds, to_float)
    soft_404: bool = option(True, flag)
    backoff: float = option(0.5, seconds, to_float)
    allow_private_addresses: bool = option(False, flag)


@attrs.frozen
class ArchiveConfig:
    """Where the archives are and how politely to call them.

    - ``wayback``: the Wayback Machine's base URL: CDX at ``{wayback}/cdx/search/cdx``, replay at
      ``{wayback}/web/{timestamp}id_/{url}``.
    - ``timegates``: further Memento TimeGates, each a base the URL is appended to
      (``"https://arquivo.pt/wayback/"``).
    - ``save_page_now``: the Save Page Now 2 endpoint.
    - ``requests_per_minute``: one process-wide budget for every Internet Archive call (well
      under the ~60 a minute the Internet Archive has said it allows CDX queries).
    - ``backoff_after_429``: seconds without any Internet Archive call after repeated 429s.
    - ``user_agent``: identifies claimcheck, with a contact URL, as the Internet Archive asks.
    - ``timeout``: seconds to wait for a connection, and for each read of an answer.
    - ``deadline``: seconds one exchange with an archive may take as a whole (an answer that
      trickles in is cut off then); in a check, the seconds the whole lookup of one URL's
      archived copy may spend talking to archives (see ``one_deadline``). The command line's
      ``--deadline`` sets it too.
    - ``max_bytes``: the largest (decoded) answer read from an archive; a larger one is an
      :class:`~claimcheck.errors.ArchiveError`.
    - ``allow_private_addresses``: whether an archive's redirect may lead to a loopback,
      private or link-local address. The configured endpoints themselves may always be on one
      (a local archive, say): configuring them is trusting them; any other host they send
      claimcheck to is checked on every hop.
    """

    wayback: str = option("https://web.archive.org", _http_url, _base_url)
    timegates: tuple[str, ...] = option((), _url_list, _url_tuple)
    save_page_now: str = option("https://web.archive.org/save", _http_url, _base_url)
    requests_per_minute: float = option(15.0, rate, to_float)
    backoff_after_429: float = option(300.0, seconds, to_float)
    user_agent: str = option(default_user_agent, _user_agent)
    timeout: float = option(30.0, positive_seconds, to_float)
    deadline: float = option(120.0, positive_seconds, to_float)
    max_bytes: int = option(DEFAULT_MAX_BYTES, positive_count)
    allow_private_addresses: bool = option(False, flag)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ArchiveConfig:
        """Read the ``[archives]`` table of a TOML file; missing keys keep their defaults::

            [archives]
            wayback = "https://web.archive.org"
            timegates = ["https://arquivo.pt/wayback/"]
            save_page_now = "https://web.archive.org/save"
            requests_per_minute = 10

        A file that cannot be read or is not TOML, an unknown key or a value of the wrong kind
        raises :class:`~claimcheck.errors.ConfigurationError` naming the file and the key, so a
        typo never silently falls back to a default.
        """
        import tomllib  # only a configuration file needs it (start-up of a fetch, issue 17)

        try:
            # utf-8-sig: a byte order mark (Windows editors write one) is not TOML
            with open(path, encoding="utf-8-sig") as file:
                document = tomllib.loads(file.read())
        except tomllib.TOMLDecodeError as error:
            raise ConfigurationError(f"{path}: not valid TOML: {error}") from None
        except (OSError, UnicodeDecodeError) as error:
            detail = getattr(error, "strerror", None) or error
            raise ConfigurationError(f"{path}: cannot read the configuration: {detail}") from None
        except (ValueError, RecursionError) as error:  # TOML: an integer too long, arrays too deep
            detail = str(error).split(";")[0] or "nested too deeply"
            raise ConfigurationError(f"{path}: cannot be read: {detail}") from None
        table = document.get("archives", {})
        if not isinstance(table, dict):
            raise ConfigurationError(f"{path}: 'archives' must be a table ([archives])")
        rules = rules_of(cls)
        for key, value in table.items():
            rule = rules.get(key)
            if rule is None:
                known = ", ".join(sorted(rules))
                raise ConfigurationError(
                    f"{path}: [archives] has an unknown key {key!r} (known: {known})"
                )
            # Checked before conversion: in a file, a list of timegates must be a list.
            problem = rule(value)
            if problem:
                raise ConfigurationError(f"{path}: [archives] {key}: {problem}, not {shown(value)}")
        return cls(**table)


def transport_settings(config: FetchConfig | ArchiveConfig) -> HttpSettings:
    """The transport's settings for the live fetcher, or for an archive client (whose
    ``timeout`` bounds connecting and each read alike)."""
    if isinstance(config, FetchConfig):
        connect, read = config.connect_timeout, config.read_timeout
    else:
        connect = read = config.timeout
    return HttpSettings(
        user_agent=config.user_agent,
        connect_timeout=connect,
        read_timeout=read,
        deadline=config.deadline,
        max_bytes=config.max_bytes,
        allow_private_addresses=config.allow_private_addresses,
    )

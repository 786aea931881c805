"""The session a :class:`~._http.Transport` makes for itself (a session the caller gives is
used as it is): requests' own, reading the proxy environment once rather than on every request.

Kept apart from ``_http.py`` for its length; nothing else uses it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.compat import getproxies
from requests.sessions import merge_setting
from requests.utils import should_bypass_proxies

if TYPE_CHECKING:
    from requests.sessions import _Settings

__all__ = ["OwnSession"]


class OwnSession(requests.Session):
    """The session a :class:`~._http.Transport` makes for itself: requests' own, reading the proxy
    environment (``*_PROXY`` once, ``NO_PROXY`` once per origin) when first needed, not on every
    request: requests walks and decodes all of ``os.environ`` twice a request, about a third of
    a fetch's CPU time (issue 17). The proxies handed on (to the adapter, whose address guard
    judges a proxied target) are those requests would compute; the environment is the one the
    transport first saw. A session the caller gives is left to requests."""

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[str, str] | None = None
        self._bypassed: dict[tuple[str, str, str | None], bool] = {}

    def merge_environment_settings(
        self, url: str | bytes | None, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> _Settings:
        if not self.trust_env or not isinstance(url, str):
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        # requests' own steps, with get_environ_proxies(url, no_proxy) remembered
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        if self._environment is None:
            self._environment = getproxies()
        found = self._environment
        if found:  # (with no proxy in the environment, there is nothing to bypass)
            key = (*urlsplit(url)[:2], no_proxy)
            bypassed = self._bypassed.get(key)
            if bypassed is None:
                bypassed = self._bypassed[key] = should_bypass_proxies(url, no_proxy=no_proxy)
            found = {} if bypassed else found
        if proxies is not None:
            for name, value in found.items():
                proxies.setdefault(name, value)
        if verify is True or verify is None:
            verify = (
                os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or verify
            )
        merge: Callable[[Any, Any], Any] = merge_setting  # (untyped in requests' stubs)
        if type(proxies) is dict and type(self.proxies) is dict:
            # merge_setting's result, without its costly test of two dicts (a typing.Protocol)
            merged = {**self.proxies, **proxies}
            proxies = {name: value for name, value in merged.items() if value is not None}
        else:
            proxies = merge(proxies, self.proxies)
        return {
            "proxies": proxies,
            "stream": merge(stream, self.stream),
            "verify": merge(verify, self.verify),
            "cert": merge(cert, self.cert),
        }

"""The transport's HTTP client for a ``requests.Session`` the caller gives (``Fetcher(session=
...)``, an archive client's ``session``): requests does the work, with the watched connection
pools mounted, and the target of a proxied request checked before the proxy hears of it.

requests is imported only when a session is given (the adapter class is made then): the
transport's own client (``_direct.py``) is urllib3 directly, so a link check does not import
requests (issue 17: start-up and CPU).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import urllib3

from ._connections import (
    NOT_RECORDED,
    POOL_CLASSES,
    Reply,
    check_proxied_target,
    private_allowed,
    tidy_encoding,
)

if TYPE_CHECKING:
    import requests
    import requests.adapters

__all__ = ["SessionClient"]


@functools.cache
def _adapter_class() -> type[requests.adapters.HTTPAdapter]:
    """The adapter class, made when a session is first given (requests loaded then)."""
    import requests.adapters
    from requests.utils import select_proxy

    class Adapter(requests.adapters.HTTPAdapter):
        """requests' adapter with the watched connection pools (also behind an HTTP proxy),
        which checks the target of a request a proxy carries (the connection only sees the
        proxy)."""

        def send(
            self,
            request: requests.PreparedRequest,
            stream: bool = False,
            timeout: Any = None,
            verify: Any = True,
            cert: Any = None,
            proxies: Mapping[str, str] | None = None,
        ) -> requests.Response:
            url = request.url or ""
            if not private_allowed() and select_proxy(url, dict(proxies or {})):
                check_proxied_target(url)
            return super().send(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )

        def init_poolmanager(
            self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
        ) -> None:
            super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
            self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

        def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if type(manager) is urllib3.ProxyManager:  # SOCKS managers have pools of their own
                manager.pool_classes_by_scheme = POOL_CLASSES
            return manager

    return Adapter


class SessionClient:
    """Requests sent through a caller's ``session``, used for its cookies, headers, proxies,
    certificates and authentication; plain ``HTTPAdapter`` s mounted on it for ``http://`` and
    ``https://`` are replaced by the watched ones (an adapter of another kind is kept, and the
    deadline and the address guard are then its business). The session is left open."""

    def __init__(self, session: requests.Session, *, pool_connections: int, pool_maxsize: int):
        self.session = session
        import requests.adapters

        for prefix in ("http://", "https://"):
            if type(session.adapters.get(prefix)) is requests.adapters.HTTPAdapter:
                adapter = _adapter_class()(
                    pool_connections=pool_connections, pool_maxsize=pool_maxsize
                )
                session.mount(prefix, adapter)

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        params: list[tuple[str, str]] | None,
        data: Mapping[str, str] | None,
        timeout: tuple[float, float],
    ) -> Reply:
        response = self.session.request(
            method,
            url,
            params=params,
            data=data,
            headers=dict(headers),
            stream=True,
            allow_redirects=False,
            timeout=timeout,
            # Explicitly, or REQUESTS_CA_BUNDLE would override the session's own.
            verify=self.session.verify,
        )
        try:
            return _SessionReply(self.session, response, url)
        except BaseException:
            response.close()
            raise

    def close(self) -> None:
        """Nothing to do: the session is the caller's."""


class _SessionReply:
    """A ``requests.Response`` (streamed) as the transport reads it."""

    def __init__(self, session: requests.Session, response: requests.Response, url: str):
        self._response = response
        self.status = response.status_code
        self.reason = response.reason or ""
        raw = response.raw.headers if response.raw is not None else None
        if raw is not None and hasattr(raw, "iteritems"):  # keeps repeated headers apart
            self.headers = tuple((str(k), str(v)) for k, v in raw.iteritems())
        else:
            self.headers = tuple(response.headers.items())
        self.location = session.get_redirect_target(response)
        self.request_headers = _request_headers(response, url)

    def content_encoding(self) -> str:
        raw = self._response.raw
        return tidy_encoding(raw.headers if raw is not None else None)

    def stream(self, size: int) -> Iterator[bytes]:
        yield from self._response.iter_content(chunk_size=size)

    def tell(self) -> int:
        with contextlib.suppress(AttributeError, TypeError):  # another adapter's raw
            return int(self._response.raw.tell())
        return 0

    def close(self) -> None:
        self._response.close()


def _request_headers(response: requests.Response, url: str) -> tuple[tuple[str, str], ...]:
    """The request as it went on the wire. ``Host`` is the one urllib3 sent, taken from the
    prepared URL: requests encodes an internationalised host with IDNA (``xn--bcher-kva.test``),
    as browsers do, where ``url`` keeps it as written."""
    request = response.request
    sent = request.headers if request is not None else {}
    wire_url = request.url if request is not None and request.url else url
    recorded = [("Host", urlsplit(wire_url).netloc.rpartition("@")[2])]
    recorded += [(k, str(v)) for k, v in sent.items() if k.lower() not in NOT_RECORDED]
    return tuple(recorded)

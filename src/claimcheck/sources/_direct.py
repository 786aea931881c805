"""The transport's own HTTP client, on urllib3 directly: what goes on the wire is what requests
sent (the same URL preparation, default headers, cookies and proxies), at about half the CPU a
request and without importing requests (issue 17: a link check is CPU-bound in one process).

- **The URL** as requests prepares it (``PreparedRequest.prepare_url``): an internationalised
  host IDNA-encoded (UTS #46, as browsers do), the query parameters appended, the path
  re-quoted (:func:`_requote`).
- **Headers**: ``User-Agent``, ``Accept-Encoding``, ``Accept: */*``, ``Connection: keep-alive``
  (requests' defaults, in its order), the caller's, a form body's ``Content-Type`` and
  ``Content-Length``, ``Authorization`` from credentials written in the URL, and ``Cookie``.
  A header value with a line break is refused before anything is sent.
- **Cookies** set by an answer are kept (``http.cookiejar``, made at the first ``Set-Cookie``)
  and sent back where they apply, as a session does: a site that sets a cookie and redirects
  to itself sees it.
- **Proxies** from the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``), read
  once, and ``NO_PROXY`` once per origin, by requests' own rules (loaded only when the
  environment names a proxy); a proxy's credentials sent as ``Proxy-Authorization``; SOCKS
  through urllib3's contrib module. The target of a proxied request is checked before the proxy
  hears of it (:func:`~._connections.check_proxied_target`), unless private addresses are
  allowed.
- **TLS**: certificates verified against ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` when set,
  else certifi's bundle (requests' rule), loaded once.
- **Pools**: one pool per origin (and per proxy), of the watched connections
  (``_connections.py``); no retries (the fetcher decides), no redirects followed.

Not done, where requests did: reading ``~/.netrc`` for credentials to send to a host (a cited
page is never sent the user's credentials).
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import threading
import urllib.request
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunparse

import urllib3
from urllib3.exceptions import LocationParseError
from urllib3.util import Retry, Timeout, make_headers, parse_url

from ._connections import (
    NOT_RECORDED,
    POOL_CLASSES,
    check_proxied_target,
    private_allowed,
    tidy_encoding,
)

if TYPE_CHECKING:
    from http.cookiejar import CookieJar

    from ._connections import Reply

__all__ = ["DirectClient"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# requests' default headers (requests.utils.default_headers), User-Agent given by the transport
_ACCEPT_ENCODING = ", ".join(
    re.split(r",\s*", make_headers(accept_encoding=True)["accept-encoding"])
)
_DEFAULTS = (("Accept-Encoding", _ACCEPT_ENCODING), ("Accept", "*/*"), ("Connection", "keep-alive"))
_RETRIES = Retry(0, read=False)  # requests' default: the error itself, never a second try
# requests' rule for a header value (check_header_validity): no leading space, no line break
_HEADER_VALUE = re.compile(r"^\S[^\r\n]*$|^$")
_HEADER_NAME = re.compile(r"^[^:\s][^:\r\n]*$")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class DirectClient:
    """Requests sent with urllib3 (see the module documentation); thread-safe."""

    def __init__(self, *, pool_connections: int, pool_maxsize: int) -> None:
        self._pool_connections, self._pool_maxsize = pool_connections, pool_maxsize
        self._pools = urllib3.PoolManager(num_pools=pool_connections, maxsize=pool_maxsize)
        self._pools.pool_classes_by_scheme = POOL_CLASSES
        self._proxied: dict[str, urllib3.PoolManager] = {}
        self._lock = threading.Lock()
        self._environment: dict[str, str] | None = None
        self._bypassed: dict[tuple[str, str], bool] = {}
        self._tls: dict[str, Any] | None = None
        self._jar: CookieJar | None = None

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            managers = [self._pools, *self._proxied.values()]
            self._proxied.clear()
        for manager in managers:
            manager.clear()

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
        prepared = _prepare_url(url, params)
        parts = urlsplit(prepared)
        scheme = parts.scheme.lower()
        wire, body = self._headers(method, prepared, headers, data)
        proxy = self._proxy_for(prepared, scheme, parts.netloc)
        if proxy is not None and not private_allowed():
            check_proxied_target(prepared)
        manager = self._manager(proxy)
        pool = manager.connection_from_host(
            parts.hostname or "",
            parts.port,
            scheme,
            pool_kwargs=self._tls_settings() if scheme == "https" else None,
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if target.startswith("//"):
            target = "/" + target.lstrip("/")
        if proxy is not None and scheme != "https" and not proxy.lower().startswith("socks"):
            # an HTTP proxy is sent the whole URL (credentials and fragment left out)
            netloc = parts.netloc.rpartition("@")[2]
            target = urlunparse((parts.scheme, netloc, parts.path, "", parts.query, ""))
        response = pool.urlopen(
            method,
            target,
            body=body,
            headers=wire,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=False,
            retries=_RETRIES,
            timeout=Timeout(connect=timeout[0], read=timeout[1]),
            chunked=False,
        )
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            self._keep_cookies(prepared, response)
        recorded = [("Host", parts.netloc.rpartition("@")[2])]
        recorded += [(k, v) for k, v in wire.items() if k.lower() not in NOT_RECORDED]
        return _DirectReply(response, tuple(recorded))

    def _headers(
        self, method: str, url: str, given: Mapping[str, str], data: Mapping[str, str] | None
    ) -> tuple[dict[str, str], str | None]:
        """The request's headers, in requests' order, and its body."""
        merged: dict[str, tuple[str, str | None]] = {}  # lower-case name -> (name, value)
        for name, value in (("User-Agent", None), *_DEFAULTS, *given.items()):
            merged[name.lower()] = (name, value)
        body = None
        if data:
            body = urlencode(list(data.items()))
            merged["content-length"] = ("Content-Length", str(len(body)))
            merged.setdefault("content-type", ("Content-Type", "application/x-www-form-urlencoded"))
        elif method not in ("GET", "HEAD"):
            merged.setdefault("content-length", ("Content-Length", "0"))
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
        if userinfo:  # credentials written in the URL: HTTP Basic, as requests sends them
            user, _, password = userinfo.partition(":")
            merged["authorization"] = ("Authorization", _basic(unquote(user), unquote(password)))
        if self._jar is not None and "cookie" not in merged:
            request = urllib.request.Request(url)
            self._jar.add_cookie_header(request)
            cookie = request.get_header("Cookie")
            if cookie:
                merged["cookie"] = ("Cookie", cookie)
        wire = {name: value for name, value in merged.values() if value is not None}
        for name, value in wire.items():
            if not _HEADER_NAME.match(name) or not _HEADER_VALUE.match(value):
                raise ValueError(f"the {name!r} header cannot be sent (a line break or space)")
        return wire, body

    def _keep_cookies(self, url: str, response: urllib3.BaseHTTPResponse) -> None:
        with self._lock:
            if self._jar is None:
                from http.cookiejar import CookieJar

                self._jar = CookieJar()
        self._jar.extract_cookies(_Received(response.headers), urllib.request.Request(url))  # type: ignore[arg-type]

    def _proxy_for(self, url: str, scheme: str, netloc: str) -> str | None:
        """The proxy the environment names for ``url`` (read once; ``NO_PROXY`` once an
        origin), or ``None``."""
        environment = self._environment
        if environment is None:
            environment = self._environment = urllib.request.getproxies()
        if not environment:
            return None
        from requests.utils import select_proxy, should_bypass_proxies

        key = (scheme, netloc)
        bypassed = self._bypassed.get(key)
        if bypassed is None:
            bypassed = self._bypassed[key] = should_bypass_proxies(url, no_proxy=None)
        if bypassed:
            return None
        proxy: str | None = select_proxy(url, environment)
        if proxy and "://" not in proxy:
            proxy = "http://" + proxy
        return proxy or None

    def _manager(self, proxy: str | None) -> urllib3.PoolManager:
        """The pools for direct connections, or those through ``proxy`` (made when first
        used, as requests' adapter makes them)."""
        if proxy is None:
            return self._pools
        with self._lock:
            found = self._proxied.get(proxy)
            if found is None:
                parsed = urlsplit(proxy)
                user, password = unquote(parsed.username or ""), unquote(parsed.password or "")
                if proxy.lower().startswith("socks"):  # pools of their own: not watched
                    from urllib3.contrib.socks import SOCKSProxyManager

                    found = SOCKSProxyManager(
                        proxy,
                        username=user,
                        password=password,
                        num_pools=self._pool_connections,
                        maxsize=self._pool_maxsize,
                    )
                else:
                    headers = {"Proxy-Authorization": _basic(user, password)} if user else {}
                    found = urllib3.proxy_from_url(
                        proxy,
                        proxy_headers=headers,
                        num_pools=self._pool_connections,
                        maxsize=self._pool_maxsize,
                    )
                    found.pool_classes_by_scheme = POOL_CLASSES
                self._proxied[proxy] = found
            return found

    def _tls_settings(self) -> dict[str, Any]:
        """Certificates required, verified against requests' bundle (loaded once)."""
        with self._lock:
            if self._tls is None:
                from urllib3.util.ssl_ import create_urllib3_context

                bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
                if not bundle:
                    import certifi

                    bundle = certifi.where()
                context = create_urllib3_context()
                if os.path.isdir(bundle):
                    context.load_verify_locations(capath=bundle)
                else:
                    context.load_verify_locations(cafile=bundle)
                self._tls = {"cert_reqs": "CERT_REQUIRED", "ssl_context": context}
            return self._tls


class _Received:
    """An answer's headers as ``http.cookiejar`` reads them (``info().get_all``)."""

    def __init__(self, headers: Any) -> None:
        self._headers = headers

    def info(self) -> _Received:
        return self

    def get_all(self, name: str, default: Any = None) -> Any:
        return self._headers.getlist(name) or default


class _DirectReply:
    """urllib3's streamed response as the transport reads it."""

    def __init__(
        self, response: urllib3.BaseHTTPResponse, request_headers: tuple[tuple[str, str], ...]
    ) -> None:
        self._response = response
        self._consumed = False
        self.status = response.status
        self.reason = response.reason or ""
        self.headers = tuple((str(k), str(v)) for k, v in response.headers.iteritems())
        self.request_headers = request_headers
        self.location: str | None = None
        if self.status in _REDIRECTS and "location" in response.headers:
            location = response.headers["location"]
            # http.client reads header bytes as Latin-1, a Location is sent as UTF-8 (one that
            # is not stays as received, where requests raised)
            with contextlib.suppress(UnicodeError):
                location = location.encode("latin1").decode("utf8")
            self.location = location

    def content_encoding(self) -> str:
        return tidy_encoding(self._response.headers)

    def stream(self, size: int) -> Iterator[bytes]:
        yield from self._response.stream(size, decode_content=True)
        self._consumed = True

    def tell(self) -> int:
        return int(self._response.tell())

    def close(self) -> None:
        if not self._consumed:
            self._response.close()
        self._response.release_conn()


def _basic(user: str, password: str) -> str:
    """An HTTP Basic credential, as requests encodes it (Latin-1)."""
    pair = f"{user}:{password}".encode("latin1", errors="replace")
    return "Basic " + base64.b64encode(pair).decode("ascii")


def _prepare_url(url: str, params: list[tuple[str, str]] | None) -> str:
    """``url`` as requests prepares it (``PreparedRequest.prepare_url``, requests 2.32):
    internationalised host IDNA-encoded, ``params`` appended to the query, re-quoted.
    ``LocationParseError`` for a URL without a scheme or host, or with a bad label."""
    url = url.lstrip()
    scheme, auth, host, port, path, query, fragment = parse_url(url)
    if not scheme or not host:
        raise LocationParseError("the URL has no scheme or no host")
    if not host.isascii():
        host = _idna(host)
    elif host.startswith(("*", ".")):
        raise LocationParseError("the URL has an invalid label")
    netloc = f"{auth}@" if auth else ""
    netloc += host + (f":{port}" if port else "")
    if params:
        encoded = urlencode(params)
        query = f"{query}&{encoded}" if query else encoded
    return _requote(urlunparse((scheme, netloc, path or "/", "", query or "", fragment or "")))


def _idna(host: str) -> str:
    """A host name in IDNA (UTS #46), as requests and browsers send it."""
    import idna

    try:
        return str(idna.encode(host, uts46=True).decode("utf-8"))
    except (idna.IDNAError, UnicodeError):
        raise LocationParseError("the URL has an invalid label") from None


def _requote(uri: str) -> str:
    """requests' ``requote_uri``: unreserved characters un-escaped, illegal ones quoted."""
    parts = uri.split("%")
    for i in range(1, len(parts)):
        pair = parts[i][0:2]
        if len(pair) == 2 and pair.isalnum():
            try:
                char = chr(int(pair, 16))
            except ValueError:  # an invalid escape: quote everything but what is there
                return quote(uri, safe="!#$&'()*+,/:;=?@[]~")
            parts[i] = char + parts[i][2:] if char in _UNRESERVED else f"%{parts[i]}"
        else:
            parts[i] = f"%{parts[i]}"
    return quote("".join(parts), safe="!#$%&'()*+,/:;=?@[]~")

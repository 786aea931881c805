"""The address rule: which addresses (and, behind a proxy, which names) are on the public
internet. IPv6 forms that carry an IPv4 address are judged by that address; the deprecated and
special-purpose ranges of the IANA registries are refused. And the rule holds end to end: a
fetch of such an address is refused before any connection is attempted.

Internals tested directly (private modules): the classifiers ``is_public`` and ``local_name``
(``claimcheck.sources._addresses``).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck import Reason
from claimcheck.sources import FetchConfig, Fetcher
from claimcheck.sources._addresses import is_public, local_name

NON_PUBLIC_IPV4 = [
    "0.0.0.0",
    "10.0.0.1",
    "100.64.0.1",  # carrier-grade NAT
    "127.0.0.1",
    "169.254.169.254",  # cloud metadata
    "172.16.0.1",
    "192.0.0.8",
    "192.0.2.1",  # documentation
    "192.88.99.1",  # 6to4 relay anycast, deprecated
    "192.168.1.1",
    "198.18.0.1",  # benchmarking
    "198.51.100.1",
    "203.0.113.1",
    "224.0.0.1",  # multicast
    "240.0.0.1",
    "255.255.255.255",
]
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
PUBLIC_IPV4 = ["8.8.8.8", "93.184.215.14", "1.1.1.1", "151.101.1.69"]


def v4(address: str) -> int:
    return int(ipaddress.IPv4Address(address))


def v6(number: int) -> str:
    return str(ipaddress.IPv6Address(number))


def mapped(address: str) -> str:  # ::ffff:a.b.c.d (RFC 4291 section 2.5.5.2)
    return v6(0xFFFF << 32 | v4(address))


def nat64(address: str) -> str:  # 64:ff9b::a.b.c.d (RFC 6052)
    return v6(0x64FF9B << 96 | v4(address))


def nat64_local(address: str) -> str:  # 64:ff9b:1:: with a /96 layout (RFC 8215)
    return v6((0x64FF9B0001 << 80) | v4(address))


def sixtofour(address: str) -> str:  # 2002:aabb:ccdd::1 (RFC 3056)
    return v6(0x2002 << 112 | v4(address) << 80 | 1)


def siit(address: str) -> str:  # ::ffff:0:a.b.c.d (RFC 2765)
    return v6(0xFFFF << 48 | v4(address))


def compatible(address: str) -> str:  # ::a.b.c.d (RFC 4291 section 2.5.5.1)
    return v6(v4(address))


def teredo(address: str) -> str:  # 2001:0:<server>:<flags>:<port>:<client XOR ffffffff>
    server = v4("65.54.227.120")
    return v6(
        0x20010000 << 96 | server << 64 | 0x8000 << 48 | 0xFFFF << 32 | ~v4(address) & 0xFFFFFFFF
    )


@pytest.mark.parametrize("address", NON_PUBLIC_IPV4)
@pytest.mark.parametrize("form", [str, mapped, nat64, sixtofour], ids=lambda f: f.__name__)
def test_a_non_public_ipv4_address_is_refused_in_every_form_that_carries_it(
    address: str, form: Any
) -> None:
    assert not is_public(form(address))


@pytest.mark.parametrize("address", PUBLIC_IPV4)
@pytest.mark.parametrize("form", [str, mapped, nat64, sixtofour], ids=lambda f: f.__name__)
def test_a_public_ipv4_address_is_public_in_the_forms_that_reach_it(
    address: str, form: Any
) -> None:
    # NAT64 must stay usable: on an IPv6-only network, DNS64 answers 64:ff9b::a.b.c.d for every
    # IPv4-only site.
    assert is_public(form(address))


@pytest.mark.parametrize("address", NON_PUBLIC_IPV4 + PUBLIC_IPV4)
@pytest.mark.parametrize("form", [siit, compatible, nat64_local, teredo], ids=lambda f: f.__name__)
def test_deprecated_and_local_translation_forms_are_refused_whatever_they_carry(
    address: str, form: Any
) -> None:
    assert not is_public(form(address))


@pytest.mark.parametrize(
    "address",
    [
        "::",
        "::1",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",  # site-local, deprecated
        "ff02::1",
        "ff0e::1",  # global-scope multicast
        "100::1",  # discard-only
        "2001:db8::1",  # documentation
        "3fff::1",  # documentation (RFC 9637)
        "5f00::1",  # segment routing
        "2001:2::1",  # benchmarking
        "4000::1",  # unassigned
    ],
)
def test_special_purpose_ipv6_addresses_are_refused(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize(
    "address", ["2606:4700::6810:84e5", "2a00:1450:4001:82a::200e", "2620:4f:8000::1"]
)
def test_public_ipv6_addresses_pass(address: str) -> None:
    assert is_public(address)


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_an_embedded_ipv4_address_is_judged_like_the_address_itself(number: int) -> None:
    address = str(ipaddress.IPv4Address(number))
    expected = is_public(address)
    assert is_public(mapped(address)) == expected
    assert is_public(nat64(address)) == expected
    assert is_public(sixtofour(address)) == expected
    assert not is_public(siit(address))
    assert not is_public(compatible(address))
    assert not is_public(teredo(address))


@given(st.ip_addresses())
def test_no_address_judged_public_is_in_a_non_global_network(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    if is_public(str(ip)) and not (
        isinstance(ip, ipaddress.IPv6Address) and (ip.sixtofour or ip in NAT64_PREFIX)
    ):
        assert ip.is_global
        assert not ip.is_multicast
        assert not ip.is_private


@pytest.mark.parametrize(
    ("name", "local"),
    [
        ("localhost", True),
        ("db.localhost", True),
        ("printer.local", True),
        ("router.home.arpa", True),
        ("admin.internal", True),
        ("git.corp", True),
        ("nas.lan", True),
        ("intranet", True),
        ("0x7f.1", True),
        ("2852039166", True),
        ("0177.0.0.1", True),
        ("example.org", False),
        ("news.example.co.uk", False),
        ("localhost.example.org", False),
        ("1password.com", False),
    ],
)
def test_names_that_say_they_are_local(name: str, local: bool) -> None:
    assert local_name(name) is local


@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[2002:a9fe:a9fe::1]/latest/meta-data/",
        "http://[::ffff:0:a9fe:a9fe]/latest/meta-data/",
        "http://[::a9fe:a9fe]/latest/meta-data/",
        "http://[fec0::1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    ],
)
def test_a_fetch_of_an_embedding_address_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    attempts: list[Any] = []

    def connect(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise ConnectionRefusedError(f"the test allows no connection to {address}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    config = FetchConfig(retries=0, host_spacing=0.0, soft_404=False, deadline=5.0)
    with Fetcher(config) as fetcher:
        result = fetcher.fetch(url)
    assert result.reason is Reason.PRIVATE_ADDRESS, result.message
    assert attempts == []

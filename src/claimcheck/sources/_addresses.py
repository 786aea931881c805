"""Which addresses and host names are on the public internet: the one rule the address guard of
the transport (``_http.py``) applies, to a connection's address and to a proxy's target.

**Addresses** (:func:`is_public`). An address is public when Python's ``ipaddress`` calls it
global and it is in none of the special-purpose ranges below, which that module does not (or,
in older Pythons, does not yet) exclude. IPv6 forms that carry an IPv4 address are judged by
that address, since a translator or relay on the way delivers the packets there: IPv4-mapped
``::ffff:0:0/96`` (RFC 4291 section 2.5.5.2), the NAT64 well-known prefix ``64:ff9b::/96``
(RFC 6052, which forbids it for non-global IPv4 addresses; DNS64 networks hand it out for every
IPv4-only site, so it must stay usable) and 6to4 ``2002::/16`` (RFC 3056). The ranges refused
outright are named in :data:`_SPECIAL`, after the IANA IPv4 and IPv6 Special-Purpose Address
Registries (RFC 6890) and the RFCs that deprecated them.

**Names** (:func:`local_name`). A forward proxy resolves the names it is asked for itself, and
behind a corporate proxy a name often does not resolve locally at all. A name that says by
itself that it is not public is refused whether or not it resolves here: ``localhost`` and
``*.localhost`` (RFC 6761 section 6.3), ``.local`` (mDNS, RFC 6762), ``.home.arpa`` (RFC 8375),
``.internal`` (reserved for private use by ICANN in 2024), the names RFC 6762 appendix G lists as
used privately (``.intranet``, ``.private``, ``.corp``, ``.home``, ``.lan``), a single label
(which a resolver completes with the local search domains) and a numeric form of an address
(``0x7f.1``, ``2852039166``: ``inet_aton`` and many proxies read them as IPv4 addresses).
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["is_public", "local_name"]

# Refused whatever ipaddress says of them (most it already calls non-global; naming them keeps
# the rule independent of the Python version).
_SPECIAL = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network" (RFC 791)
        "100.64.0.0/10",  # shared address space, carrier-grade NAT (RFC 6598)
        "192.0.0.0/24",  # IETF protocol assignments (RFC 6890)
        "192.88.99.0/24",  # 6to4 relay anycast, deprecated (RFC 7526)
        "198.18.0.0/15",  # benchmarking (RFC 2544)
        "240.0.0.0/4",  # reserved (RFC 1112)
        "::/96",  # IPv4-compatible IPv6, deprecated (RFC 4291 section 2.5.5.1)
        "::ffff:0:0:0/96",  # SIIT IPv4-translated, obsoleted (RFC 2765, RFC 6145)
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation (RFC 8215): the local network's
        "100::/64",  # discard-only (RFC 6666)
        "2001::/23",  # IETF protocol assignments, Teredo 2001::/32 among them (RFC 4380):
        # Teredo relays deliver to the client's (obfuscated) IPv4 behind its NAT
        "2001:db8::/32",  # documentation (RFC 3849)
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # segment routing SIDs (RFC 9602)
        "fc00::/7",  # unique local (RFC 4193)
        "fe80::/10",  # link-local (RFC 4291)
        "fec0::/10",  # site-local, deprecated (RFC 3879)
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCAL_SUFFIXES = (
    "localhost",
    "local",
    "home.arpa",
    "internal",
    "intranet",
    "private",
    "corp",
    "home",
    "lan",
)
_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (see the module documentation); an IPv6
    address carrying an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            ip = embedded
        elif ip.is_reserved:  # unassigned space outside 2000::/3 and the local ranges
            return False
    if any(ip in network for network in _SPECIAL):
        return False
    return ip.is_global and not ip.is_multicast


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 (well-known prefix) or 6to4 address carries."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def local_name(host: str) -> bool:
    """Whether a host name (lower case, no trailing dot) says by itself that it is not a
    public internet host (see the module documentation)."""
    labels = host.split(".")
    if len(labels) == 1 or all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        return True
    return any(host == suffix or host.endswith("." + suffix) for suffix in _LOCAL_SUFFIXES)

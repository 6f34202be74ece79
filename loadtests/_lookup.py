"""Which hosts the load's connections may look up in place (imports neither gevent nor Locust,
so the tests can check the choice without gevent patching the test process)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# Names the C library answers from /etc/hosts, without asking a DNS server.
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def resolves_in_place(host_url: str | None) -> bool:
    """Whether ``host_url``'s host needs no DNS server: an IP address or a local name."""
    try:
        host = urlsplit(host_url or "").hostname
    except ValueError:  # a malformed URL: leave it to Locust to refuse
        return False
    if not host:
        return False
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True

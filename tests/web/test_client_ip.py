"""Whose address a request is: the connection's, unless a trusted proxy forwarded it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from starlette.requests import Request

from rapport.web.security import client_ip, secure_cookies

PROXIES = "10.0.0.0/8,fd00::/8"


def request(peer: str, *headers: tuple[str, str], trusted: str = PROXIES) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(
        trusted_proxies=trusted, secure_cookies=False)))  # fmt: skip
    scope = {
        "type": "http", "method": "GET", "path": "/", "scheme": "http", "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "client": (peer, 50000), "server": ("testserver", 80), "app": app,
    }  # fmt: skip
    return Request(scope)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.5", "192.0.2.1", "203.0.113.5"),  # not from a proxy: the header is noise
        ("10.1.1.1", "192.0.2.1", "192.0.2.1"),
        ("10.1.1.1", "192.0.2.1, 198.51.100.7, 10.2.2.2", "198.51.100.7"),  # stop at untrusted
        ("10.1.1.1", "10.3.3.3, 10.2.2.2", "10.3.3.3"),  # all proxies: the farthest
        ("10.1.1.1", "192.0.2.1, not-an-address", "10.1.1.1"),  # garbage: the proxy's word
        ("10.1.1.1", "", "10.1.1.1"),
        ("::ffff:10.1.1.1", "::ffff:192.0.2.1", "192.0.2.1"),  # one spelling per address
        ("fd00::1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_forwarded_address_counts_only_from_trusted_proxies(
    peer: str, forwarded: str, client: str
) -> None:
    assert client_ip(request(peer, ("X-Forwarded-For", forwarded))) == client


def test_nothing_is_trusted_unless_configured() -> None:
    sent = request("127.0.0.1", ("X-Forwarded-For", "192.0.2.1"), trusted="")
    assert client_ip(sent) == "127.0.0.1"


def test_only_a_trusted_proxy_may_say_the_connection_was_https() -> None:
    assert secure_cookies(request("10.1.1.1", ("X-Forwarded-Proto", "https")))
    assert not secure_cookies(request("203.0.113.5", ("X-Forwarded-Proto", "https")))

"""Outgoing HTTP that cannot be pointed at the inside of our network (SSRF guard).

``safe_urlopen`` resolves the host itself, refuses private, loopback, link-local,
multicast, reserved and unspecified addresses, and connects to the very address it checked
(so a DNS answer that changes between check and connect cannot slip through). Redirects are
followed through the same check. Hosts an administrator lists in
SUPPORTAL_OUTBOUND_ALLOWED_HOSTS (names, IPs or CIDR networks) are let through. Proxies from
the environment are not used.
"""

from __future__ import annotations

import contextvars
import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Hosts one caller of safe_urlopen lets through besides the setting's (see there).
_extra_allowed: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "extra_allowed_hosts", default=()
)


class BlockedAddress(OSError):
    """The destination is on a network Supportal does not send requests to."""


def is_public_address(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _allowed(host: str, address: IPAddress) -> bool:
    for entry in (*settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS, *_extra_allowed.get()):
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == host.lower().strip("[]"):
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def check_public_address(host: str, port: int) -> list[tuple[Any, ...]]:
    """Resolve ``host`` and return the getaddrinfo entries we may connect to.

    Raises BlockedAddress when any resolved address is not public (and the host is not
    allow-listed): a name that resolves to one inside address is refused as a whole."""
    infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    if not infos:
        raise BlockedAddress(f"{host} does not resolve")
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not is_public_address(address) and not _allowed(host, address):
            raise BlockedAddress(
                f"refusing to connect to {host} ({address}): not a public address; "
                "list it in SUPPORTAL_OUTBOUND_ALLOWED_HOSTS to allow it"
            )
    return infos


def _connect(host: str, port: int, timeout: float | None) -> socket.socket:
    error: OSError | None = None
    for family, type_, proto, _, sockaddr in check_public_address(host, port):
        sock = socket.socket(family, type_, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"cannot connect to {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect(self.host, self.port, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect(self.host, self.port, self.timeout)
        context = getattr(self, "_context", None) or ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPSConnection, req)


def _opener() -> urllib.request.OpenerDirector:
    """Only http and https (a redirect to ftp: or file: finds no handler), no proxies."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({}),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        _GuardedHTTPHandler(),
        _GuardedHTTPSHandler(),
    ):
        opener.add_handler(handler)
    return opener


def safe_urlopen(
    request: urllib.request.Request | str,
    *,
    timeout: float | None = None,
    allowed_hosts: tuple[str, ...] | list[str] = (),
) -> http.client.HTTPResponse:
    """``urllib.request.urlopen`` for http(s) URLs that refuses non-public destinations.
    ``allowed_hosts`` (names, IPs or networks) are let through for this call too, besides
    SUPPORTAL_OUTBOUND_ALLOWED_HOSTS: a feature's own allow-list."""
    url = request.full_url if isinstance(request, urllib.request.Request) else request
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("only http and https URLs are fetched")
    if timeout is None:
        timeout = settings.SUPPORTAL_OUTBOUND_TIMEOUT_SECONDS
    extra = _extra_allowed.set(tuple(allowed_hosts))
    try:
        response: http.client.HTTPResponse = _opener().open(request, timeout=timeout)
        return response  # connected, redirects followed, in here
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, BlockedAddress):
            raise exc.reason from None  # say plainly why nothing was sent
        raise
    finally:
        _extra_allowed.reset(extra)

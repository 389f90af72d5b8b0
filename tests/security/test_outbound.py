"""Outgoing requests refuse private, loopback, link-local and multicast destinations at
connect time, unless an administrator allow-lists the host."""

from __future__ import annotations

import http.server
import ipaddress
from collections.abc import Iterator

import pytest

from supportal.core.net import BlockedAddress, check_public_address, is_public_address, safe_urlopen
from tests.factories import make_ticket
from tests.local_http import serving


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "224.0.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_inside_addresses_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "0177.0.0.1", "2130706433"])
def test_names_and_spellings_of_loopback_are_refused(settings, host):
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises((BlockedAddress, OSError)):
        check_public_address(host, 80)


class _Handler(http.server.BaseHTTPRequestHandler):
    redirect_to: str | None = None
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
        else:
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"hits": [], "redirect_to": None})
    with serving(handler) as base_url:
        yield base_url, handler


def test_a_loopback_receiver_is_refused_and_never_contacted(settings, receiver):
    url, handler = receiver
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(BlockedAddress):
        safe_urlopen(url + "/hook")
    assert handler.hits == []


def test_an_allow_listed_host_is_reached(settings, receiver):
    url, handler = receiver
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    with safe_urlopen(url + "/hook") as response:
        assert response.status == 200
    assert handler.hits == ["/hook"]


def test_a_callers_own_allow_list_holds_for_that_call_only(settings, receiver):
    url, handler = receiver
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    with safe_urlopen(url + "/recording", allowed_hosts=["127.0.0.0/8"]) as response:
        assert response.status == 200
    with pytest.raises(BlockedAddress):
        safe_urlopen(url + "/hook")  # the next call, without it, is refused
    assert handler.hits == ["/recording"]


def test_a_redirect_to_an_inside_address_is_refused(settings, receiver):
    url, handler = receiver
    port = url.rsplit(":", 1)[1]
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["localhost"]  # by name only
    handler.redirect_to = url + "/internal"  # 127.0.0.1 itself is not allow-listed
    with pytest.raises(BlockedAddress):
        safe_urlopen(f"http://localhost:{port}/start")
    assert handler.hits == ["/start"]


def test_only_http_and_https_are_fetched():
    with pytest.raises(ValueError):
        safe_urlopen("file:///etc/passwd")


@pytest.mark.django_db
def test_the_on_call_webhook_goes_through_the_guard(settings, receiver, demo):
    from supportal.sla.models import OnCallRotation, Page, WebhookDelivery
    from supportal.sla.notify import deliver_webhook

    url, handler = receiver
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    ticket = make_ticket(demo.bob)
    page = Page.objects.create(ticket=ticket, rotation=OnCallRotation.objects.first())
    delivery = WebhookDelivery.objects.create(page=page, url=url + "/hook", payload={})
    assert deliver_webhook(delivery.pk) is False
    delivery.refresh_from_db()
    assert "BlockedAddress" in delivery.last_error
    assert handler.hits == []

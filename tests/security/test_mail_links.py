"""Links in mail point at the portal, never at the Host a request named.

The attack: ask for a password reset of someone else's account with ``Host:
evil.example``; a site that builds the link from the Host header mails the victim a link
to the attacker's server carrying a working reset token. And a site that answers to any
Host (``ALLOWED_HOSTS=*``) lets every page that builds a link from it be pointed
elsewhere, so once the public URL is known the wildcard is refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC = "https://support.example.com"


def _ask_reset_as(client, email: str, host: str, callbacks) -> str:
    with callbacks(execute=True):
        answer = client.post(reverse("accounts:password_reset"), {"email": email}, HTTP_HOST=host)
    assert answer.status_code == 302
    return mail.outbox[-1].body


def test_the_reset_link_is_on_the_public_url_whatever_host_the_request_names(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]  # even a site that answers to any Host
    settings.SUPPORTAL_PUBLIC_URL = PUBLIC
    body = _ask_reset_as(client, demo.bob.email, "evil.example", django_capture_on_commit_callbacks)
    assert "evil.example" not in body
    links = re.findall(r"\S+/accounts/reset/\S+", body)
    assert len(links) == 1 and links[0].startswith(f"{PUBLIC}/accounts/reset/")
    # The link works.
    assert client.get(links[0].removeprefix(PUBLIC)).status_code == 302


def test_without_a_public_url_the_reset_link_is_on_this_machine_not_the_host(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SUPPORTAL_PUBLIC_URL = ""
    settings.SUPPORTAL_LOCAL_URL = "http://127.0.0.1:8823"
    body = _ask_reset_as(client, demo.bob.email, "evil.example", django_capture_on_commit_callbacks)
    assert "evil.example" not in body
    assert "http://127.0.0.1:8823/accounts/reset/" in body


SHOW_HOSTS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(','.join(settings.ALLOWED_HOSTS))"
)


def _allowed_hosts_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    """The settings a fresh process reads from its environment (as `supportal serve`)."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"ALLOWED_HOSTS", "SUPPORTAL_PUBLIC_URL"}
    }
    clean["DJANGO_SETTINGS_MODULE"] = "supportal.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW_HOSTS],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_public_url_never_goes_with_a_wildcard_host():
    refused = _allowed_hosts_with({"SUPPORTAL_PUBLIC_URL": PUBLIC, "ALLOWED_HOSTS": "*"})
    assert refused.returncode != 0
    assert "ALLOWED_HOSTS must name the hosts" in refused.stderr

    derived = _allowed_hosts_with({"SUPPORTAL_PUBLIC_URL": PUBLIC})
    assert derived.returncode == 0, derived.stderr
    hosts = derived.stdout.strip().splitlines()[-1].split(",")
    assert hosts[0] == "support.example.com" and "*" not in hosts

    named = _allowed_hosts_with(
        {"SUPPORTAL_PUBLIC_URL": PUBLIC, "ALLOWED_HOSTS": "support.example.com,10.0.0.5"}
    )
    assert named.stdout.strip().splitlines()[-1] == "support.example.com,10.0.0.5"

    # Without a public URL a development machine may still answer to any host.
    assert _allowed_hosts_with({"ALLOWED_HOSTS": "*"}).stdout.strip().splitlines()[-1] == "*"


def test_a_request_for_another_host_is_refused_once_the_public_url_is_set(client, settings):
    settings.ALLOWED_HOSTS = ["support.example.com", "127.0.0.1", "localhost"]
    answer = client.post(
        reverse("accounts:password_reset"), {"email": "x@y.test"}, HTTP_HOST="evil.example"
    )
    assert answer.status_code == 400

"""A real OpenID Connect provider (django-oidc-provider, tests/sso/provider_site) run in
its own process on loopback, and a helper that walks a sign-in the way a browser does:
our redirect, the provider's login form, its redirect back to our callback."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from supportal.sso import services
from supportal.sso.models import IdentityProvider

HERE = Path(__file__).resolve().parent
TEST_CALLBACK = "http://testserver/sso/callback/"
PROVIDER_PASSWORD = "provider-pw"


@dataclass
class Provider:
    url: str
    database: Path

    def allow_redirect_to(self, callback: str) -> None:
        """Register another callback URL of ours (the live server's)."""
        with sqlite3.connect(self.database) as db:
            (uris,) = db.execute("SELECT _redirect_uris FROM oidc_provider_client").fetchone()
            db.execute(
                "UPDATE oidc_provider_client SET _redirect_uris = ?", [f"{uris}\n{callback}"]
            )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Iterator[Provider]:
    folder = tmp_path_factory.mktemp("provider")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PROVIDER_DB": str(folder / "provider.sqlite3"),
        "PROVIDER_URL": url,
        "PYTHONPATH": str(HERE),
        "DJANGO_SETTINGS_MODULE": "provider_site.settings",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, str(HERE / "provider_site" / "setup.py"), TEST_CALLBACK],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                requests.get(f"{url}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield Provider(url=url, database=folder / "provider.sqlite3")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def acme_provider(demo, oidc_provider, settings) -> IdentityProvider:
    """Acme's provider, claiming sso-shop.example, endpoints read by discovery."""
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    provider = IdentityProvider(
        name="Acme SSO",
        slug="acme",
        organization=demo.acme,
        claimed_domains="sso-shop.example",
        issuer=oidc_provider.url,
        client_id="supportal-test",
        client_secret="supportal-test-secret",
    )
    services.discover(provider)
    provider.save()
    return provider


def sign_in(client, provider_url: str, username: str, slug: str = "acme"):
    """Our start URL, the provider's form filled as its user, back to our callback: the
    callback's response (the client's session is then signed in, or not)."""
    start = client.get(f"/sso/{slug}/")
    assert start.status_code == 302, start
    browser = requests.Session()
    form = browser.get(start["Location"], timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    next_url = re.search(r'name="next" value="([^"]*)"', form.text)
    answer = browser.post(
        form.url,
        data={
            "username": username,
            "password": PROVIDER_PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
            "next": next_url.group(1).replace("&amp;", "&") if next_url else "",
        },
        headers={"Referer": form.url},
        allow_redirects=False,
        timeout=10,
    )
    location = answer.headers["Location"]
    while not location.startswith("http://testserver"):
        answer = browser.get(urljoin(provider_url, location), allow_redirects=False, timeout=10)
        location = answer.headers["Location"]
    return client.get(location.removeprefix("http://testserver"))

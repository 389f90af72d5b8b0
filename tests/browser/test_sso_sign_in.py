"""Sign-in with the organization's identity provider, in a real browser against a real
OpenID Connect provider on loopback (tests/sso): the login page's button, the provider's
own form, and back in Supportal, signed in to a new account of the organization."""

from __future__ import annotations

import pytest

from supportal.accounts.models import User
from supportal.sso import services
from supportal.sso.models import IdentityProvider
from tests.sso.conftest import PROVIDER_PASSWORD, oidc_provider  # noqa: F401 (a fixture)

from .conftest import CHROMIUM, TIMEOUT_MS

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402


def test_a_customer_signs_in_with_the_organizations_provider(
    personas,
    browser,
    live_server,
    oidc_provider,  # noqa: F811 (the fixture imported above)
    settings,
):
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    oidc_provider.allow_redirect_to(f"{live_server.url}/sso/callback/")
    provider = IdentityProvider(
        name="Acme SSO", slug="acme", organization=personas.acme,
        claimed_domains="sso-shop.example", issuer=oidc_provider.url,
        client_id="supportal-test", client_secret="supportal-test-secret",
    )  # fmt: skip
    services.discover(provider)
    provider.save()

    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="Sign in with Acme SSO").click()
        expect(page.locator("h1")).to_have_text("Shop identity provider")
        page.fill("input[name=username]", "pat")
        page.fill("input[name=password]", PROVIDER_PASSWORD)
        page.get_by_role("button", name="Sign in to the provider").click()
        page.wait_for_url(f"{live_server.url}/**")
        page.goto(f"{live_server.url}/tickets/")
        assert "/accounts/login/" not in page.url
        expect(page.locator("body")).to_contain_text("Pat Shopper")
    finally:
        context.close()
    pat = User.objects.get(email="pat@sso-shop.example")
    assert pat.organization == personas.acme

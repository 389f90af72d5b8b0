"""Sign-in with an organization's or the vendor's OpenID Connect provider, against a real
provider: who gets in, who gets an account, who is refused, and an organization that
requires it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.accounts.models import User
from supportal.sso.models import IdentityProvider

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def signed_in_as(client) -> User | None:
    response = client.get(reverse("tickets:list"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


def test_a_verified_address_of_a_claimed_domain_gets_an_account_on_first_sign_in(
    client, acme_provider, oidc_provider
):
    response = sign_in(client, oidc_provider.url, "pat")
    assert response.status_code == 302 and response["Location"] == "/"
    pat = User.objects.get(email="pat@sso-shop.example")
    assert (pat.organization, pat.role, pat.name) == (
        acme_provider.organization,
        "customer",
        "Pat Shopper",
    )
    assert not pat.has_usable_password()
    assert signed_in_as(client) == pat


def test_an_existing_customer_is_signed_in_to_their_own_account(
    client, demo, acme_provider, oidc_provider
):
    users = User.objects.count()
    sign_in(client, oidc_provider.url, "bob")
    assert signed_in_as(client) == demo.bob
    assert User.objects.count() == users


@pytest.mark.parametrize(
    ("username", "why"),
    [
        ("eve", "a domain the organization does not claim"),
        ("una", "an address the provider has not verified"),
        ("agent", "staff at a customer's provider"),
    ],
)
def test_refused_sign_ins_make_no_account_and_say_why(
    client, acme_provider, oidc_provider, username, why
):
    users = User.objects.count()
    response = sign_in(client, oidc_provider.url, username)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login"), why
    assert signed_in_as(client) is None, why
    assert User.objects.count() == users, why
    page = client.get(reverse("accounts:login")).content.decode()
    assert "did not give access here" in page


def test_staff_sign_in_with_the_vendors_provider_and_customers_do_not(
    client, demo, oidc_provider, settings
):
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    from supportal.sso import services

    provider = IdentityProvider(
        name="Vendor SSO", slug="vendor", for_staff=True, issuer=oidc_provider.url,
        client_id="supportal-test", client_secret="supportal-test-secret",
    )  # fmt: skip
    services.discover(provider)
    provider.save()
    sign_in(client, oidc_provider.url, "agent", slug="vendor")
    assert signed_in_as(client) == demo.agent
    client.logout()
    sign_in(client, oidc_provider.url, "bob", slug="vendor")
    assert signed_in_as(client) is None


def test_an_organization_that_requires_its_provider_refuses_password_sign_in(
    client, demo, acme_provider
):
    acme_provider.required = True
    acme_provider.save()
    response = client.post(
        reverse("accounts:login"), {"username": demo.bob.email, "password": "supportal-demo"}
    )
    assert signed_in_as(client) is None
    assert "Sign in with Acme SSO" in response.content.decode()
    # Other organizations' people still sign in with their password.
    client.post(
        reverse("accounts:login"), {"username": demo.carol.email, "password": "supportal-demo"}
    )
    assert signed_in_as(client) == demo.carol


def test_an_unknown_or_switched_off_provider_is_not_found(client, acme_provider):
    assert client.get("/sso/nobody/").status_code == 404
    acme_provider.is_active = False
    acme_provider.save()
    assert client.get("/sso/acme/").status_code == 404


def test_the_client_secret_is_encrypted_at_rest(acme_provider):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM sso_identityprovider")
        (stored,) = cursor.fetchone()
    assert "supportal-test-secret" not in stored

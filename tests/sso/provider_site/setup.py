"""Prepare the provider: tables, a signing key, the relying party (Supportal) and its
users. Argument: Supportal's callback URLs, comma-separated."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "provider_site.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402

call_command("migrate", verbosity=0)
call_command("creatersakey")
client = Client.objects.create(
    name="Supportal",
    client_type="confidential",
    client_id="supportal-test",
    client_secret="supportal-test-secret",
    jwt_alg="RS256",
    require_consent=False,
    _redirect_uris="\n".join(sys.argv[1].split(",")),
)
client.response_types.add(ResponseType.objects.get(value="code"))
for username, email, last in [
    ("pat", "pat@sso-shop.example", "Shopper"),
    ("bob", "bob@acmeprint.test", "Buyer"),
    ("eve", "eve@elsewhere.example", "Outsider"),
    ("una", "una@sso-shop.example", "unverified"),
    ("agent", "agent@vendor.test", "Agent"),
]:
    User.objects.create_user(
        username, email, "provider-pw", first_name=username.title(), last_name=last
    )

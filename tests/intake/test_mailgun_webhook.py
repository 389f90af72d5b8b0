"""The ESP inbound webhook (Mailgun via django-anymail) feeds the same pipeline."""

import hashlib
import hmac
import time

import pytest

from supportal.intake.models import InboundEmail

from .conftest import eml

pytestmark = pytest.mark.django_db
URL = "/hooks/email/mailgun/inbound"
KEY = "test-signing-key"


def signed(**fields):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signature, **fields}


def test_signed_raw_mime_post_goes_through_the_pipeline(client, demo, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}
    body = eml("unknown_sender.eml").decode()
    response = client.post(
        URL, signed(**{"body-mime": body, "recipient": "support@supportal.localhost"})
    )
    assert response.status_code == 200
    inbound = InboundEmail.objects.get()
    assert inbound.source == "webhook" and inbound.status == InboundEmail.Status.AUTO_REPLIED


def test_badly_signed_post_is_refused(client, demo, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}
    fields = signed(**{"body-mime": eml("unknown_sender.eml").decode()})
    fields["signature"] = "0" * 64
    assert client.post(URL, fields).status_code == 400
    assert InboundEmail.objects.count() == 0


def test_webhook_is_off_without_a_signing_key(client, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    assert client.post(URL, {}).status_code == 404

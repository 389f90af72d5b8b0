"""The preference page, and the staff intake page with voicemail triage."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from supportal.intake.models import ContactPhone, InboundEmail, NotificationMute, Voicemail
from supportal.intake.services import receive_email
from supportal.tickets.models import Ticket
from tests.training import train

from .conftest import eml

pytestmark = pytest.mark.django_db


def test_user_saves_preferences_and_phone(client, demo):
    client.force_login(demo.bob)
    url = reverse("intake:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"receive": ["reply", "status"], "phone": "+1 (312) 555-0199"})
    assert response.status_code == 302
    assert set(NotificationMute.objects.filter(user=demo.bob).values_list("kind", flat=True)) == {
        "ticket_received",
        "follow_up",
        "billing",
    }
    assert ContactPhone.objects.get(user=demo.bob).number == "+13125550199"


def test_bad_phone_is_refused_with_a_field_error_and_nothing_saved(client, demo):
    client.force_login(demo.bob)
    response = client.post(reverse("intake:preferences"), {"receive": [], "phone": "555-0199"})
    assert response.status_code == 200
    assert "country code" in response.content.decode()
    assert not NotificationMute.objects.exists() and not ContactPhone.objects.exists()


def test_intake_page_is_staff_only(client, demo):
    client.force_login(demo.alice)
    assert client.get(reverse("intake:dashboard")).status_code == 404
    client.force_login(demo.agent)
    assert client.get(reverse("intake:dashboard")).status_code == 200


def test_staff_give_triaged_voicemail_to_customer_with_the_call_time(client, demo):
    called = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    voicemail = Voicemail.objects.create(
        recording_sid="RE9", from_number="+34600111222", transcription="Llámenme por favor",
        called_at=called, status=Voicemail.Status.TRIAGE,
    )  # fmt: skip
    client.force_login(demo.agent)
    train(demo.carol, "pjm", "tflow")
    page = client.get(reverse("intake:dashboard")).content.decode()
    assert "Llámenme por favor" in page
    url = reverse("intake:voicemail_action", args=[voicemail.pk, "assign"])
    client.post(url, {"email": "carol@brightink.test", "remember_number": "on"})
    ticket = Ticket.objects.get()
    assert ticket.requester == demo.carol and ticket.channel == Ticket.Channel.PHONE
    assert ticket.received_at == called
    assert ContactPhone.objects.get(number="+34600111222").user == demo.carol
    voicemail.refresh_from_db()
    assert voicemail.status == Voicemail.Status.TICKETED


def test_staff_inspect_quarantined_mail_and_dismiss_it(
    client, demo, django_capture_on_commit_callbacks
):
    inbound = receive_email(raw=eml("malformed_mime.eml"), source="smtp")
    client.force_login(demo.agent)
    page = client.get(reverse("intake:mail_detail", args=[inbound.pk])).content.decode()
    assert "malformed MIME" in page and "Message-ID: &lt;malformed-10@acmeprint.test&gt;" in page
    client.post(reverse("intake:mail_action", args=[inbound.pk, "dismiss"]))
    inbound.refresh_from_db()
    assert inbound.status == InboundEmail.Status.IGNORED
    client.force_login(demo.bob)
    assert client.get(reverse("intake:mail_detail", args=[inbound.pk])).status_code == 404

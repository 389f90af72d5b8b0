"""Phone numbers claimed without proof: a caller ID maps to a user only once verified.

Supportal sends no SMS and places no calls, so a person verifies: support staff (on the
intake page, or by giving a triaged voicemail to the caller), or the customer's
organization admin (at /account/phones/). Claiming a number says nothing about other
accounts. Voicemails arrive through the signed Twilio webhook, as Twilio sends them.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from supportal.intake.models import ContactPhone, Voicemail
from supportal.tickets.models import Ticket

from .test_voice_webhook import TOKEN, form, post

pytestmark = pytest.mark.django_db
ALICE = "+13125550100"


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SUPPORTAL_PUBLIC_URL = ""


@pytest.fixture
def alice_phone(demo):
    return ContactPhone.objects.create(
        user=demo.alice, number=ALICE, verified_at=timezone.now(), verified_by=demo.agent
    )


def claim(client, user, number):
    client.force_login(user)
    return client.post(reverse("intake:preferences"), {"receive": [], "phone": number}, follow=True)


def main(response) -> str:
    """The page's own content (the header names who is logged in); no CSRF token."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def voicemail_from(client, number, sid):
    assert post(client, form(From=number, RecordingSid=sid, RecordingUrl="")).status_code == 200
    return Voicemail.objects.get(recording_sid=sid)


def test_claiming_someone_elses_number_answers_as_any_claim_and_takes_nothing(
    client, demo, alice_phone
):
    taken = claim(client, demo.carol, ALICE)
    free = claim(client, demo.bob, "+13125550177")
    # The same answer for a number verified for another account and for a fresh one.
    assert taken.redirect_chain == free.redirect_chain
    answers = [
        re.sub(r'value="[^"]{64}"', "", main(response).replace(number, "N"))
        for response, number in ((taken, ALICE), (free, "+13125550177"))
    ]
    assert answers[0] == answers[1]
    assert "Your notification settings are saved." in answers[0]
    assert "is not confirmed yet" in answers[0] and "another account" not in answers[0]
    # Alice keeps her verified number; her callers' voicemail is still hers.
    alice_phone.refresh_from_db()
    assert alice_phone.is_verified and alice_phone.user == demo.alice
    assert voicemail_from(client, ALICE, "RE1").ticket.requester == demo.alice


def test_a_claimed_number_opens_no_ticket_until_it_is_verified(client, demo):
    claim(client, demo.bob, "+13125550177")
    voicemail = voicemail_from(client, "+13125550177", "RE2")
    assert voicemail.status == Voicemail.Status.TRIAGE and voicemail.caller is None
    assert not Ticket.objects.exists()


def test_the_customer_admin_confirms_a_colleagues_number(client, demo):
    claim(client, demo.bob, "+13125550177")
    phone = ContactPhone.objects.get(user=demo.bob)
    client.force_login(demo.alice)
    page = client.get(reverse("intake:organization_phones")).content.decode()
    assert "+13125550177" in page and "Not confirmed" in page
    url = reverse("intake:organization_phone_confirm", args=[phone.pk])
    assert client.post(url).status_code == 302
    phone.refresh_from_db()
    assert phone.is_verified and phone.verified_by == demo.alice
    assert voicemail_from(client, "+13125550177", "RE3").ticket.requester == demo.bob


def test_nobody_else_confirms_a_number(client, demo):
    claim(client, demo.carol, "+34600111222")
    carols = ContactPhone.objects.get(user=demo.carol)
    url = reverse("intake:organization_phone_confirm", args=[carols.pk])
    for user in (demo.alice, demo.bob, demo.carol):  # another org's admin; plain customers
        client.force_login(user)
        assert client.post(url).status_code == 404
    client.force_login(demo.bob)
    assert client.get(reverse("intake:organization_phones")).status_code == 404
    assert client.post(reverse("intake:phone_verify", args=[carols.pk])).status_code == 404
    carols.refresh_from_db()
    assert not carols.is_verified and carols.verified_by is None


def test_an_admin_confirming_a_number_verified_elsewhere_learns_nothing_and_support_decides(
    client, demo, alice_phone
):
    other = demo.carol.organization
    other_admin = type(demo.carol).objects.create_user(
        email="admin@brightink.test", password="x" * 16, name="Bright Admin",
        role="customer_admin", organization=other, language="en",
    )  # fmt: skip
    claim(client, demo.carol, ALICE)
    carols = ContactPhone.objects.get(user=demo.carol)
    client.force_login(other_admin)
    url = reverse("intake:organization_phone_confirm", args=[carols.pk])
    page = client.post(url, follow=True).content.decode()
    assert f"Confirmed {ALICE} for carol@brightink.test." in page
    assert "Confirmed by Bright Admin" in page
    carols.refresh_from_db()
    assert not carols.is_verified  # alice keeps it
    assert voicemail_from(client, ALICE, "RE4").ticket.requester == demo.alice
    # Staff see the confirmation and are told why they cannot verify it yet.
    client.force_login(demo.agent)
    page = client.get(reverse("intake:dashboard")).content.decode()
    assert "admin@brightink.test" in page.split('id="phones-head"')[1].split("</section>")[0]
    response = client.post(reverse("intake:phone_verify", args=[carols.pk]), follow=True)
    assert f"{ALICE} is verified for alice@acmeprint.test" in response.content.decode()


def test_staff_verify_a_claimed_number_on_the_intake_page(client, demo):
    claim(client, demo.bob, "+13125550177")
    phone = ContactPhone.objects.get(user=demo.bob)
    client.force_login(demo.agent)
    assert "+13125550177" in client.get(reverse("intake:dashboard")).content.decode()
    client.post(reverse("intake:phone_verify", args=[phone.pk]))
    phone.refresh_from_db()
    assert phone.is_verified and phone.verified_by == demo.agent

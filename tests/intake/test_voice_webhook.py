"""The Twilio recording webhook: signatures computed with the validator's own algorithm."""

import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from supportal.intake.models import ContactPhone, Voicemail
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db
TOKEN = "test-auth-token"
PATH = "/hooks/voice/twilio/recording"
WAV = (
    b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00@\x1f\x00\x00"
    b"\x80>\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
)


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SUPPORTAL_PUBLIC_URL = ""


def form(**extra) -> dict[str, str]:
    return {
        "AccountSid": "AC123",
        "CallSid": "CA100",
        "RecordingSid": "RE100",
        "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE100",
        "RecordingDuration": "42",
        "RecordingStartTime": "Tue, 03 Mar 2026 02:15:00 +0000",
        "From": "+13125550100",
        "To": "+18005712138",
        "TranscriptionText": "Hi, our checkout is down, please call back.",
        **extra,
    }


def post(client, data, *, url=f"http://testserver{PATH}", token=TOKEN, signature=None):
    signature = signature or RequestValidator(token).compute_signature(url, data)
    return client.post(PATH, data, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def alice_phone(demo):
    return ContactPhone.objects.create(
        user=demo.alice, number="+13125550100", verified_at=timezone.now(), verified_by=demo.agent
    )


def test_signed_voicemail_from_known_caller_opens_phone_ticket_at_call_time(
    client, alice_phone, settings
):
    settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = []
    response = post(client, form(RecordingUrl=""))
    assert response.status_code == 200 and b"<Response>" in response.content
    ticket = Ticket.objects.get()
    assert ticket.channel == Ticket.Channel.PHONE
    assert ticket.requester == alice_phone.user
    assert ticket.description.startswith("Hi, our checkout is down")
    assert ticket.received_at == datetime(2026, 3, 3, 2, 15, tzinfo=UTC)
    assert Voicemail.objects.get().status == Voicemail.Status.TICKETED


def test_the_same_recording_twice_makes_one_ticket(client, alice_phone):
    assert post(client, form(RecordingUrl="")).status_code == 200
    assert post(client, form(RecordingUrl="")).status_code == 200
    assert Ticket.objects.count() == 1 and Voicemail.objects.count() == 1


@pytest.mark.parametrize(
    "signature", ["", "forged", "wrong-token"], ids=["missing", "forged", "wrong-token"]
)
def test_unsigned_or_forged_request_is_refused_and_stores_nothing(client, alice_phone, signature):
    data = form()
    if signature == "wrong-token":
        response = post(client, data, token="not-the-token")
    elif signature == "forged":
        response = post(client, data, signature="Zm9yZ2Vk")
    else:
        response = client.post(PATH, data)
    assert response.status_code == 403
    assert Voicemail.objects.count() == 0 and Ticket.objects.count() == 0


def test_signature_over_altered_fields_is_refused(client, alice_phone):
    signature = RequestValidator(TOKEN).compute_signature(f"http://testserver{PATH}", form())
    response = client.post(PATH, form(From="+34600000000"), HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403


def test_signature_is_checked_over_the_public_url_when_set(client, alice_phone, settings):
    settings.SUPPORTAL_PUBLIC_URL = "https://support.example.com/"
    assert post(client, form(RecordingUrl="")).status_code == 403  # signed for testserver
    response = post(client, form(RecordingUrl=""), url=f"https://support.example.com{PATH}")
    assert response.status_code == 200


def test_no_auth_token_configured_refuses_everything(client, settings, alice_phone):
    settings.TWILIO_AUTH_TOKEN = ""
    assert post(client, form(), token="x").status_code == 403


def test_unknown_caller_lands_in_triage_without_a_ticket(client, demo):
    assert post(client, form(From="+34600111222")).status_code == 200
    voicemail = Voicemail.objects.get()
    assert voicemail.status == Voicemail.Status.TRIAGE and voicemail.ticket is None
    assert Ticket.objects.count() == 0


@pytest.fixture
def recording_server():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = WAV if self.path.endswith("/RE100") else b"no"
            self.send_response(200 if body == WAV else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_recording_is_fetched_into_the_ticket_attachments(
    client, alice_phone, recording_server, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, form(RecordingUrl=f"{recording_server}/Recordings/RE100"))
    [attachment] = Ticket.objects.get().attachments.all()
    assert attachment.content_type in {"audio/wav", "audio/x-wav"}
    assert attachment.original_name.endswith(".wav")
    assert Voicemail.objects.get().recording_status == Voicemail.Recording.FETCHED


def test_recording_on_a_private_address_is_refused_unless_allow_listed(
    client, alice_phone, recording_server, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        post(client, form(RecordingUrl=f"{recording_server}/Recordings/RE100"))
    voicemail = Voicemail.objects.get()
    assert voicemail.recording_status == Voicemail.Recording.FAILED
    assert "not a public address" in voicemail.recording_error
    assert Ticket.objects.get().attachments.count() == 0

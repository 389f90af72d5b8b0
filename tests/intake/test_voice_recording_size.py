"""A recording larger than the attachment limit is refused for good: the voicemail's ticket
stays, staff see the recording as failed with the reason, and it is not fetched again.

The recording is served by a real HTTP server on loopback."""

from __future__ import annotations

import pytest

from supportal.intake import tasks
from supportal.intake.models import Voicemail
from supportal.tickets.models import Ticket

from .recording_server import Recording
from .test_voice_webhook import WAV, alice_phone, form, post  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
LIMIT = 4096
OVERSIZED = WAV + bytes(LIMIT)  # a valid WAV header and silence: one limit and more


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.SUPPORTAL_PUBLIC_URL = ""
    settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SUPPORTAL_RECORDING_FETCH_TIMEOUT_SECONDS = 2
    settings.SUPPORTAL_ATTACHMENT_MAX_BYTES = LIMIT


def test_oversized_recording_fails_for_good_and_the_ticket_stays(
    client,
    alice_phone,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    recording = Recording(OVERSIZED)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # the fetch job, after commit
            assert post(client, form(RecordingUrl=recording.url)).status_code == 200
        asked = recording.requests
        tasks.retry_voicemail_recordings_task.call_local()
    finally:
        recording.stop()
    assert asked == 1
    assert recording.requests == asked  # failed for good: not asked again
    voicemail = Voicemail.objects.get()
    assert voicemail.recording_status == Voicemail.Recording.FAILED
    assert voicemail.recording_error == "the recording is larger than the attachment limit"
    ticket = Ticket.objects.get()
    assert voicemail.ticket == ticket and ticket.attachments.count() == 0

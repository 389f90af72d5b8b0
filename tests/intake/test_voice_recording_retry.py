"""A voicemail whose recording cannot be fetched yet still becomes one ticket at once, with
its transcript and caller; the recording is tried again and attached when it comes.

The recording lives on a real HTTP server on loopback that refuses, answers 404, or is too
slow, and later answers."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supportal.intake import tasks
from supportal.intake.models import Voicemail
from supportal.tickets.models import Ticket

from .recording_server import Recording
from .test_voice_webhook import WAV, alice_phone, form, post  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
TRANSCRIPT = "Hi, our checkout is down, please call back."


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.SUPPORTAL_PUBLIC_URL = ""
    settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SUPPORTAL_RECORDING_FETCH_TIMEOUT_SECONDS = 0.5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _deliver(client, url, capture):
    with capture(execute=True):  # the fetch job runs after commit, as the consumer would
        assert post(client, form(RecordingUrl=url)).status_code == 200


def _assert_one_ticket_without_recording(alice_phone):  # noqa: F811
    ticket = Ticket.objects.get()
    assert ticket.requester == alice_phone.user and ticket.channel == Ticket.Channel.PHONE
    assert TRANSCRIPT in ticket.description
    assert ticket.attachments.count() == 0
    voicemail = Voicemail.objects.get()
    assert voicemail.recording_status == Voicemail.Recording.PENDING
    assert voicemail.recording_error
    return ticket


@pytest.mark.parametrize("failure", ["refused", "404", "timeout"])
def test_unfetchable_recording_still_opens_one_ticket_and_is_attached_when_it_comes(
    client,
    alice_phone,  # noqa: F811
    django_capture_on_commit_callbacks,
    failure,
):
    if failure == "refused":
        port = _free_port()  # nothing listens there yet
        url = f"http://127.0.0.1:{port}/Recordings/RE100"
        recording = None
    else:
        recording = Recording(WAV)
        recording.mode = "404" if failure == "404" else "slow"
        url = recording.url
    try:
        _deliver(client, url, django_capture_on_commit_callbacks)
        ticket = _assert_one_ticket_without_recording(alice_phone)
        _deliver(client, url, django_capture_on_commit_callbacks)  # Twilio delivers again
        assert Ticket.objects.count() == 1 and Voicemail.objects.count() == 1

        tasks.retry_voicemail_recordings_task.call_local()  # still not there: still pending
        _assert_one_ticket_without_recording(alice_phone)

        if recording is None:
            recording = Recording(WAV, port=port)
        recording.mode = "ok"
        tasks.retry_voicemail_recordings_task.call_local()
    finally:
        if recording is not None:
            recording.stop()
    [attachment] = ticket.attachments.all()
    assert attachment.content_type in {"audio/wav", "audio/x-wav"}
    voicemail = Voicemail.objects.get()
    assert voicemail.recording_status == Voicemail.Recording.FETCHED
    assert voicemail.recording_error == ""
    tasks.retry_voicemail_recordings_task.call_local()  # nothing left to do
    assert ticket.attachments.count() == 1


def test_a_recording_that_never_comes_is_shown_to_staff_as_failed_and_the_ticket_stays(
    client,
    alice_phone,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    recording = Recording(WAV)
    recording.mode = "404"
    try:
        _deliver(client, recording.url, django_capture_on_commit_callbacks)
        later = timezone.now() + timedelta(
            hours=settings.SUPPORTAL_RECORDING_RETRY_HOURS, minutes=1
        )
        with time_machine.travel(later):
            tasks.retry_voicemail_recordings_task.call_local()
        asked = recording.requests
        tasks.retry_voicemail_recordings_task.call_local()
        assert recording.requests == asked  # given up: not asked again
    finally:
        recording.stop()
    voicemail = Voicemail.objects.get()
    assert voicemail.recording_status == Voicemail.Recording.FAILED
    assert voicemail.recording_error.startswith("gave up after 24 h: HTTP 404")
    assert TRANSCRIPT in Ticket.objects.get().description


def test_a_recording_refused_by_the_outbound_guard_is_not_retried(
    client,
    alice_phone,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    """A private address the allow-list does not name is a configuration matter: failed at
    once (staff see it), the ticket is there."""
    settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = []
    recording = Recording(WAV)
    try:
        _deliver(client, recording.url, django_capture_on_commit_callbacks)
        tasks.retry_voicemail_recordings_task.call_local()
    finally:
        recording.stop()
    assert recording.requests == 0
    assert Voicemail.objects.get().recording_status == Voicemail.Recording.FAILED
    assert TRANSCRIPT in Ticket.objects.get().description

"""Voicemail: Twilio's recording callback becomes a phone ticket, or waits in triage.

The ticket's received time is the call's time, so the first-in-first-out queue keeps the
order in which customers called. A callback is idempotent on its RecordingSid.

The ticket (transcript, caller) never waits for the recording: the recording is fetched
after commit, and one that cannot be fetched yet (a refused connection, a timeout, a 404
while the provider is still storing it, a 5xx) stays pending and is tried again every few
minutes for SUPPORTAL_RECORDING_RETRY_HOURS, then shown to staff as failed.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.core.net import BlockedAddress, safe_urlopen
from supportal.tickets.access import can_file_tickets
from supportal.tickets.models import Attachment, AuditEvent, Ticket
from supportal.tickets.services import TicketDraft, open_ticket, record_event
from supportal.tickets.uploads import check_upload

from . import tasks
from .models import ContactPhone, Voicemail
from .phone import normalize_phone
from .services import default_product

log = logging.getLogger(__name__)
# HTTP answers after which the recording may still come: not there yet, busy, server error.
RETRYABLE_HTTP = frozenset({404, 408, 425, 429})


@dataclass(frozen=True)
class VoicemailCallback:
    """What the webhook hands over, already validated."""

    recording_sid: str
    call_sid: str
    from_number: str
    to_number: str
    recording_url: str
    duration_seconds: int
    transcription: str
    called_at: datetime


def user_for_phone(number: str) -> User | None:
    normalized = normalize_phone(number)
    if normalized is None:
        return None
    phone = (
        ContactPhone.objects.select_related("user")
        .filter(number=normalized, verified_at__isnull=False)
        .first()
    )
    return phone.user if phone and phone.user.is_active else None


def record_voicemail(*, callback: VoicemailCallback) -> tuple[Voicemail, bool]:
    """Store a voicemail once and open its ticket when the caller is a known customer.

    Returns (voicemail, created). A repeated callback creates nothing; one that brings a
    transcription the first lacked fills it in."""
    existing = Voicemail.objects.filter(recording_sid=callback.recording_sid).first()
    if existing is not None:
        if callback.transcription and not existing.transcription:
            Voicemail.objects.filter(pk=existing.pk, transcription="").update(
                transcription=callback.transcription
            )
        return existing, False
    caller = user_for_phone(callback.from_number)
    try:
        with transaction.atomic():
            voicemail = Voicemail.objects.create(
                recording_sid=callback.recording_sid,
                call_sid=callback.call_sid,
                from_number=callback.from_number,
                to_number=callback.to_number,
                recording_url=callback.recording_url,
                duration_seconds=callback.duration_seconds,
                transcription=callback.transcription,
                called_at=callback.called_at,
                caller=caller,
                status=Voicemail.Status.TRIAGE,
            )
            if caller is not None and can_file_tickets(caller):
                _open_ticket(voicemail=voicemail, requester=caller)
    except IntegrityError:  # the same callback, delivered twice at once
        return Voicemail.objects.get(recording_sid=callback.recording_sid), False
    return voicemail, True


def _open_ticket(*, voicemail: Voicemail, requester: User) -> Ticket | None:
    """Inside the caller's transaction. A refusal (e.g. training required) leaves the
    voicemail in triage for staff."""
    who = requester.get_full_name() or voicemail.from_number
    description = voicemail.transcription.strip() or "(no transcription)"
    if voicemail.recording_url:
        description += f"\n\nRecording: {voicemail.recording_url}"
    draft = TicketDraft(
        product=default_product(requester),
        kind=Ticket.Kind.QUESTION,
        subject=f"Voicemail from {who} ({voicemail.duration_seconds} s)"[:200],
        description=description,
    )
    try:
        with transaction.atomic():
            ticket = open_ticket(
                requester=requester,
                draft=draft,
                channel=Ticket.Channel.PHONE,
                received_at=voicemail.called_at,
            )
    except (RuleViolation, InvalidInput) as exc:
        log.info("voicemail %s left in triage: %s", voicemail.pk, exc)
        return None
    Voicemail.objects.filter(pk=voicemail.pk).update(
        ticket=ticket, caller=requester, status=Voicemail.Status.TICKETED
    )
    if voicemail.recording_url:
        transaction.on_commit(lambda: tasks.fetch_recording_task(voicemail.pk))
    return ticket


def assign_voicemail(
    *, voicemail: Voicemail, actor: User, requester: User, remember_number: bool = True
) -> Ticket:
    """Staff give a triaged voicemail to the customer who called; its ticket opens with
    the call's time. Optionally the number is kept for that customer's next call."""
    require_staff(actor, "triage voicemail")
    if not can_file_tickets(requester):
        raise InvalidInput({"requester": _("Choose an active customer of an organization.")})
    with transaction.atomic():
        voicemail = Voicemail.objects.select_for_update().get(pk=voicemail.pk)
        if voicemail.status != Voicemail.Status.TRIAGE:
            raise RuleViolation("not_in_triage", _("This voicemail was already handled."))
        ticket = _open_ticket(voicemail=voicemail, requester=requester)
        if ticket is None:
            raise RuleViolation(
                "ticket_refused", f"{requester.email} cannot file tickets right now."
            )
        number = normalize_phone(voicemail.from_number)
        verified = ContactPhone.objects.filter(number=number, verified_at__isnull=False)
        if remember_number and number and not verified.exists():
            # Staff who judged whose voicemail this is have verified the number.
            ContactPhone.objects.update_or_create(
                user=requester,
                number=number,
                defaults={"verified_at": timezone.now(), "verified_by": actor},
            )
    return ticket


def dismiss_voicemail(*, voicemail: Voicemail, actor: User) -> None:
    require_staff(actor, "triage voicemail")
    Voicemail.objects.filter(pk=voicemail.pk, status=Voicemail.Status.TRIAGE).update(
        status=Voicemail.Status.DISMISSED
    )


# --- Fetching the recording into the ticket's attachments --------------------------------


class RecordingUnavailable(Exception):
    """The recording could not be fetched. ``permanent``: trying again will not help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _download(url: str) -> bytes:
    """The recording, through the outbound guard (core.net): a private, loopback or
    reserved destination is refused, redirects included, unless allow-listed
    (SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS, or SUPPORTAL_OUTBOUND_ALLOWED_HOSTS)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise RecordingUnavailable("the recording URL is not http(s)", permanent=True)
    limit = settings.SUPPORTAL_ATTACHMENT_MAX_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "Supportal-Voicemail/1"})  # noqa: S310
    try:
        with safe_urlopen(
            request,
            timeout=settings.SUPPORTAL_RECORDING_FETCH_TIMEOUT_SECONDS,
            allowed_hosts=settings.SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS,
        ) as response:
            data: bytes = response.read(limit + 1)
    except BlockedAddress as exc:
        raise RecordingUnavailable(str(exc), permanent=True) from exc
    except urllib.error.HTTPError as exc:
        retryable = exc.code in RETRYABLE_HTTP or exc.code >= 500
        raise RecordingUnavailable(f"HTTP {exc.code}", permanent=not retryable) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise RecordingUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if len(data) > limit:
        raise RecordingUnavailable(
            "the recording is larger than the attachment limit", permanent=True
        )
    return data


def fetch_recording(*, voicemail_id: int) -> Attachment | None:
    """Download the recording and attach it to the voicemail's ticket. Safe to run twice.

    Raises RecordingUnavailable (recorded on the voicemail) when it cannot."""
    voicemail = Voicemail.objects.select_related("ticket__requester").get(pk=voicemail_id)
    if voicemail.ticket is None or voicemail.recording_status == Voicemail.Recording.FETCHED:
        return None
    try:
        data = _download(voicemail.recording_url)
        upload = SimpleUploadedFile(f"voicemail-{voicemail.recording_sid}", data)
        try:
            content_type = check_upload(upload)
        except InvalidInput as exc:
            raise RecordingUnavailable(str(exc.errors["attachments"]), permanent=True) from exc
    except RecordingUnavailable as exc:
        Voicemail.objects.filter(pk=voicemail.pk).update(
            recording_error=str(exc)[:1000],
            recording_status=Voicemail.Recording.FAILED
            if exc.permanent
            else voicemail.recording_status,
        )
        raise
    suffix = {"audio/mpeg": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav"}.get(
        content_type, ""
    )
    with transaction.atomic():
        claimed = Voicemail.objects.filter(
            pk=voicemail.pk, recording_status__in=[Voicemail.Recording.PENDING,
                                                   Voicemail.Recording.FAILED]
        ).update(recording_status=Voicemail.Recording.FETCHED, recording_error="")  # fmt: skip
        if claimed != 1:
            return None
        ticket = voicemail.ticket
        attachment = Attachment(ticket=ticket, uploaded_by=ticket.requester)
        name = f"voicemail-{voicemail.called_at:%Y%m%d-%H%M}{suffix}"
        attachment.keep(upload, content_type=content_type, name=name)
        attachment.save()
        record_event(
            ticket=ticket,
            actor=None,
            action=AuditEvent.Action.ATTACHMENT_ADDED,
            data={"attachment_id": attachment.pk, "name": attachment.original_name},
        )
    return attachment


def mark_recording_failed(*, voicemail_id: int, error: str) -> None:
    Voicemail.objects.filter(pk=voicemail_id).exclude(
        recording_status=Voicemail.Recording.FETCHED
    ).update(recording_status=Voicemail.Recording.FAILED, recording_error=error[:1000])


def retry_pending_recordings() -> int:
    """Try again every ticketed voicemail whose recording is still pending; give up (and
    show it to staff as failed) on those older than SUPPORTAL_RECORDING_RETRY_HOURS.
    Returns how many were attached. Safe to run twice: fetch_recording claims its row."""
    cutoff = timezone.now() - timedelta(hours=settings.SUPPORTAL_RECORDING_RETRY_HOURS)
    pending = Voicemail.objects.filter(
        recording_status=Voicemail.Recording.PENDING, ticket__isnull=False
    ).exclude(recording_url="")
    for voicemail in pending.filter(created_at__lt=cutoff).only("pk", "recording_error"):
        hours = settings.SUPPORTAL_RECORDING_RETRY_HOURS
        last = voicemail.recording_error or "no answer"
        mark_recording_failed(voicemail_id=voicemail.pk, error=f"gave up after {hours} h: {last}")
    attached = 0
    for voicemail_id in pending.filter(created_at__gte=cutoff).values_list("pk", flat=True):
        try:
            attached += fetch_recording(voicemail_id=voicemail_id) is not None
        except RecordingUnavailable as exc:
            log.info("recording of voicemail %s not fetched yet: %s", voicemail_id, exc)
    return attached


def called_at_from(value: str) -> datetime:
    """Twilio's RecordingStartTime (RFC 2822), or now when absent or unreadable."""
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        return timezone.now()
    return parsed

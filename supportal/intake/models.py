from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.tickets.models import Reply, Ticket


class ContactPhone(models.Model):
    """A phone number a user says they call from, in E.164 form.

    Anyone may claim any number (so a claim tells nothing about other accounts); voicemail
    is matched on a number only once it is verified, by support staff or by the
    customer's organization admin, and a number is verified for one account at most.
    ``verified_by`` without ``verified_at``: the organization admin confirmed it, but the
    number is verified for another account, so support decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_phones"
    )
    number = models.CharField(max_length=16, help_text=_("E.164, e.g. +13125550100"))
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "number"], name="contact_phone_once_per_user"),
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(verified_at__isnull=False),
                name="contact_phone_verified_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class NotificationKind(models.TextChoices):
    TICKET_RECEIVED = "ticket_received", _("My ticket was received")
    REPLY = "reply", _("Support replied to my ticket")
    STATUS = "status", _("My ticket changed status")
    FOLLOW_UP = "follow_up", _("A follow-up ticket was opened")
    BILLING = "billing", _("A quote or notice waits for my answer")


class NotificationMute(models.Model):
    """A kind of notification a user chose not to receive. No row: they get it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mutes"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_mute_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.kind}"


class TicketThread(models.Model):
    """The Message-ID that every mail about a ticket refers to, so mail clients thread."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="email_thread")
    root_message_id = models.CharField(max_length=255, db_index=True)

    def __str__(self) -> str:
        return self.root_message_id


class OutboundEmail(models.Model):
    """The outbox: a notification, written in the transaction that caused it and sent by a
    job. A row is claimed before sending, so a retried job never sends twice. Most rows are
    rendered when written; a row with ``deferred`` set is rendered by the send job."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent: the recipient turned it off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    template = models.CharField(max_length=100)
    to_address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    auto_reply = models.BooleanField(default=False)
    # To render when sent: {"kind": the preference that governs it, "context": {...}}.
    deferred = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.subject or self.template} → {self.to_address}"  # not yet rendered


class InboundEmail(models.Model):
    """One received mail, kept whole (up to the size limit) whatever became of it."""

    class Source(models.TextChoices):
        WEBHOOK = "webhook", _("Provider webhook")
        IMAP = "imap", _("IMAP mailbox")
        SMTP = "smtp", _("SMTP listener")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TICKET_OPENED = "ticket_opened", _("Opened a ticket")
        REPLIED = "replied", _("Added a reply")
        FOLLOW_UP = "follow_up", _("Opened a follow-up ticket")
        AUTO_REPLIED = "auto_replied", _("Unknown sender: auto-reply only")
        IGNORED = "ignored", _("Ignored (automated or our own mail)")
        HELD = "held", _("Held: sender over the rate limit")
        QUARANTINED = "quarantined", _("Quarantined for staff")
        UNVERIFIED = "unverified", _("Held: the sender is not proven")

    NEEDS_STAFF = (Status.HELD, Status.QUARANTINED, Status.UNVERIFIED)
    RELEASABLE = (Status.HELD, Status.UNVERIFIED)

    message_id = models.CharField(max_length=255, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    sender = models.CharField(max_length=254, blank=True, db_index=True)
    subject = models.CharField(max_length=500, blank=True)
    raw = models.BinaryField()
    size = models.PositiveBigIntegerField()
    truncated = models.BooleanField(
        default=False, help_text=_("Larger than the limit: only the beginning was kept.")
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    reply = models.ForeignKey(Reply, on_delete=models.SET_NULL, null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["sender", "received_at"], name="inbound_sender_time"),
            models.Index(fields=["status", "-received_at"], name="inbound_status"),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("intake:mail_detail", args=[self.pk])


class Voicemail(models.Model):
    """A recording left on the support line (Twilio's recording callback)."""

    class Status(models.TextChoices):
        TICKETED = "ticketed", _("Ticket opened")
        TRIAGE = "triage", _("Unknown caller: needs triage")
        DISMISSED = "dismissed", _("Dismissed")

    class Recording(models.TextChoices):
        PENDING = "pending", _("Not fetched yet")
        FETCHED = "fetched", _("Attached to the ticket")
        FAILED = "failed", _("Could not be fetched")

    recording_sid = models.CharField(max_length=64, unique=True)
    call_sid = models.CharField(max_length=64, blank=True)
    from_number = models.CharField(max_length=32, blank=True)
    to_number = models.CharField(max_length=32, blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(default=0)
    transcription = models.TextField(blank=True)
    called_at = models.DateTimeField()
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="voicemails"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    recording_status = models.CharField(
        max_length=10, choices=Recording.choices, default=Recording.PENDING
    )
    recording_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["called_at", "id"]
        indexes = [models.Index(fields=["status", "called_at"], name="voicemail_triage")]

    def __str__(self) -> str:
        return f"voicemail {self.recording_sid} from {self.from_number}"

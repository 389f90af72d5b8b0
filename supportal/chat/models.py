"""Live chat: conversations, their numbered messages, shared files and agent presence."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Organization, Product
from supportal.core.models import StoredFile
from supportal.tickets.models import Ticket


class Chat(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for an agent")
        ACTIVE = "active", _("In conversation")
        ENDED = "ended", _("Ended")
        CONVERTED = "converted", _("Converted to a ticket")

    LIVE_STATUSES = (Status.WAITING, Status.ACTIVE)

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="chats")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chats"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="chats")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent_chats",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    subject = models.CharField(max_length=200, help_text=_("The customer's opening question."))
    # Arrival in the waiting list; kept when a chat returns to it, so it keeps its place.
    queued_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The chat's clock: started by the first agent to accept it and kept through transfers
    # and returns to the waiting list. At ``deadline_at`` (start + the chat limit, plus any
    # extensions) the server hands the conversation over to a ticket.
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    # When both sides were warned that the limit is near (cleared by an extension).
    warned_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat"
    )
    # The sequence number of the last message: new messages take last_seq + 1.
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            models.Index(fields=["status", "queued_at", "id"], name="chat_waiting_list"),
            models.Index(fields=["agent", "status"], name="chat_agent_status"),
            models.Index(fields=["organization", "-queued_at"], name="chat_org_recent"),
            models.Index(fields=["status", "deadline_at"], name="chat_live_deadline"),
        ]

    def __str__(self) -> str:
        return f"chat {self.pk}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("chat:detail", args=[self.pk])

    @property
    def group_name(self) -> str:
        return f"chat.{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    def limit_at(self) -> datetime | None:
        """When the chat passes the time allowed for it (None until an agent accepts it)."""
        return self.deadline_at

    def warning_at(self) -> datetime | None:
        """When both sides are told the limit is near."""
        if self.deadline_at is None:
            return None
        return self.deadline_at - warning_lead()


def warning_lead() -> timedelta:
    """How long before the limit the warning comes: the limit less the warning minute."""
    limit = settings.SUPPORTAL_CHAT_LIMIT_MINUTES
    return timedelta(minutes=max(0, limit - settings.SUPPORTAL_CHAT_WARNING_MINUTES))


class ChatExtension(models.Model):
    """An agent gave a chat more time than the limit: who, how long and why (audit)."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="extensions")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    reason = models.TextField()
    deadline_before = models.DateTimeField()
    deadline_after = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"chat {self.chat_id} extended {self.minutes} min by {self.agent}"


class ChatFile(StoredFile):
    upload_dir = "chat"

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="files")

    def get_absolute_url(self) -> str:
        return reverse("chat:file", args=[self.chat_id, self.pk])


class ChatMessage(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        FILE = "file", _("File")
        SYSTEM = "system", _("System notice")

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField()
    file = models.ForeignKey(
        ChatFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chat", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chat", "seq"], name="chat_message_seq_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in chat {self.chat_id}"


class AgentPresence(models.Model):
    """Whether an agent takes chats. ``available`` is the agent's own switch in the console."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence"
    )
    available = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.agent} {'available' if self.available else 'away'}"


class ConsoleConnection(models.Model):
    """One open chat console socket, on any web process. Heartbeats keep it fresh; a
    connection whose heartbeat stops (its process died) is swept away."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_connections"
    )
    channel_name = models.CharField(max_length=200, unique=True)
    connected_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"console of {self.agent}"


class CannedAnswer(models.Model):
    """A ready reply for the console, used when the knowledge base has no articles."""

    title = models.CharField(max_length=200)
    body = models.TextField()
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

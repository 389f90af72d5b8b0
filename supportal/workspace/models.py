from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product
from supportal.tickets.models import Reply, Ticket


class AgentProfile(models.Model):
    """How an agent takes tickets from automatic assignment. No row: the defaults (not on
    leave, every product, the region's working hours, SUPPORTAL_AUTO_ASSIGN_CAP)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    on_leave = models.BooleanField(
        default=False,
        help_text=_("On leave, the agent takes no tickets and their open ones go back."),
    )
    products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="+",
        help_text=_("The products the agent knows. None chosen: every product."),
    )
    works_from = models.TimeField(
        null=True, blank=True, help_text=_("Office hours in the region's time zone.")
    )
    works_until = models.TimeField(null=True, blank=True)
    open_ticket_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("At most this many open tickets. Empty: SUPPORTAL_AUTO_ASSIGN_CAP."),
    )
    last_auto_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The audit row of their last automatic assignment: ids only grow, so the agent with
    # the lowest is next in turn, whatever the clock's resolution.
    last_auto_assignment = models.ForeignKey(
        "tickets.AuditEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["user__name"]

    def __str__(self) -> str:
        return f"assignment profile of {self.user}"


class Mention(models.Model):
    """A colleague named with @ in an internal note; read once they open their mentions."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="mentions")
    mentioned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["mentioned", "-created_at"], name="mention_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["reply", "mentioned"], name="mention_once_per_note")
        ]

    def __str__(self) -> str:
        return f"{self.mentioned_id} mentioned in reply {self.reply_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

"""Reports read the other apps' tables and keep only what they compute themselves.

``TicketTiming`` is a summary row per ticket: its first-response and resolution times in
business hours, which the database cannot compute (working hours, time zones and holidays
live in the SLA calendars). It is written by this app's jobs whenever a ticket is answered
or resolved, so every figure over response times is an aggregate query on this table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Organization
from supportal.tickets.models import Ticket


class TicketTiming(models.Model):
    """Business time a ticket waited for its first response and for its resolution."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="report_timing"
    )
    # Copied from the ticket so aggregates filter and group without a join.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["received_at"], name="timing_received"),
            models.Index(fields=["organization", "received_at"], name="timing_org_received"),
        ]

    def __str__(self) -> str:
        return f"timing of {self.ticket_id}"


class ReportSubscription(models.Model):
    """A manager who receives the dashboard's key figures by email every week."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscription"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"weekly report for {self.user}"


class ReportDelivery(models.Model):
    """One weekly email to one subscriber. The unique row is the claim: once per week."""

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    week = models.DateField(help_text=_("Monday of the week the figures cover."))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "id"]
        verbose_name_plural = "report deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "week"], name="one_report_per_subscriber_week"
            )
        ]

    def __str__(self) -> str:
        return f"report of week {self.week} to {self.subscription.user}"

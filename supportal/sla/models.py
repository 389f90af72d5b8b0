from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Plan, Product, SupportRegion
from supportal.tickets.models import Ticket


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """A span of local time when a region's support team is at work. None = no hours yet."""

    region = models.ForeignKey(SupportRegion, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["region", "weekday", "opens"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                name="hours_close_after_open", condition=Q(closes__gt=models.F("opens"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A day the vendor closes a region's office beyond the public holidays."""

    region = models.ForeignKey(SupportRegion, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="one_closure_a_day")]

    def __str__(self) -> str:
        return f"{self.region}: {self.name} ({self.date})"


class SlaPolicy(models.Model):
    """Targets in business minutes. The most specific row wins: plan+kind, kind, plan, default."""

    name = models.CharField(max_length=100)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(max_length=30, choices=Ticket.Kind.choices, blank=True)
    first_response_minutes = models.PositiveIntegerField(default=240)
    next_reply_minutes = models.PositiveIntegerField(null=True, blank=True, default=480)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(plan__isnull=False),
                name="one_policy_per_plan_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(plan__isnull=True), name="one_default_policy_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SlaClock(models.Model):
    """One promise on one ticket. Runs in business time; paused while pending the customer."""

    class Metric(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        NEXT_REPLY = "next_reply", _("Next reply")
        RESOLUTION = "resolution", _("Resolution")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_clocks")
    metric = models.CharField(max_length=20, choices=Metric.choices)
    target_minutes = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty while paused."))
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_seconds = models.PositiveIntegerField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="sla_clock_running_due",
                condition=Q(stopped_at__isnull=True, paused_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "metric"],
                condition=Q(stopped_at__isnull=True),
                name="one_running_clock_per_metric",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} clock on {self.ticket_id}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None


class OnCallRotation(models.Model):
    """People who take turns being paged outside working hours, handing over every shift.

    Which rotation pages for a ticket is a rule (``paging.rotation_for``): of the active
    rotations that cover the ticket's region and product (blank covers all), the lowest
    ``priority`` number; at equal priority the more specific scope. Two active rotations
    with the same scope and priority are refused, so the choice is never left to chance."""

    name = models.CharField(max_length=100)
    timezone = models.CharField(max_length=64, default="America/Chicago")
    starts_on = models.DateField(help_text=_("The first shift starts on this date."))
    handover_time = models.TimeField(default="09:00")
    shift_days = models.PositiveSmallIntegerField(default=7)
    active = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(
        default=100,
        help_text=_(
            "When several active rotations cover an urgent ticket, the lowest number pages. "
            "At equal numbers a rotation for the ticket's product and region comes first, "
            "then one for its product, then one for its region, then one for all."
        ),
    )
    region = models.ForeignKey(
        SupportRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only tickets of organizations supported from this region. Blank: all."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only tickets about this product. Blank: all."),
    )

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.active:
            return
        same_rank = OnCallRotation.objects.filter(
            active=True, priority=self.priority, region=self.region, product=self.product
        ).exclude(pk=self.pk)
        if same_rank.exists():
            raise ValidationError(
                {
                    "priority": _(
                        "Another active rotation (%(name)s) covers the same region and product "
                        "with this priority. Give one of them another number."
                    )
                    % {"name": same_rank.first()}
                }
            )


class OnCallMember(models.Model):
    rotation = models.ForeignKey(OnCallRotation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "position"], name="one_member_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.user}"


class OnCallOverride(models.Model):
    """Someone else takes the shift for a while (holidays, swaps)."""

    rotation = models.ForeignKey(OnCallRotation, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                name="override_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.user} on call {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"
        )


def new_ack_token() -> str:
    return secrets.token_urlsafe(24)


class Page(models.Model):
    """Paging for one urgent ticket: repeats, escalates, and stops when acknowledged.

    The whole state lives here, so a restarted consumer picks up where it stopped."""

    class State(models.TextChoices):
        PAGING = "paging", _("Paging")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="page")
    rotation = models.ForeignKey(
        OnCallRotation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pages",
        help_text=_("Empty when no rotation covered the ticket: the region's lead was paged."),
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.PAGING)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    current_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0, help_text=_("Notifications sent so far."))
    attempts_at_level = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    ack_token = models.CharField(max_length=64, default=new_ack_token, unique=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="page_due")]

    def __str__(self) -> str:
        return f"page for {self.ticket}"


class WebhookDelivery(models.Model):
    """One outgoing page webhook. Kept until delivered; retried with back-off."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"webhook {self.pk} for page {self.page_id}"

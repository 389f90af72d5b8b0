"""Billing data: rates, time, notices and quotes, the expert-hours ledger, statements.

Rows that record money or consent are written once and never edited: time entries,
ledger rows, accepted notices and finalised statements. Corrections are new rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Organization, Plan
from supportal.core.crypto import EncryptedTextField
from supportal.tickets.models import Ticket

from .ledger import amount_for, hours


class Category(models.TextChoices):
    """The work categories of the policy. Their names and rates are rows of WorkCategory."""

    SUPPORT = "support", _("Support (free)")
    PS_ADMIN = "ps_admin", _("Professional services, admin level")
    PS_TECHNICAL = "ps_technical", _("Professional services, technical")
    TRAINING = "training", _("One-on-one training")
    CALCULATOR_REPAIR = "calculator_repair", _("Calculator repair")
    CUSTOM_CODE = "custom_code", _("Custom CSS/JS incident")


class WorkCategory(models.Model):
    """A kind of work and what it costs. Seeded from the policy; managers edit the rates."""

    code = models.CharField(max_length=30, choices=Category.choices, unique=True)
    name = models.CharField(max_length=100)
    billable = models.BooleanField(default=True)
    rate = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), help_text=_("Per hour.")
    )
    rate_max = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Top of the range when staff pick the rate (calculator repair)."),
    )
    fixed_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Charged once per incident instead of by the hour (custom CSS/JS)."),
    )
    uses_expert_hours = models.BooleanField(
        default=True, help_text=_("Billable work here is covered by the plan's expert hours first.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "work categories"

    def __str__(self) -> str:
        return self.name

    @property
    def has_rate_range(self) -> bool:
        return self.rate_max is not None and self.rate_max > self.rate


class PlanTerms(models.Model):
    """Billing terms of a plan that the accounts app does not hold."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="billing_terms")
    expert_hours_carry_over = models.BooleanField(
        default=False, help_text=_("Unused expert hours move to the next quarter.")
    )

    class Meta:
        verbose_name_plural = "plan terms"

    def __str__(self) -> str:
        return f"Billing terms of {self.plan}"


class TicketBilling(models.Model):
    """The billing side of one ticket: written when the ticket is filed classified
    (professional services, a suggested category) or at its first billing write; a ticket
    without one is plain support with nothing billed."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="billing"
    )
    professional_services = models.BooleanField(
        default=False, help_text=_("Professional services from its first minute.")
    )
    ps_reason = models.CharField(max_length=200, blank=True)
    suggested_category = models.CharField(
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text=_("Suggested to the agent: the ticket names an area where support often "
                    "goes beyond the free minutes. The free minutes still apply."),
    )  # fmt: skip
    suggestion_reason = models.CharField(max_length=200, blank=True)
    confirmed_bug_at = models.DateTimeField(null=True, blank=True)
    confirmed_bug_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rush_requested_at = models.DateTimeField(null=True, blank=True)
    rush_needed_by = models.DateField(null=True, blank=True)
    rush_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"billing of {self.ticket_id}"

    @property
    def is_confirmed_bug(self) -> bool:
        return self.confirmed_bug_at is not None


class AllowanceExtension(models.Model):
    """A manager's recorded decision to give a ticket more free support."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField()
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"+{self.minutes} free minutes on {self.ticket_id}"


class CustomCodeException(models.Model):
    """The policy's one exception to prior consent: a manager's recorded decision that a
    custom CSS/JS fix proceeds before the customer agrees (urgent, or faster to fix than
    to estimate). The customer is notified at once."""

    class Reason(models.TextChoices):
        URGENT = "urgent", _("Urgent: the customer cannot take orders")
        FASTER_TO_FIX = "faster_to_fix", _("Faster to fix than to estimate")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rate = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        help_text=_("Per hour: the technical rate the customer was told the fix is billed at."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    customer_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"custom code exception on {self.ticket_id}"


class Notice(models.Model):
    """A professional-services notice (from support) or quote (from the PS team).

    Sent notices are not edited: a new estimate is a new notice, which supersedes a
    pending one. On acceptance the text and rates the customer saw are kept with it."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Professional-services notice")
        QUOTE = "quote", _("Quote")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the customer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Replaced by a newer estimate")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="billing_notices")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    message = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    rush_fee = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    rush_due_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted_rush = models.BooleanField(default=False)
    accepted_text = models.TextField(blank=True, help_text=_("Exactly what the customer saw."))
    accepted_rates = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "status"], name="notice_ticket_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} on {self.ticket_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Delivery(models.Model):
    """The turn-time target of accepted expert or professional-services work.

    Written when the customer accepts a notice or quote: due the expert-services turn-time
    (2 business days) after the acceptance, in the business hours of the customer's region,
    or at the rush date when they accepted a rush, or at the quote's own later due date.
    The periodic job warns staff before the target and records a miss once; staff mark the
    work delivered."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="delivery")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField()
    due_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty when the region has no business hours yet.")
    )
    warn_at = models.DateTimeField(null=True, blank=True)
    rush = models.BooleanField(default=False)
    warned_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["accepted_at", "id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["warn_at"],
                name="delivery_open_warn_at",
                condition=Q(delivered_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="delivery_open_due_at",
                condition=Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"delivery of {self.notice_id} on {self.ticket_id}"

    def state(self, now: datetime) -> str:
        """``delivered``, ``delivered_late``, ``missed``, ``due_soon``, ``on_track`` or
        ``no_target`` (the region has no business hours)."""
        if self.delivered_at is not None:
            late = self.due_at is not None and self.delivered_at > self.due_at
            return "delivered_late" if late else "delivered"
        if self.due_at is None:
            return "no_target"
        if self.due_at <= now:
            return "missed"
        if self.warn_at is not None and self.warn_at <= now:
            return "due_soon"
        return "on_track"


class NoticeLine(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="lines")
    category = models.ForeignKey(WorkCategory, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300)
    minutes = models.PositiveIntegerField()
    rate = models.DecimalField(max_digits=8, decimal_places=2)
    fixed_fee = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def amount(self) -> Decimal:
        if self.fixed_fee is not None:
            return self.fixed_fee
        return amount_for(self.minutes, self.rate)


class TimeEntry(models.Model):
    """Work logged on a ticket. Created only by ``services.log_time``; never edited.

    The amounts are fixed when the entry is written: rate, minutes after rounding to the
    billing increment, minutes covered by expert hours, and the amount charged."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="time_entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(WorkCategory, on_delete=models.PROTECT, related_name="+")
    work_date = models.DateField()
    minutes = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    billable = models.BooleanField(default=False)
    rate = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    billed_minutes = models.PositiveIntegerField(default=0)
    expert_minutes = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    exception = models.ForeignKey(
        CustomCodeException,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["work_date", "id"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["ticket", "category"], name="time_ticket_category"),
            models.Index(fields=["billable", "work_date"], name="time_billable_date"),
        ]
        constraints = [
            # Defence in depth for the service's rule: billable work rests on a consent.
            models.CheckConstraint(
                name="billable_time_has_consent",
                condition=Q(billable=False) | Q(notice__isnull=False) | Q(exception__isnull=False),
            ),
            models.CheckConstraint(
                name="free_time_costs_nothing",
                condition=Q(billable=True) | Q(amount=0, expert_minutes=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min {self.category.code} on {self.ticket_id}"

    @property
    def charged_minutes(self) -> int:
        return self.billed_minutes - self.expert_minutes


class ExpertHoursEntry(models.Model):
    """One row of an organization's expert-hours ledger for a quarter. Append-only.

    Minutes are signed: the allocation and carry-over add, uses subtract, refunds (a
    confirmed bug) add back what a use took."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Quarterly allocation")
        CARRY_OVER = "carry_over", _("Carried over")
        USE = "use", _("Used")
        REFUND = "refund", _("Refunded (confirmed bug)")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="expert_hours_entries"
    )
    quarter = models.CharField(max_length=7, help_text=_("e.g. 2025-Q3, in the vendor's time zone"))
    kind = models.CharField(max_length=12, choices=Kind.choices)
    minutes = models.IntegerField()
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    time_entry = models.ForeignKey(
        TimeEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_rows"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "expert hours entries"
        indexes = [models.Index(fields=["organization", "quarter"], name="expert_org_quarter")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "quarter"],
                condition=Q(kind="allocation"),
                name="one_allocation_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["organization", "quarter"],
                condition=Q(kind="carry_over"),
                name="one_carry_over_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["time_entry"], condition=Q(kind="refund"), name="one_refund_per_use"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.quarter} {self.kind} {self.minutes:+d} min"


class Correction(models.Model):
    """A credit staff grant an organization; it appears on the next finalised statement."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text=_("Credited amount."))
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(name="correction_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"credit {self.amount} to {self.organization}"


class Statement(models.Model):
    """A finalised monthly statement. Never edited once written; drafts are not stored."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(help_text=_("First day of the month."))
    currency = models.CharField(max_length=3)
    increment_minutes = models.PositiveIntegerField()
    rounding = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    finalised_at = models.DateTimeField(default=timezone.now)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"], name="one_statement_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.period:%Y-%m}"


class StatementLine(models.Model):
    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        RUSH = "rush", _("Rush fee")
        WAIVER = "waiver", _("Waived: confirmed bug")
        CREDIT = "credit", _("Credit")

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField()
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ticket_number = models.CharField(max_length=30, blank=True)
    description = models.CharField(max_length=500)
    category = models.CharField(max_length=100, blank=True)
    minutes = models.IntegerField(default=0)
    rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    expert_minutes = models.IntegerField(default=0)
    time_entry = models.ForeignKey(
        TimeEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="statement_lines"
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction = models.ForeignKey(
        Correction, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["time_entry", "kind"], name="entry_once_per_line_kind"),
            models.UniqueConstraint(fields=["notice", "kind"], name="rush_fee_once_per_kind"),
            models.UniqueConstraint(fields=["correction"], name="correction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class CalculatorPassword(models.Model):
    """The password of a pricing calculator's Excel sheet, for one calculator_password
    ticket: released by staff only after the customer acknowledged the warning, stored
    encrypted, and shown to the customer once."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="calculator_password"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_text = models.TextField(blank=True)
    password = EncryptedTextField(blank=True, default="")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revealed_at = models.DateTimeField(null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"calculator password of {self.ticket_id}"

"""Writes of the reports app, all to its own tables: ticket timings, subscriptions and
weekly deliveries. Other apps' tables are only read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from supportal.accounts.models import User
from supportal.core.errors import RuleViolation
from supportal.core.languages import speaking_to
from supportal.tickets.models import Ticket

from . import periods
from .figures import key_figures
from .models import ReportDelivery, ReportSubscription, TicketTiming
from .queries import TimingFallback, resolution_end

# --- Ticket timings ---------------------------------------------------------------------

TIMING_FIELDS = (
    "pk",
    "organization_id",
    "received_at",
    "first_responded_at",
    "resolved_at",
    "closed_at",
)


def refresh_timings(*, ticket_ids: list[int], fallback: TimingFallback | None = None) -> int:
    """Compute and store the business-hours times of these tickets. Safe to repeat.

    Returns how many timing rows were written (tickets that no longer exist are skipped)."""
    fallback = fallback or TimingFallback()
    now = timezone.now()
    timings = []
    rows = Ticket.objects.filter(pk__in=ticket_ids).values_list(*TIMING_FIELDS).order_by()
    for pk, organization_id, received_at, responded_at, resolved_at, closed_at in rows:
        first, resolution = fallback.times(
            organization_id=organization_id,
            received_at=received_at,
            first_responded_at=responded_at,
            resolved_at=resolution_end(resolved_at, closed_at),
            computed_at=None,
            stored_first_response=None,
            stored_resolution=None,
        )
        timings.append(
            TicketTiming(
                ticket_id=pk,
                organization_id=organization_id,
                received_at=received_at,
                first_response_seconds=first,
                resolution_seconds=resolution,
                computed_at=now,
            )
        )
    # One upsert per batch: a concurrent refresh of the same ticket just writes it again.
    TicketTiming.objects.bulk_create(
        timings,
        update_conflicts=True,
        unique_fields=["ticket"],
        update_fields=[
            "organization",
            "received_at",
            "first_response_seconds",
            "resolution_seconds",
            "computed_at",
        ],
    )
    return len(timings)


def stale_timing_ticket_ids(*, limit: int, after: int = 0) -> list[int]:
    """Tickets answered or resolved whose timing row is missing or out of date, by id."""
    answered_or_done = Q(first_responded_at__isnull=False) | Q(resolved_at__isnull=False)
    missing = Q(report_timing__isnull=True)
    outdated = (
        Q(first_responded_at__isnull=False, report_timing__first_response_seconds__isnull=True)
        | Q(resolved_at__isnull=False, report_timing__resolution_seconds__isnull=True)
        | Q(resolved_at__isnull=True, report_timing__resolution_seconds__isnull=False)
        | Q(updated_at__gt=F("report_timing__computed_at"))
    )
    return list(
        Ticket.objects.filter(answered_or_done & (missing | outdated), pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def refresh_stale_timings(*, batch: int = 2000, max_batches: int | None = None) -> int:
    """Bring every stale timing row up to date, ``batch`` tickets at a time."""
    total, rounds, after = 0, 0, 0
    fallback = TimingFallback()
    while max_batches is None or rounds < max_batches:
        ids = stale_timing_ticket_ids(limit=batch, after=after)
        if not ids:
            break
        with transaction.atomic():
            total += refresh_timings(ticket_ids=ids, fallback=fallback)
        rounds, after = rounds + 1, ids[-1]
    return total


# --- Weekly email -----------------------------------------------------------------------


def can_subscribe(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_manager


@transaction.atomic
def subscribe(*, user: User) -> ReportSubscription:
    """Start the weekly email of the dashboard's key figures. Managers only."""
    if not can_subscribe(user):
        raise RuleViolation("managers_only", gettext("Only managers receive the weekly report."))
    subscription, _ = ReportSubscription.objects.get_or_create(user=user)
    if not subscription.active:
        subscription.active = True
        subscription.save(update_fields=["active"])
    return subscription


@transaction.atomic
def unsubscribe(*, user: User) -> None:
    ReportSubscription.objects.filter(user=user).update(active=False)


def is_subscribed(user: User) -> bool:
    return ReportSubscription.objects.filter(user=user, active=True).exists()


def week_to_report(now: datetime) -> date | None:
    """Monday of the last full week, once this week's sending time has come; else None."""
    local = now.astimezone(ZoneInfo(settings.SUPPORTAL_VENDOR_TIME_ZONE))
    this_monday = periods.monday_of(local.date())
    send_day = this_monday + timedelta(days=settings.SUPPORTAL_REPORTS_WEEKLY_WEEKDAY)
    due = (local.date(), local.hour) >= (send_day, settings.SUPPORTAL_REPORTS_WEEKLY_HOUR)
    return this_monday - timedelta(weeks=1) if due else None


def claim_weekly_deliveries(*, now: datetime | None = None) -> list[int]:
    """Claim this week's email for every active subscriber who has not had it yet.

    One row per subscriber and week (a unique constraint), so running this hourly, or on
    several consumers at once, sends each week's report once. Returns the delivery ids."""
    week = week_to_report(now or timezone.now())
    if week is None:
        return []
    claimed = []
    pending = ReportSubscription.objects.filter(
        active=True, user__is_active=True, user__role=User.Role.MANAGER
    ).exclude(deliveries__week=week)
    for subscription_id in pending.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                delivery = ReportDelivery.objects.create(subscription_id=subscription_id, week=week)
        except IntegrityError:
            continue  # another consumer claimed it
        claimed.append(delivery.pk)
    return claimed


@dataclass(frozen=True)
class WeeklyMail:
    subject: str
    body: str


def weekly_mail(*, week: date) -> WeeklyMail:
    figures = key_figures(week=week)
    body = render_to_string(
        "reports/weekly_email.txt",
        {"figures": figures, "week": week, "public_url": settings.SUPPORTAL_PUBLIC_URL},
    )
    # The month by name in the reader's language; each language orders day and month.
    subject = gettext("Support report, week of %(month)s %(day)s") % {
        "month": dateformat.format(week, "F"),
        "day": week.day,
    }
    return WeeklyMail(subject=subject, body=body)


def send_weekly_report(*, delivery_id: int) -> bool:
    """Send one claimed delivery. Marks it sent; a delivery already sent is left alone."""
    delivery = (
        ReportDelivery.objects.select_related("subscription__user").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.sent_at is not None:
        return False
    with speaking_to(delivery.subscription.user):  # in the reader's language
        mail = weekly_mail(week=delivery.week)
    send_mail(
        mail.subject,
        mail.body,
        settings.DEFAULT_FROM_EMAIL,
        [delivery.subscription.user.email],
    )
    ReportDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    return True

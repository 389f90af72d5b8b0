"""The staff dashboard's figures. Each is a handful of aggregate queries (COUNT/SUM grouped
by week, region, product or channel on indexed columns) whose few result rows become a
data table, a CSV and an SVG chart; no ticket row is loaded into Python.

Weeks run Monday to Monday on the vendor's wall clock (SUPPORTAL_VENDOR_TIME_ZONE)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from supportal.billing.models import ExpertHoursEntry, TicketBilling, TimeEntry
from supportal.kb.models import DeflectionEvent
from supportal.kb.queries import left_without_ticket
from supportal.sla.models import Page
from supportal.sla.services import default_first_response_label
from supportal.tickets.models import Ticket

from . import periods, svg, timing
from .models import TicketTiming

MET = Q(first_responded_at__isnull=False, sla_breached=False)
MISSED = Q(sla_breached=True)


@dataclass
class Figure:
    slug: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    svg: str = ""


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.SUPPORTAL_VENDOR_TIME_ZONE)


def _week_key(value: datetime | date) -> date:
    day = value.astimezone(_tz()).date() if isinstance(value, datetime) else value
    return periods.monday_of(day)


def _by_week(qs: QuerySet[Any], field_name: str, **aggregates: Any) -> dict[date, dict[str, Any]]:
    """``aggregates`` per vendor-local week of ``field_name``."""
    dated = not isinstance(qs.model._meta.get_field(field_name), models.DateTimeField)
    rows = (
        qs.annotate(week=TruncWeek(field_name, tzinfo=None if dated else _tz()))
        .values("week")
        .annotate(**aggregates)
        .order_by()
    )
    out: dict[date, dict[str, Any]] = {}
    for row in rows:
        bucket = out.setdefault(_week_key(row["week"]), {name: 0 for name in aggregates})
        for name in aggregates:
            bucket[name] += row[name] or 0
    return out


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _received(weeks: periods.Weeks) -> QuerySet[Ticket]:
    return Ticket.objects.filter(received_at__gte=weeks.start, received_at__lt=weeks.end)


def _labels(weeks: periods.Weeks) -> list[str]:
    return [periods.Weeks.label(m) for m in weeks.mondays]


def _target_label() -> str:
    return default_first_response_label()


# --- First-response SLA -----------------------------------------------------------------


def sla_by_week(weeks: periods.Weeks) -> Figure:
    data = _by_week(
        _received(weeks),
        "received_at",
        received=Count("pk"),
        met=Count("pk", filter=MET),
        missed=Count("pk", filter=MISSED),
    )
    figure = Figure(
        "sla-week",
        _("First-response SLA attainment by week"),
        _(
            "Share of answered-or-overdue tickets whose first response came within the target "
            "(%(target)s by default), by week received."
        )
        % {"target": _target_label()},
        [
            _("Week"),
            pgettext("tickets received in a week", "Received"),
            _("Within target"),
            _("Missed"),
            _("Attainment %"),
        ],
    )
    values = []
    for monday in weeks.mondays:
        d = data.get(monday, {"received": 0, "met": 0, "missed": 0})
        rate = _percent(d["met"], d["met"] + d["missed"])
        values.append(rate)
        figure.rows.append([monday, d["received"], d["met"], d["missed"], rate])
    figure.svg = svg.line_chart(
        _labels(weeks),
        [svg.Series(_("Attainment"), values)],
        title=figure.title,
        chart_id=figure.slug,
        unit="%",
        y_max=100,
    )
    return figure


def _sla_by(weeks: periods.Weeks, group: str, slug: str, title: str, heading: str) -> Figure:
    rows = (
        _received(weeks)
        .values(group)
        .annotate(met=Count("pk", filter=MET), missed=Count("pk", filter=MISSED))
        .order_by()
    )
    figure = Figure(
        slug,
        title,
        _("Tickets received in the last %(count)s weeks.") % {"count": len(weeks.mondays)},
        [heading, _("Within target"), _("Missed"), _("Attainment %")],
    )
    for row in sorted(rows, key=lambda r: str(r[group] or "").casefold()):
        rate = _percent(row["met"], row["met"] + row["missed"])
        figure.rows.append([row[group] or _("None"), row["met"], row["missed"], rate])
    figure.svg = svg.bar_chart(
        [str(r[0]) for r in figure.rows],
        [svg.Series(_("Attainment"), [r[3] for r in figure.rows])],
        title=title,
        chart_id=slug,
        unit="%",
        y_max=100,
    )
    return figure


def sla_by_region(weeks: periods.Weeks) -> Figure:
    return _sla_by(
        weeks,
        "organization__support_region__name",
        "sla-region",
        _("First-response SLA attainment by region"),
        _("Region"),
    )


def sla_by_product(weeks: periods.Weeks) -> Figure:
    return _sla_by(
        weeks,
        "product__name",
        "sla-product",
        _("First-response SLA attainment by product"),
        _("Product"),
    )


# --- Response times and backlog ---------------------------------------------------------


def _bucket_label(low: int, high: int | None) -> str:
    def short(minutes: int) -> str:
        return f"{minutes // 60}h" if minutes >= 60 and minutes % 60 == 0 else f"{minutes}m"

    if high is None:
        return f"{short(low)}+"
    return f"<{short(high)}" if low == 0 else f"{short(low)}–{short(high)}"


def response_distribution(weeks: periods.Weeks) -> Figure:
    bounds = sorted(settings.SUPPORTAL_REPORTS_RESPONSE_BUCKETS)
    edges = list(zip([0, *bounds], [*bounds, None], strict=True))
    aggregates = {}
    for i, (low, high) in enumerate(edges):
        condition = Q(first_response_seconds__gte=low * 60)
        if high is not None:
            condition &= Q(first_response_seconds__lt=high * 60)
        aggregates[f"b{i}"] = Count("pk", filter=condition)
    counts = TicketTiming.objects.filter(
        received_at__gte=weeks.start,
        received_at__lt=weeks.end,
        first_response_seconds__isnull=False,
    ).aggregate(**aggregates)
    figure = Figure(
        "response-times",
        _("First-response time distribution"),
        _(
            "Tickets by business time to their first public reply, "
            "received in the last %(count)s weeks."
        )
        % {"count": len(weeks.mondays)},
        [_("Business time to first response"), _("Tickets")],
    )
    for i, (low, high) in enumerate(edges):
        figure.rows.append([_bucket_label(low, high), counts[f"b{i}"] or 0])
    figure.svg = svg.bar_chart(
        [r[0] for r in figure.rows],
        [svg.Series(_("Tickets"), [r[1] for r in figure.rows])],
        title=figure.title,
        chart_id=figure.slug,
    )
    return figure


def backlog(weeks: periods.Weeks, *, now: datetime | None = None) -> Figure:
    """Open tickets at the end of each week: today's open tickets, minus those received
    since, plus those resolved since (three indexed queries, no scan of history)."""
    now = now or timezone.now()
    open_now = Ticket.objects.filter(in_queue__in=[True]).count()
    received = _by_week(_received(weeks), "received_at", n=Count("pk"))
    resolved = _by_week(
        Ticket.objects.filter(
            status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED],
            resolved_at__gte=weeks.start,
        ),
        "resolved_at",
        n=Count("pk"),
    )
    figure = Figure(
        "backlog",
        _("Backlog over time"),
        _("Open tickets (new, open or pending the customer) at the end of each week."),
        [
            _("Week"),
            pgettext("tickets received in a week", "Received"),
            pgettext("tickets resolved in a week", "Resolved"),
            _("Open at week end"),
        ],
    )
    values = []
    later_received = later_resolved = 0
    points: list[list[Any]] = []
    for monday in reversed(weeks.mondays):
        in_week = received.get(monday, {"n": 0})["n"]
        out_week = resolved.get(monday, {"n": 0})["n"]
        points.append([monday, in_week, out_week, open_now - later_received + later_resolved])
        later_received += in_week
        later_resolved += out_week
    figure.rows = list(reversed(points))
    values = [r[3] for r in figure.rows]
    figure.svg = svg.line_chart(
        _labels(weeks),
        [svg.Series(_("Open tickets"), values)],
        title=figure.title,
        chart_id=figure.slug,
    )
    return figure


# --- Intake -----------------------------------------------------------------------------


def by_channel(weeks: periods.Weeks) -> Figure:
    counts = {
        row["channel"]: row["n"]
        for row in _received(weeks).values("channel").annotate(n=Count("pk")).order_by()
    }
    figure = Figure(
        "channels",
        _("Tickets by channel"),
        _("How tickets came in over the last %(count)s weeks.") % {"count": len(weeks.mondays)},
        [_("Channel"), _("Tickets")],
    )
    for value, label in Ticket.Channel.choices:
        figure.rows.append([str(label), counts.get(value, 0)])
    figure.svg = svg.bar_chart(
        [r[0] for r in figure.rows],
        [svg.Series(_("Tickets"), [r[1] for r in figure.rows])],
        title=figure.title,
        chart_id=figure.slug,
    )
    return figure


def urgent_and_pages(weeks: periods.Weeks) -> Figure:
    urgent = _by_week(_received(weeks).filter(urgent=True), "received_at", n=Count("pk"))
    pages = _by_week(
        Page.objects.filter(created_at__gte=weeks.start, created_at__lt=weeks.end),
        "created_at",
        n=Count("pk"),
    )
    figure = Figure(
        "urgent",
        _("Urgent tickets and after-hours pages"),
        _("Tickets filed urgent (and still urgent), and on-call pages sent outside working hours."),
        [_("Week"), _("Urgent tickets"), _("After-hours pages")],
    )
    for monday in weeks.mondays:
        figure.rows.append(
            [monday, urgent.get(monday, {"n": 0})["n"], pages.get(monday, {"n": 0})["n"]]
        )
    figure.svg = svg.bar_chart(
        _labels(weeks),
        [
            svg.Series(_("Urgent tickets"), [r[1] for r in figure.rows]),
            svg.Series(_("After-hours pages"), [r[2] for r in figure.rows]),
        ],
        title=figure.title,
        chart_id=figure.slug,
    )
    return figure


def deflection(weeks: periods.Weeks, *, now: datetime | None = None) -> Figure:
    figure = Figure(
        "deflection",
        _("Deflection rate from the knowledge base"),
        _(
            "Suggested articles opened while writing a ticket that solved the question (said so, "
            "or no ticket followed within %(minutes)s minutes)."
        )
        % {"minutes": settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES},
        [_("Week"), _("Suggestions opened"), _("Deflected"), _("Deflection rate %")],
    )
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES)
    data = _by_week(
        DeflectionEvent.objects.filter(opened_at__gte=weeks.start, opened_at__lt=weeks.end),
        "opened_at",
        opened=Count("pk"),
        deflected=Count("pk", filter=Q(solved_at__isnull=False) | left_without_ticket(cutoff)),
    )
    values = []
    for monday in weeks.mondays:
        d = data.get(monday, {"opened": 0, "deflected": 0})
        rate = _percent(d["deflected"], d["opened"])
        values.append(rate)
        figure.rows.append([monday, d["opened"], d["deflected"], rate])
    figure.svg = svg.line_chart(
        _labels(weeks),
        [svg.Series(_("Deflection rate"), values)],
        title=figure.title,
        chart_id=figure.slug,
        unit="%",
        y_max=100,
    )
    return figure


# --- Billing ----------------------------------------------------------------------------


def _billed_by_week(weeks: periods.Weeks) -> dict[date, dict[str, Any]]:
    waived = TicketBilling.objects.filter(ticket=OuterRef("ticket"), confirmed_bug_at__isnull=False)
    first_day = weeks.mondays[0]
    last_day = weeks.mondays[-1] + timedelta(weeks=1)
    return _by_week(
        TimeEntry.objects.filter(billable=True, work_date__gte=first_day, work_date__lt=last_day)
        .exclude(Exists(waived)),
        "work_date",
        billed=Sum("billed_minutes"),
        expert=Sum("expert_minutes"),
        revenue=Sum("amount"),
    )  # fmt: skip


def billed_hours(weeks: periods.Weeks) -> Figure:
    figure = Figure(
        "ps-hours",
        _("Billed professional-services hours"),
        _(
            "Billable time by week worked, confirmed bugs excluded; expert hours are the part "
            "covered by the customers' plans."
        ),
        [_("Week"), _("Billed hours"), _("Covered by expert hours")],
    )
    data = _billed_by_week(weeks)
    for monday in weeks.mondays:
        d = data.get(monday, {"billed": 0, "expert": 0})
        figure.rows.append([monday, _hours(d["billed"]), _hours(d["expert"])])
    figure.svg = svg.bar_chart(
        _labels(weeks),
        [
            svg.Series(_("Billed hours"), [float(r[1]) for r in figure.rows]),
            svg.Series(_("Expert hours"), [float(r[2]) for r in figure.rows]),
        ],
        title=figure.title,
        chart_id=figure.slug,
        unit="h",
    )
    return figure


def revenue(weeks: periods.Weeks) -> Figure:
    currency = settings.SUPPORTAL_BILLING_CURRENCY
    figure = Figure(
        "revenue",
        _("Professional-services revenue"),
        _("Amounts charged by week worked (%(currency)s), confirmed bugs excluded.")
        % {"currency": currency},
        [_("Week"), _("Revenue (%(currency)s)") % {"currency": currency}],
    )
    data = _billed_by_week(weeks)
    for monday in weeks.mondays:
        amount = Decimal(data.get(monday, {"revenue": 0})["revenue"] or 0)
        figure.rows.append([monday, amount.quantize(Decimal("0.01"))])
    figure.svg = svg.bar_chart(
        _labels(weeks),
        [svg.Series(_("Revenue"), [float(r[1]) for r in figure.rows])],
        title=figure.title,
        chart_id=figure.slug,
    )
    return figure


def _hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"))


def expert_hours(weeks: periods.Weeks, *, now: datetime | None = None) -> Figure:
    figure = Figure(
        "expert-hours",
        _("Expert hours used vs included"),
        _(
            "All organizations, per quarter, from the expert-hours ledger (a quarter's allocation "
            "is recorded at an organization's first use in it)."
        ),
        [_("Quarter"), _("Included hours"), _("Used hours")],
    )
    now = now or timezone.now()
    _start, _end, current = periods.quarter_bounds(now, settings.SUPPORTAL_VENDOR_TIME_ZONE)
    quarters = _previous_quarters(current, 4)
    folded = {q: {"included": 0, "used": 0} for q in quarters}
    rows = (
        ExpertHoursEntry.objects.filter(quarter__in=quarters)
        .values("quarter", "kind")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in rows:
        if row["kind"] in ("allocation", "carry_over"):
            folded[row["quarter"]]["included"] += row["minutes"]
        elif row["kind"] in ("use", "refund"):
            folded[row["quarter"]]["used"] -= row["minutes"]
    for quarter in quarters:
        figure.rows.append(
            [quarter, _hours(folded[quarter]["included"]), _hours(folded[quarter]["used"])]
        )
    figure.svg = svg.bar_chart(
        quarters,
        [
            svg.Series(_("Included"), [float(r[1]) for r in figure.rows]),
            svg.Series(_("Used"), [float(r[2]) for r in figure.rows]),
        ],
        title=figure.title,
        chart_id=figure.slug,
        unit="h",
    )
    return figure


def _previous_quarters(current: str, count: int) -> list[str]:
    year, number = int(current[:4]), int(current[-1])
    out = []
    for _step in range(count):
        out.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return list(reversed(out))


# --- The dashboard ----------------------------------------------------------------------

FIGURES: dict[str, Callable[[periods.Weeks], Figure]] = {
    "sla-week": sla_by_week,
    "sla-region": sla_by_region,
    "sla-product": sla_by_product,
    "response-times": response_distribution,
    "backlog": backlog,
    "channels": by_channel,
    "urgent": urgent_and_pages,
    "deflection": deflection,
    "ps-hours": billed_hours,
    "revenue": revenue,
    "expert-hours": expert_hours,
}


def dashboard_weeks(count: int, *, now: datetime | None = None) -> periods.Weeks:
    return periods.Weeks.ending_at(
        now or timezone.now(), count, settings.SUPPORTAL_VENDOR_TIME_ZONE
    )


def dashboard_figures(*, weeks: int, now: datetime | None = None) -> list[Figure]:
    """Every figure of the dashboard, reused for SUPPORTAL_REPORTS_CACHE_SECONDS."""
    span = dashboard_weeks(weeks, now=now)
    seconds = settings.SUPPORTAL_REPORTS_CACHE_SECONDS
    # Titles, captions and charts are in the reader's language: one cached copy per language.
    key = f"reports:dashboard:{get_language()}:{weeks}:{span.mondays[-1]}"
    if seconds > 0 and now is None:
        found: list[Figure] | None = cache.get(key)
        if found is not None:
            return found
    figures = [compute(span) for compute in FIGURES.values()]
    if seconds > 0 and now is None:
        cache.set(key, figures, seconds)
    return figures


def figure_for(slug: str, *, weeks: int) -> Figure | None:
    compute = FIGURES.get(slug)
    return compute(dashboard_weeks(weeks)) if compute else None


# --- The weekly email's key figures -----------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str


def key_figures(*, week: date) -> list[KeyFigure]:
    """The week's headline numbers for the weekly email."""
    span = periods.Weeks((week,), settings.SUPPORTAL_VENDOR_TIME_ZONE)
    tickets = _received(span).aggregate(
        received=Count("pk"),
        met=Count("pk", filter=MET),
        missed=Count("pk", filter=MISSED),
        urgent=Count("pk", filter=Q(urgent=True)),
    )
    average = TicketTiming.objects.filter(
        received_at__gte=span.start,
        received_at__lt=span.end,
        first_response_seconds__isnull=False,
    ).aggregate(avg=Avg("first_response_seconds"))["avg"]
    rate = _percent(tickets["met"], tickets["met"] + tickets["missed"])
    out = [
        KeyFigure(_("Tickets received"), str(tickets["received"])),
        KeyFigure(
            _("First response within target (%(target)s)") % {"target": _target_label()},
            f"{rate}%" if rate is not None else _("no answered tickets"),
        ),
        KeyFigure(
            _("Average first response (business time)"),
            timing.format_duration(int(average)) if average is not None else _("none"),
        ),
        KeyFigure(_("Open tickets now"), str(Ticket.objects.filter(in_queue__in=[True]).count())),
        KeyFigure(_("Urgent tickets"), str(tickets["urgent"])),
    ]
    pages = urgent_and_pages(span).rows[0][2]
    out.append(KeyFigure(_("After-hours pages"), str(pages)))
    hours_figure, revenue_figure = billed_hours(span), revenue(span)
    out.append(KeyFigure(_("Billed professional-services hours"), str(hours_figure.rows[0][1])))
    out.append(
        KeyFigure(
            _("Revenue (%(currency)s)") % {"currency": settings.SUPPORTAL_BILLING_CURRENCY},
            str(revenue_figure.rows[0][1]),
        )
    )
    deflected = deflection(span)
    if deflected.rows[0][3] is not None:
        out.append(KeyFigure(_("Knowledge-base deflection rate"), f"{deflected.rows[0][3]}%"))
    return out

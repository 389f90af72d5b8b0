"""Twelve weeks of support history for the demo, so every chart and report has something
to show on first run: tickets with their conversations, SLA outcomes and timings, time
logged, expert hours used, satisfaction answers and knowledge-base deflections.

Past events cannot go through the services (they act now, send mail and enqueue jobs), so
this writes the rows the services would have written, in bulk, as bench/generate.py does.
Seeded: the same history every time. A few seconds; ``progress`` hears how far it is."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supportal.accounts.models import Product, User
from supportal.billing.ledger import local_date, quarter_of
from supportal.billing.models import (
    ExpertHoursEntry,
    Notice,
    TicketBilling,
    TimeEntry,
    WorkCategory,
)
from supportal.csat.models import SurveyAnswer
from supportal.kb.models import Article, DeflectionEvent
from supportal.reports.models import TicketTiming
from supportal.sla.business_time import add_business_time, business_time_between
from supportal.sla.calendars import calendar_for_organization
from supportal.sla.models import SlaClock
from supportal.sla.services import policy_for
from supportal.tickets.models import AuditEvent, Reply, Ticket

if TYPE_CHECKING:
    from .loader import Demo

Progress = Callable[[int, int], None]  # (done, total)
Customer = tuple[User, list[str], User]  # requester, their products, their usual agent

WEEKS = 12
SEED = 21
# Tickets a week, the first week to the last: a team growing busier.
WEEKLY_LOW, WEEKLY_HIGH = 28, 44
CHANNELS = [("portal", 60), ("email", 24), ("phone", 8), ("chat", 6), ("api", 2)]
QUESTIONS = [
    ("How do I add a shipping method?", "We want to offer next-day delivery on the storefront."),
    ("Order confirmation email text", "Where can we change the text of the confirmation mail?"),
    ("Template preview uses the wrong font", "The preview shows Arial instead of Helvetica."),
    ("Import jobs from a spreadsheet", "Can we import this week's jobs from an Excel file?"),
    ("Checkout error on card payment", "Some customers see an error on the payment step."),
    ("PDF proof without bleed marks", "The proof PDF should show the bleed marks."),
    ("Add a user to our storefront", "A new colleague needs an admin login."),
    ("Price calculator gives odd totals", "Quantities over 500 show a lower price than 499."),
    ("Change the invoice numbering", "Our accountant wants invoices to start at 2026-0001."),
    ("Workflow stuck in preflight", "Jobs since this morning stay in preflight."),
    ("Connect tFlow to PJM", "Which settings link tFlow to our PJM install?"),
    ("Custom CSS for the header", "We would like our logo centred in the header."),
]
ANSWERS = [
    "Thanks for the details. You will find it under Settings; the guide is in the knowledge base.",
    "We reproduced it and changed the setting on your site. Could you check again?",
    "This needs a change in your template; here are the steps.",
    "Could you send a screenshot of the screen where it happens?",
    "It is fixed in the current release; clearing the cache makes it show.",
]
CUSTOMER_REPLIES = [
    "Thank you, that works now.",
    "Here is the screenshot you asked for.",
    "We tried that, but it still happens on the second step.",
]
COMMENTS = ["Quick and clear, thank you!", "Took a while but solved.", "Very helpful.", ""]
# The share of answers for each score, 1 to 5: most customers are pleased.
SCORE_WEIGHTS = [4, 6, 10, 35, 45]


@dataclass
class HistoryCounts:
    tickets: int = 0
    replies: int = 0
    survey_answers: int = 0
    time_entries: int = 0


def _business_moment(rng: random.Random, monday: datetime) -> datetime:
    """A moment of that week, mostly in office hours on weekdays (the vendor's clock)."""
    day = monday + timedelta(days=rng.choices(range(7), weights=[22, 20, 20, 19, 15, 2, 2])[0])
    hour = rng.choices(
        range(24), weights=[1] * 7 + [6, 10, 10, 10, 9, 8, 10, 10, 9, 7, 4] + [1] * 6
    )[0]
    return day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))


def _response_delay(rng: random.Random) -> timedelta:
    """Business time to the first reply: usually within the hour, sometimes past the target."""
    minutes = rng.lognormvariate(4.0, 0.9)  # median about 55 minutes
    return timedelta(minutes=min(minutes, 60 * 16))


@transaction.atomic
def load_history(
    demo: Demo, *, weeks: int = WEEKS, progress: Progress | None = None
) -> HistoryCounts:
    """Write ``weeks`` weeks of history ending now. Call once, on a demo without history."""
    rng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)
    tz = ZoneInfo(settings.SUPPORTAL_VENDOR_TIME_ZONE)
    first_monday = (now - timedelta(weeks=weeks)).astimezone(tz)
    first_monday = (first_monday - timedelta(days=first_monday.weekday())).replace(
        hour=0, minute=0, second=0
    )
    customers = [
        (demo.bob, ["pressero", "edocbuilder"], demo.agent),
        (demo.alice, ["pressero", "edocbuilder"], demo.agent),
        (demo.carol, ["pjm", "tflow"], demo.agent_es),
    ]
    products = {p.slug: p for p in Product.objects.all()}
    counts = HistoryCounts()
    total_weeks = weeks + 1
    for week in range(total_weeks):
        monday = first_monday + timedelta(weeks=week)
        share = week / max(1, weeks)
        count = round(WEEKLY_LOW + (WEEKLY_HIGH - WEEKLY_LOW) * share + rng.randint(-4, 4))
        moments = sorted(
            m for m in (_business_moment(rng, monday) for _ in range(count)) if m < now
        )
        _write_week(rng, demo, customers, products, moments, now, counts)
        if progress is not None:
            progress(week + 1, total_weeks)
    return counts


def _write_week(
    rng: random.Random,
    demo: Demo,
    customers: list[Customer],
    products: dict[str, Product],
    moments: list[datetime],
    now: datetime,
    counts: HistoryCounts,
) -> None:
    tickets: list[Ticket] = []
    plans: list[dict[str, Any]] = []
    for received in moments:
        requester, product_slugs, agent = rng.choice(customers)
        subject, description = rng.choice(QUESTIONS)
        urgent = rng.random() < 0.04
        assignee = agent if rng.random() < 0.85 else rng.choice([demo.manager, demo.ps, agent])
        organization = requester.organization
        assert organization is not None  # the demo's customers all belong to one
        calendar = calendar_for_organization(organization)
        kind = Ticket.Kind.TRAINING_REQUEST if requester == demo.carol else Ticket.Kind.QUESTION
        policy = policy_for(plan=organization.plan, kind=kind)
        target = timedelta(minutes=policy.first_response_minutes)
        due = add_business_time(received, target, calendar)
        responded: datetime | None = add_business_time(received, _response_delay(rng), calendar)
        if responded is not None and responded > now:
            responded = None
        age = now - received
        status = Ticket.Status.CLOSED
        resolved: datetime | None = None
        closed: datetime | None = None
        if responded is not None:
            resolved = responded + timedelta(hours=rng.uniform(1, 60))
            if age < timedelta(days=10) and rng.random() < 0.45:
                status = rng.choice(
                    [Ticket.Status.OPEN, Ticket.Status.PENDING_CUSTOMER, Ticket.Status.RESOLVED]
                )
            if resolved > now:
                status = Ticket.Status.OPEN
            if status in (Ticket.Status.OPEN, Ticket.Status.PENDING_CUSTOMER):
                resolved = None
            elif status == Ticket.Status.CLOSED:
                closed = resolved + timedelta(days=settings.SUPPORTAL_AUTO_CLOSE_DAYS)
                if closed > now:
                    status, closed = Ticket.Status.RESOLVED, None
        else:
            status = Ticket.Status.NEW
        breached = responded is not None and responded > due
        ticket = Ticket(
            organization=organization,
            requester=requester,
            product=products[rng.choice(product_slugs)],
            kind=kind,
            subject=subject,
            description=description,
            status=status,
            channel=rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0],
            urgent=urgent,
            urgent_reason=Ticket.UrgentReason.CANNOT_ORDER if urgent else "",
            assignee=assignee if responded else None,
            received_at=received,
            first_response_due=due,
            first_responded_at=responded,
            sla_breached=breached,
            resolved_at=resolved,
            closed_at=closed,
        )
        tickets.append(ticket)
        plans.append({"calendar": calendar, "agent": assignee, "target": target})
    Ticket.objects.bulk_create(tickets)
    prefix, start = settings.SUPPORTAL_TICKET_PREFIX, settings.SUPPORTAL_TICKET_NUMBER_START
    for ticket in tickets:
        ticket.number = f"{prefix}-{start + ticket.pk}"
    Ticket.objects.bulk_update(tickets, ["number"])

    replies: list[Reply] = []
    events: list[AuditEvent] = []
    clocks: list[SlaClock] = []
    timings: list[TicketTiming] = []
    answers: list[SurveyAnswer] = []
    entries: list[TimeEntry] = []
    support = WorkCategory.objects.get(code="support")
    today = local_date(now, settings.SUPPORTAL_VENDOR_TIME_ZONE)
    for ticket, plan in zip(tickets, plans, strict=True):
        worker: User = plan["agent"]
        events.append(
            AuditEvent(
                ticket=ticket,
                actor=ticket.requester,
                action=AuditEvent.Action.CREATED,
                data={"channel": ticket.channel, "urgent": ticket.urgent},
                created_at=ticket.received_at,
            )
        )
        clocks.append(
            SlaClock(
                ticket=ticket,
                metric=SlaClock.Metric.FIRST_RESPONSE,
                target_minutes=int(plan["target"].total_seconds() // 60),
                started_at=ticket.received_at,
                due_at=ticket.first_response_due,
                stopped_at=ticket.first_responded_at,
                breached_at=ticket.first_response_due if ticket.sla_breached else None,
            )
        )
        if ticket.first_responded_at is None:
            continue
        moment = ticket.first_responded_at
        replies.append(
            Reply(ticket=ticket, author=worker, body=rng.choice(ANSWERS), created_at=moment)
        )
        events.append(
            AuditEvent(
                ticket=ticket,
                actor=worker,
                action=AuditEvent.Action.REPLIED,
                created_at=moment,
            )
        )
        end = ticket.resolved_at or ticket.first_responded_at + timedelta(hours=2)
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            moment = moment + (end - moment) / 3
            replies.append(
                Reply(
                    ticket=ticket,
                    author=ticket.requester,
                    body=rng.choice(CUSTOMER_REPLIES),
                    created_at=moment,
                )
            )
            replies.append(
                Reply(
                    ticket=ticket,
                    author=worker,
                    body=rng.choice(ANSWERS),
                    created_at=moment + timedelta(minutes=rng.randint(10, 90)),
                )
            )
        if rng.random() < 0.15:
            replies.append(
                Reply(
                    ticket=ticket,
                    author=worker,
                    body="Checked with the product team: known issue, fix planned.",
                    internal=True,
                    created_at=ticket.first_responded_at + timedelta(minutes=5),
                )
            )
        if ticket.resolved_at is not None:
            events.append(
                AuditEvent(
                    ticket=ticket,
                    actor=worker,
                    action=AuditEvent.Action.STATUS_CHANGED,
                    data={"from": Ticket.Status.OPEN, "to": Ticket.Status.RESOLVED},
                    created_at=ticket.resolved_at,
                )
            )
            if rng.random() < 0.45:
                answers.append(
                    SurveyAnswer(
                        ticket=ticket,
                        score=rng.choices(range(1, 6), weights=SCORE_WEIGHTS)[0],
                        comment=rng.choice(COMMENTS),
                        agent=worker,
                        answered_at=ticket.resolved_at + timedelta(hours=rng.uniform(0.5, 30)),
                    )
                )
        calendar = plan["calendar"]
        first = business_time_between(ticket.received_at, ticket.first_responded_at, calendar)
        resolution = (
            business_time_between(ticket.received_at, ticket.resolved_at, calendar)
            if ticket.resolved_at
            else None
        )
        timings.append(
            TicketTiming(
                ticket=ticket,
                organization_id=ticket.organization_id,
                received_at=ticket.received_at,
                first_response_seconds=int(first.total_seconds()),
                resolution_seconds=int(resolution.total_seconds()) if resolution else None,
            )
        )
        worked = local_date(ticket.first_responded_at, settings.SUPPORTAL_VENDOR_TIME_ZONE)
        # Today's free minutes are the sample tickets' (billing's demo logs them).
        if rng.random() < 0.35 and worked < today:
            entries.append(
                TimeEntry(
                    ticket=ticket,
                    author=worker,
                    category=support,
                    work_date=worked,
                    minutes=rng.choice([5, 10, 15, 20, 30]),
                    created_at=ticket.first_responded_at,
                )
            )
    # Answers arrive after the fact: none dated in the future.
    answers = [a for a in answers if a.answered_at <= now]
    Reply.objects.bulk_create(replies)
    AuditEvent.objects.bulk_create(events)
    SlaClock.objects.bulk_create(clocks)
    TicketTiming.objects.bulk_create(timings)
    SurveyAnswer.objects.bulk_create(answers)
    TicketBilling.objects.bulk_create(
        [TicketBilling(ticket=t, created_at=t.received_at) for t in tickets]
    )
    TimeEntry.objects.bulk_create(entries)
    _write_paid_work(rng, demo, [t for t in tickets if t.first_responded_at], now)
    counts.tickets += len(tickets)
    counts.replies += len(replies)
    counts.survey_answers += len(answers)
    counts.time_entries += len(entries)


def _write_paid_work(rng: random.Random, demo: Demo, answered: list[Ticket], now: datetime) -> None:
    """A few professional-services jobs a week for Acme (plan HV): its quarter's expert
    hours cover the first hours, the rest is billed at the admin rate."""
    acme = [t for t in answered if t.organization_id == demo.acme.pk]
    category = WorkCategory.objects.get(code="ps_admin")
    included = int(demo.acme.plan.expert_hours_per_quarter * 60)
    for ticket in rng.sample(acme, k=min(len(acme), rng.choice([1, 2, 2, 3]))):
        assert ticket.first_responded_at is not None
        quarter = str(quarter_of(ticket.first_responded_at, settings.SUPPORTAL_VENDOR_TIME_ZONE))
        ledger = ExpertHoursEntry.objects.filter(organization=demo.acme, quarter=quarter)
        if not ledger.exists():
            ExpertHoursEntry.objects.create(
                organization=demo.acme,
                quarter=quarter,
                kind=ExpertHoursEntry.Kind.ALLOCATION,
                minutes=included,
                created_at=ticket.first_responded_at,
            )
        left = sum(ledger.values_list("minutes", flat=True))
        minutes = rng.choice([30, 45, 60, 90, 120])
        expert = max(0, min(minutes, left))
        amount = (Decimal(minutes - expert) / 60 * category.rate).quantize(Decimal("0.01"))
        accepted = ticket.first_responded_at
        quote = Notice.objects.create(
            ticket=ticket,
            kind=Notice.Kind.QUOTE,
            message=f"Setting this up is professional services: about {minutes} minutes.",
            status=Notice.Status.ACCEPTED,
            created_by=demo.ps,
            created_at=accepted,
            decided_by=ticket.requester,
            decided_at=accepted,
            accepted_text=f"Setting this up is professional services: about {minutes} minutes.",
            accepted_rates=[{"category": category.code, "rate": str(category.rate)}],
        )
        entry = TimeEntry.objects.create(
            notice=quote,
            ticket=ticket,
            author=demo.ps,
            category=category,
            work_date=local_date(accepted, settings.SUPPORTAL_VENDOR_TIME_ZONE),
            minutes=minutes,
            note="Set up the shipping rules as quoted.",
            billable=True,
            rate=category.rate,
            billed_minutes=minutes,
            expert_minutes=expert,
            amount=amount,
            created_at=ticket.first_responded_at,
        )
        if expert:
            ExpertHoursEntry.objects.create(
                organization=demo.acme,
                quarter=quarter,
                kind=ExpertHoursEntry.Kind.USE,
                minutes=-expert,
                ticket=ticket,
                time_entry=entry,
                created_at=ticket.first_responded_at,
            )


def load_deflection_history(demo: Demo, *, weeks: int = WEEKS) -> int:
    """Customers who opened a suggested article while writing a ticket over the weeks; most
    were helped. After the knowledge base's demo articles exist."""
    rng = random.Random(SEED)
    now = timezone.now()
    since = now - timedelta(weeks=weeks)
    articles = list(Article.objects.all()[:20])
    if not articles:
        return 0
    events = []
    moment = since
    while moment < now - timedelta(hours=2):
        opened = moment
        solved = opened + timedelta(minutes=2) if rng.random() < 0.55 else None
        events.append(
            DeflectionEvent(
                user=rng.choice([demo.bob, demo.alice, demo.carol]),
                article=rng.choice(articles),
                query=rng.choice(QUESTIONS)[0],
                opened_at=opened,
                solved_at=solved,
            )
        )
        moment += timedelta(hours=rng.uniform(6, 30))
    DeflectionEvent.objects.bulk_create(events)
    return len(events)

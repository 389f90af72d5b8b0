"""The demo data named in DESIGN.md: organizations, personas, tickets in every status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from supportal.accounts import reference as accounts_reference
from supportal.accounts.models import (
    Organization,
    Plan,
    Product,
    SupportRegion,
    TrainingAttendance,
    TrainingSession,
    User,
)
from supportal.billing.demo import load_billing_demo
from supportal.chat.demo import load_chat_demo
from supportal.demo.history import Progress, load_deflection_history, load_history
from supportal.demo.news_status_ideas import load_news_status_ideas_demo
from supportal.intake.demo import load_intake_demo
from supportal.kb.demo import load_kb_demo
from supportal.sla import reference as sla_reference
from supportal.sla.models import OnCallMember, OnCallRotation
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Ticket
from supportal.tickets.search import rebuild_index

DEMO_PASSWORD = "supportal-demo"
DEMO_ROTATION_STARTS_ON = date(2026, 1, 5)  # a Monday

DEMO_LOGINS = [
    ("manager@vendor.test", "manager"),
    ("agent@vendor.test", "support agent, USA region"),
    ("agent.es@vendor.test", "support agent, Spain region (reads Spanish, the region's)"),
    ("ps@vendor.test", "professional services"),
    ("alice@acmeprint.test", "customer admin, Acme Print (plan HV)"),
    ("bob@acmeprint.test", "customer, Acme Print"),
    (
        "carol@brightink.test",
        "customer, Bright Ink in Spain (plan Basic, not trained yet; chose English)",
    ),
]


@dataclass
class Demo:
    acme: Organization
    bright: Organization
    manager: User
    agent: User
    agent_es: User
    ps: User
    alice: User
    bob: User
    carol: User


def _user(email: str, name: str, role: str, **extra: Any) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, role=role, otp_exempt=True, **extra)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def database_is_empty() -> bool:
    return not User.objects.exists()


@transaction.atomic
def load_demo(
    *, with_tickets: bool = True, with_history: bool = False, progress: Progress | None = None
) -> Demo:
    """Create the demo organizations and logins (idempotent), and sample tickets once.

    With ``with_history`` (and the tickets), twelve weeks of past tickets, conversations,
    time, satisfaction answers and SLA outcomes come first, so every chart has data
    (``supportal demo`` does; tests leave it off: it takes seconds). ``progress`` hears how
    far the history is. Reference data is seeded again first: tests that flush tables rely
    on that."""
    accounts_reference.seed_current()
    sla_reference.seed_current()
    usa = SupportRegion.objects.get(code="usa")
    spain = SupportRegion.objects.get(code="spain")
    products = {p.slug: p for p in Product.objects.all()}

    acme, _ = Organization.objects.get_or_create(
        slug="acme-print",
        defaults={"name": "Acme Print", "plan": Plan.objects.get(code="hv"), "support_region": usa},
    )
    acme.products.add(products["pressero"], products["edocbuilder"])
    bright, _ = Organization.objects.get_or_create(
        slug="bright-ink",
        defaults={
            "name": "Bright Ink",
            "plan": Plan.objects.get(code="basic"),
            "support_region": spain,
        },
    )
    bright.products.add(products["pjm"], products["tflow"])

    demo = Demo(
        acme=acme,
        bright=bright,
        manager=_user("manager@vendor.test", "Morgan Manager", User.Role.MANAGER, is_staff=True),
        agent=_user("agent@vendor.test", "Avery Agent", User.Role.AGENT, support_region=usa),
        agent_es=_user(
            "agent.es@vendor.test", "Elena Agente", User.Role.AGENT, support_region=spain
        ),
        ps=_user("ps@vendor.test", "Parker Services", User.Role.PROFESSIONAL_SERVICES),
        alice=_user(
            "alice@acmeprint.test", "Alice Admin", User.Role.CUSTOMER_ADMIN, organization=acme
        ),
        bob=_user("bob@acmeprint.test", "Bob Buyer", User.Role.CUSTOMER, organization=acme),
        # Bright Ink is in the Spain region, whose people read Spanish unless they choose;
        # Carol chose English (the account's own choice wins), Elena reads the region's.
        carol=_user(
            "carol@brightink.test",
            "Carol Customer",
            User.Role.CUSTOMER,
            organization=bright,
            language="en",
        ),
    )

    session, _ = TrainingSession.objects.get_or_create(
        title="Pressero essentials",
        defaults={
            "product": products["pressero"],
            "starts_at": timezone.now() - timedelta(days=60),
            "seats": 30,
        },
    )
    TrainingSession.objects.get_or_create(
        title="PJM and tFlow fundamentals",
        defaults={
            "product": products["pjm"],
            "starts_at": timezone.now() + timedelta(days=14),
            "seats": 30,
        },
    )
    # Training counts for the product it covers: Acme's people attended one for each of
    # their two products. Carol (Bright Ink) has attended none, so the requirement shows.
    edoc_session, _ = TrainingSession.objects.get_or_create(
        title="eDocBuilder essentials",
        defaults={
            "product": products["edocbuilder"],
            "starts_at": timezone.now() - timedelta(days=45),
            "seats": 30,
        },
    )
    for trained in (demo.alice, demo.bob):
        for attended in (session, edoc_session):
            TrainingAttendance.objects.get_or_create(user=trained, session=attended)

    rotation, created = OnCallRotation.objects.get_or_create(
        name="After-hours on-call",
        # A fixed Monday, not today: who is on call at a given moment must not depend on
        # the day the demo was loaded.
        defaults={"timezone": "America/Chicago", "starts_on": DEMO_ROTATION_STARTS_ON},
    )
    if created:
        for position, user in enumerate([demo.agent, demo.agent_es, demo.manager]):
            OnCallMember.objects.create(rotation=rotation, user=user, position=position)

    fresh = with_tickets and not Ticket.objects.exists()
    history = fresh and with_history
    if history:
        load_history(demo, progress=progress)
    if fresh:
        _sample_tickets(demo)
        load_billing_demo(demo)
        load_chat_demo(demo)
    load_kb_demo(demo, with_content=with_tickets)
    load_news_status_ideas_demo(demo, with_content=with_tickets)
    load_intake_demo(demo, with_content=with_tickets)
    if history:
        load_deflection_history(demo)
        # The history is written in bulk, around the services that keep the search index.
        rebuild_index()
    return demo


def _file(
    user: User, product: str, kind: str, subject: str, description: str, **extra: Any
) -> Ticket:
    draft = ticket_services.TicketDraft(
        product=product, kind=kind, subject=subject, description=description, **extra
    )
    return ticket_services.open_ticket(requester=user, draft=draft)


def _sample_tickets(demo: Demo) -> None:
    K = Ticket.Kind
    _file(
        demo.bob,
        "pressero",
        K.QUESTION,
        "How do I add a shipping method?",
        "We want to offer **next-day** delivery on our storefront. Where is that set up?",
    )
    _file(
        demo.alice,
        "pressero",
        K.BUG,
        "Checkout fails with an error on the payment step",
        "Since this morning customers see *Error 500* when they pay by card.",
        site_name="Acme Storefront",
        site_url="https://store.acmeprint.test",
        admin_username="acme-admin",
        admin_password="correct horse battery staple",
        steps="1. Add any product to the cart\n2. Check out\n3. Pay by card",
        urgent=True,
        urgent_reason=Ticket.UrgentReason.CANNOT_ORDER,
    )
    in_progress = _file(
        demo.alice,
        "edocbuilder",
        K.QUESTION,
        "Template preview shows the wrong font",
        "The preview uses Arial although the template sets Helvetica.",
    )
    ticket_services.add_reply(
        ticket=in_progress,
        author=demo.agent,
        body="Thanks Alice. Is the font uploaded under *Assets > Fonts*?",
    )
    ticket_services.change_status(
        ticket=in_progress, actor=demo.agent, status=Ticket.Status.PENDING_CUSTOMER
    )
    resolved = _file(
        demo.bob,
        "pressero",
        K.QUESTION,
        "Change the order confirmation email",
        "Where can we edit the text of the order confirmation email?",
    )
    ticket_services.add_reply(
        ticket=resolved,
        author=demo.agent,
        body="Under *Sites > Settings > Email templates*. Let us know if it helps.",
    )
    ticket_services.change_status(ticket=resolved, actor=demo.agent, status=Ticket.Status.RESOLVED)
    closed = _file(
        demo.bob,
        "edocbuilder",
        K.FEATURE_REQUEST,
        "Allow PDF proofs with bleed marks",
        "Our customers would like to see bleed marks on the proofs.",
    )
    ticket_services.add_reply(
        ticket=closed, author=demo.agent, body="Recorded as a feature request. Thank you!"
    )
    ticket_services.change_status(ticket=closed, actor=demo.agent, status=Ticket.Status.CLOSED)
    # Untrained, Carol may not ask support questions yet, but she may ask for training.
    carol_ticket = _file(
        demo.carol,
        "pjm",
        K.TRAINING_REQUEST,
        "Training for importing jobs from a spreadsheet",
        "We have not attended a PJM training yet. Could we book a one-on-one session on "
        "importing jobs from an Excel file?",
    )
    ticket_services.add_reply(
        ticket=carol_ticket,
        author=demo.agent_es,
        body="Internal: check with the PJM team about the import format.",
        internal=True,
    )

"""Billing demo data: free support, an accepted notice with billed time for Acme (using
expert hours), a pending quote, a confirmed bug and a calculator password request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from supportal.accounts.models import User
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Ticket

from . import notices, overrides, reference, timelog

if TYPE_CHECKING:
    from supportal.demo.loader import Demo


def _file(user: User, product: str, kind: str, subject: str, description: str) -> Ticket:
    draft = ticket_services.TicketDraft(
        product=product, kind=kind, subject=subject, description=description
    )
    return ticket_services.open_ticket(requester=user, draft=draft)


def load_billing_demo(demo: Demo) -> None:
    """Called by the demo loader after its sample tickets (an empty database)."""
    reference.seed_current()
    K = Ticket.Kind

    support = _file(
        demo.bob,
        "pressero",
        K.QUESTION,
        "Set up a coupon for a single product",
        "We would like a 10% coupon that only applies to business cards.",
    )
    timelog.log_time(
        ticket=support,
        actor=demo.agent,
        minutes=12,
        category="support",
        note="Walked through the coupon settings.",
    )

    billed = _file(
        demo.alice,
        "pressero",
        K.QUESTION,
        "Shipping rules for oversize banners",
        "Our banner products need their own shipping table by size and weight.",
    )
    # Acme's free 15 minutes are counted per day across its tickets: 12 + 3 use them up.
    timelog.log_time(
        ticket=billed,
        actor=demo.agent,
        minutes=3,
        category="support",
        note="Reviewed the current shipping tables.",
    )
    notice = notices.send_notice(
        ticket=billed,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=240,
        message="Building the oversize shipping table for you is professional services at the "
        "admin rate. We estimate four hours; your plan's expert hours are used first.",
    )
    notices.accept_notice(notice=notice, customer=demo.alice)
    timelog.log_time(
        ticket=billed,
        actor=demo.ps,
        minutes=200,
        category="ps_admin",
        note="Built the oversize shipping table and tested checkout.",
    )

    quote = _file(
        demo.alice,
        "pressero",
        K.PROFESSIONAL_SERVICES,
        "Custom skin for our holiday store",
        "We need a custom skin matching our new brand guide for the holiday storefront.",
    )
    notices.send_quote(
        ticket=quote,
        actor=demo.ps,
        message="Custom skinning of the holiday store.",
        lines=[
            notices.LineDraft(
                category="ps_technical",
                minutes=360,
                description="Custom skin: header, footer, product pages",
            ),
            notices.LineDraft(
                category="ps_admin", minutes=60, description="Store settings and menus"
            ),
        ],
        rush_fee=Decimal("250.00"),
        rush_due_at=timezone.now() + timedelta(days=1),
    )

    bug = _file(
        demo.bob,
        "edocbuilder",
        K.BUG,
        "Preview crashes on templates with two pages",
        "The preview fails with an error whenever a template has a second page.",
    )
    overrides.mark_confirmed_bug(ticket=bug, actor=demo.agent)  # a bug's time is never counted
    timelog.log_time(
        ticket=bug, actor=demo.agent, minutes=15, category="support", note="Reproduced the crash."
    )
    timelog.log_time(
        ticket=bug,
        actor=demo.agent,
        minutes=45,
        category="support",
        note="Worked with engineering on the fix.",
    )

    _file(
        demo.alice,
        "pressero",
        K.CALCULATOR_PASSWORD,
        "Password for the flyer pricing sheet",
        "We need to unlock the flyer pricing calculator to add a new paper stock.",
    )

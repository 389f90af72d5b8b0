"""Billing fixtures: tickets filed through the ticket service, notices accepted as customers."""

from __future__ import annotations

import pytest

from supportal.billing import notices
from supportal.tickets import services as ticket_services


def file_ticket(user, **fields):
    draft = dict(
        product="pressero",
        kind="question",
        subject="Where is the shipping setup?",
        description="We want next-day delivery.",
    )
    draft.update(fields)
    return ticket_services.open_ticket(requester=user, draft=ticket_services.TicketDraft(**draft))


def accepted_notice(ticket, staff, customer, *, category="ps_admin", minutes=60, **kw):
    notice = notices.send_notice(
        ticket=ticket,
        actor=staff,
        category=category,
        estimate_minutes=minutes,
        message="Beyond support.",
        **kw,
    )
    return notices.accept_notice(notice=notice, customer=customer)


@pytest.fixture
def acme_ticket(demo):
    return file_ticket(demo.alice)

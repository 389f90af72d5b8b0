"""The 2-business-day turn-time: a delivery target for accepted work, counted from the
customer's acceptance in their region's business hours; warned, missed once, delivered,
shown to both sides and reported. Rush quotes give an earlier target."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from supportal.billing import notices, ticket_billing, turntime
from supportal.billing.models import Delivery
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.intake.models import OutboundEmail
from supportal.tickets.models import AuditEvent
from tests.factories import make_ticket
from tests.training import train

from .conftest import accepted_notice

CHICAGO = ZoneInfo("America/Chicago")
MADRID = ZoneInfo("Europe/Madrid")


def at(zone, *parts) -> datetime:
    return datetime(*parts, tzinfo=zone)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_accepted_work_is_due_two_business_days_after_acceptance_in_the_region(demo):
    """Accepted Monday 10:00 in Chicago: 16 business hours (Mon 7, Tue 8, Wed 1) later is
    Wednesday 10:00 there; the warning comes 4 business hours before (Wed 1, Tue 3), on
    Tuesday at 14:00."""
    with time_machine.travel("2026-03-06 15:00 -06:00", tick=False):  # the Friday before
        ticket = make_ticket(demo.alice)
        notice = notices.send_notice(
            ticket=ticket,
            actor=demo.agent,
            category="ps_admin",
            estimate_minutes=120,
            message="Beyond support.",
        )
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        notices.accept_notice(notice=notice, customer=demo.alice)
    delivery = Delivery.objects.get(notice=notice)
    assert delivery.accepted_at == at(CHICAGO, 2026, 3, 9, 10, 0)
    assert delivery.due_at == at(CHICAGO, 2026, 3, 11, 10, 0)
    assert delivery.warn_at == at(CHICAGO, 2026, 3, 10, 14, 0)
    assert not delivery.rush


def test_the_turn_time_runs_on_a_spanish_customers_hours(demo):
    train(demo.carol, "pjm")
    with time_machine.travel(at(MADRID, 2026, 3, 9, 16, 0), tick=False):  # Monday 16:00
        ticket = make_ticket(demo.carol, product="pjm")
        notice = accepted_notice(ticket, demo.agent, demo.carol, category="ps_admin")
    # Mon 1 h, Tue 8 h, Wed 7 h: Wednesday 16:00 in Madrid (09:00 in Chicago).
    assert Delivery.objects.get(notice=notice).due_at == at(MADRID, 2026, 3, 11, 16, 0)


def test_training_is_booked_not_delivered_against_the_turn_time(demo):
    ticket = make_ticket(demo.carol, product="pjm", kind="training_request")
    notice = accepted_notice(ticket, demo.agent, demo.carol, category="training")
    assert not Delivery.objects.filter(notice=notice).exists()


def test_staff_are_warned_once_before_the_target_and_a_miss_is_recorded_once(
    demo, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice)
        ticket.assignee = demo.ps
        ticket.save(update_fields=["assignee"])
        notice = accepted_notice(ticket, demo.agent, demo.alice)
    delivery = Delivery.objects.get(notice=notice)
    assert turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 10, 13, 59)).warned == []
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 10, 14, 0))
        again = turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 10, 14, 1))
    assert (first.warned, again.warned) == ([delivery.pk], [])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([demo.ps.email, demo.agent.email])
    assert all(m.subject.endswith(f"Turn time: {ticket.number} due soon") for m in mailoutbox)
    assert demo.alice.email not in {m.to[0] for m in mailoutbox}  # the vendor's own alarm
    assert OutboundEmail.objects.filter(template="billing/email/turn_time_warning").count() == 2

    assert turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 11, 9, 59)).missed == []
    missed = turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 11, 10, 0))
    assert missed.missed == [delivery.pk]
    assert turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 11, 11, 0)).missed == []
    delivery.refresh_from_db()
    assert delivery.missed_at == delivery.due_at
    assert AuditEvent.objects.filter(ticket=ticket, action="turn_time_missed").count() == 1
    assert delivery.state(at(CHICAGO, 2026, 3, 11, 11, 0)) == "missed"


def test_delivered_work_stops_the_clock_and_is_never_warned(demo):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice)
        notice = accepted_notice(ticket, demo.agent, demo.alice)
    delivery = Delivery.objects.get(notice=notice)
    with pytest.raises(NotPermitted):
        turntime.mark_delivered(delivery=delivery, actor=demo.alice)
    with time_machine.travel(at(CHICAGO, 2026, 3, 10, 9, 0), tick=False):
        turntime.mark_delivered(delivery=delivery, actor=demo.ps)
        turntime.mark_delivered(delivery=delivery, actor=demo.agent)  # safe twice
    delivery.refresh_from_db()
    assert delivery.delivered_by == demo.ps and delivery.state(delivery.due_at) == "delivered"
    checked = turntime.check_turn_times(now=at(CHICAGO, 2026, 3, 12, 9, 0))
    assert (checked.warned, checked.missed) == ([], [])


def test_a_rush_quote_must_beat_the_turn_time_and_sets_the_earlier_target(demo):
    """The policy: sooner than two business days is priced by professional services."""
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
        notices.request_rush_quote(
            ticket=ticket, customer=demo.alice, needed_by=ticket_billing.vendor_today()
        )
        lines = [notices.LineDraft("ps_admin", 120, "Store setup")]
        with pytest.raises(InvalidInput) as caught:
            notices.send_quote(
                ticket=ticket,
                actor=demo.ps,
                message="Store setup",
                lines=lines,
                rush_fee=Decimal("99.00"),
                rush_due_at=at(CHICAGO, 2026, 3, 11, 10, 0),  # the normal target: no rush
            )
        assert "sooner than the normal turn-time" in caught.value.errors["rush_due_at"]
        quote = notices.send_quote(
            ticket=ticket,
            actor=demo.ps,
            message="Store setup",
            lines=lines,
            rush_fee=Decimal("99.00"),
            rush_due_at=at(CHICAGO, 2026, 3, 9, 17, 0),
        )
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 11, 0), tick=False):
        notices.accept_notice(notice=quote, customer=demo.alice, rush=True)
    delivery = Delivery.objects.get(notice=quote)
    assert delivery.rush and delivery.due_at == at(CHICAGO, 2026, 3, 9, 17, 0)
    assert delivery.warn_at == at(CHICAGO, 2026, 3, 9, 14, 0)  # halfway: 3 of 6 hours


def test_a_rush_whose_date_has_passed_cannot_be_accepted(demo):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
        quote = notices.send_quote(
            ticket=ticket,
            actor=demo.ps,
            message="Store setup",
            lines=[notices.LineDraft("ps_admin", 120)],
            rush_fee=Decimal("99.00"),
            rush_due_at=at(CHICAGO, 2026, 3, 9, 17, 0),
        )
    with time_machine.travel(at(CHICAGO, 2026, 3, 10, 9, 0), tick=False):
        with pytest.raises(RuleViolation) as caught:
            notices.accept_notice(notice=quote, customer=demo.alice, rush=True)
        assert caught.value.code == "rush_expired"
        notices.accept_notice(notice=quote, customer=demo.alice)  # without the rush
    # Tuesday 9:00 plus 16 business hours: Wednesday 17:00.
    assert Delivery.objects.get(notice=quote).due_at == at(CHICAGO, 2026, 3, 11, 17, 0)


def test_a_quotes_later_due_date_is_its_target(demo):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice, kind="professional_services", subject="New site")
        quote = notices.send_quote(
            ticket=ticket,
            actor=demo.ps,
            message="A whole site",
            lines=[notices.LineDraft("ps_admin", 1200)],
            due_at=at(CHICAGO, 2026, 3, 20, 17, 0),
        )
        notices.accept_notice(notice=quote, customer=demo.alice)
    assert Delivery.objects.get(notice=quote).due_at == at(CHICAGO, 2026, 3, 20, 17, 0)


def test_both_sides_see_the_target_and_staff_mark_it_delivered(demo):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice)
        notice = accepted_notice(ticket, demo.agent, demo.alice)
        delivery = Delivery.objects.get(notice=notice)
        panel = client_for(demo.alice).get(ticket.get_absolute_url()).content.decode()
        assert "due Mar 11, 2026 10:00 CDT" in panel and "On track" in panel
        assert reverse("billing:mark_delivered", args=[ticket.pk]) not in panel
        agent = client_for(demo.agent)
        console = agent.get(ticket.get_absolute_url()).content.decode()
        assert "due Mar 11, 10:00 CDT" in console
        url = reverse("billing:mark_delivered", args=[ticket.pk])
        assert url in console
        assert client_for(demo.alice).post(url, {"delivery": delivery.pk}).status_code == 404
        assert agent.post(url, {"delivery": delivery.pk + 999}).status_code == 404
        assert agent.post(url, {"delivery": delivery.pk}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.delivered_by == demo.agent


def test_the_billing_report_counts_work_on_time_late_and_overdue(demo):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        on_time, late, overdue, open_ = (make_ticket(demo.alice) for _ in range(4))
        deliveries = [
            Delivery.objects.get(notice=accepted_notice(t, demo.agent, demo.alice))
            for t in (on_time, late, overdue, open_)
        ]
    with time_machine.travel(at(CHICAGO, 2026, 3, 10, 10, 0), tick=False):
        turntime.mark_delivered(delivery=deliveries[0], actor=demo.ps)  # before the target
    with time_machine.travel(at(CHICAGO, 2026, 3, 12, 10, 0), tick=False):
        turntime.mark_delivered(delivery=deliveries[1], actor=demo.ps)
        Delivery.objects.filter(pk=deliveries[3].pk).update(due_at=at(CHICAGO, 2026, 3, 13, 10, 0))
        [row] = turntime.turn_time_by_month()
        assert (row.accepted, row.delivered_on_time, row.delivered_late) == (4, 1, 1)
        assert (row.open_overdue, row.open_on_track) == (1, 1)
        page = client_for(demo.manager).get(reverse("billing:report")).content.decode()
    assert "Turn time" in page and "billing-turn-time-report" in page
    assert "2 business days from acceptance" in page


def test_the_periodic_job_runs_the_check(demo):
    from supportal.billing.tasks import check_turn_times_task

    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        notice = accepted_notice(make_ticket(demo.alice), demo.agent, demo.alice)
    with time_machine.travel(at(CHICAGO, 2026, 3, 11, 10, 0) + timedelta(minutes=1)):
        assert check_turn_times_task.call_local() == (0, 1)
    assert Delivery.objects.get(notice=notice).missed_at is not None


def test_a_rush_request_waits_on_the_console_with_a_quote_prefilled_for_its_date(demo):
    with time_machine.travel(at(CHICAGO, 2026, 3, 9, 10, 0), tick=False):
        ticket = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
        notices.request_rush_quote(
            ticket=ticket,
            customer=demo.alice,
            needed_by=ticket_billing.vendor_today() + timedelta(days=1),
        )
        agent = client_for(demo.ps)
        console = agent.get(ticket.get_absolute_url()).content.decode()
        link = reverse("billing:send_quote", args=[ticket.pk]) + "?rush_due_on=2026-03-10"
        assert "Write the rush quote" in console and link in console
        form = agent.get(link).content.decode()
        assert 'name="rush_due_on" value="2026-03-10"' in form
        notices.send_quote(
            ticket=ticket,
            actor=demo.ps,
            message="Store setup",
            lines=[notices.LineDraft("ps_admin", 120)],
            rush_fee=Decimal("99.00"),
            rush_due_at=at(CHICAGO, 2026, 3, 10, 17, 0),
        )
        console = agent.get(ticket.get_absolute_url()).content.decode()
        assert "Write the rush quote" not in console and "Quoted." in console

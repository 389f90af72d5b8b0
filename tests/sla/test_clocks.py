"""SLA clocks on real tickets: due times, pause and resume, stop on reply, breach, warnings."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from supportal.accounts.models import SupportRegion
from supportal.intake import notify as intake_notify
from supportal.intake.models import OutboundEmail
from supportal.sla import services as sla
from supportal.sla.models import Closure, SlaClock, SlaPolicy
from supportal.sla.tasks import check_sla_clocks_task
from supportal.tickets import services
from supportal.tickets.models import AuditEvent, Ticket
from tests.factories import make_ticket
from tests.training import train

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
MADRID = ZoneInfo("Europe/Madrid")


def chicago(*args):
    return datetime(*args, tzinfo=CHICAGO)


def test_first_response_due_is_four_business_hours_on_home_region(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
    assert ticket.first_response_due == chicago(2026, 11, 24, 14)
    clock = SlaClock.objects.get(ticket=ticket)
    assert clock.metric == "first_response" and clock.target_minutes == 240


def test_spanish_customer_runs_on_madrid_calendar(demo):
    # Bright Ink's home region is Spain. Friday 16:00 Madrid: 1h, then Monday 9-12.
    train(demo.carol, "pjm")
    with time_machine.travel(datetime(2026, 11, 20, 16, tzinfo=MADRID), tick=False):
        ticket = make_ticket(demo.carol, product="pjm")
    assert ticket.first_response_due == datetime(2026, 11, 23, 12, tzinfo=MADRID)


def test_follow_the_sun_uses_the_union(demo, settings):
    settings.SUPPORTAL_SLA_COVERAGE = "follow_the_sun"
    # Tuesday 07:00 UTC: Spain opens at 08:00 UTC, so the union answers by 12:00 UTC.
    with time_machine.travel(datetime(2026, 11, 24, 7, tzinfo=UTC), tick=False):
        ticket = make_ticket(demo.bob)
    assert ticket.first_response_due == datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_region_without_hours_is_served_by_the_team(demo):
    demo.acme.support_region = SupportRegion.objects.get(code="india")
    demo.acme.save()
    with time_machine.travel(datetime(2026, 11, 24, 7, tzinfo=UTC), tick=False):
        ticket = make_ticket(demo.bob)
    assert ticket.first_response_due == datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_vendor_closure_moves_the_due_time(demo):
    Closure.objects.create(
        region=demo.acme.support_region, date=datetime(2026, 11, 24).date(), name="Office move"
    )
    with time_machine.travel(chicago(2026, 11, 23, 16), tick=False):
        ticket = make_ticket(demo.bob)
    assert ticket.first_response_due == chicago(2026, 11, 25, 12)


def test_policy_per_plan_and_kind_overrides_default(demo):
    SlaPolicy.objects.create(
        name="HV bugs", plan=demo.acme.plan, kind="bug", first_response_minutes=60
    )
    SlaPolicy.objects.create(name="HV", plan=demo.acme.plan, first_response_minutes=120)
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        bug = make_ticket(demo.bob, kind="bug")
        question = make_ticket(demo.bob)
    assert bug.first_response_due == chicago(2026, 11, 24, 11)
    assert question.first_response_due == chicago(2026, 11, 24, 12)


def test_agent_reply_stops_clock_in_time(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
    with time_machine.travel(chicago(2026, 11, 24, 11), tick=False):
        services.add_reply(ticket=ticket, author=demo.agent, body="Answer")
    ticket.refresh_from_db()
    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.stopped_at == chicago(2026, 11, 24, 11)
    assert clock.breached_at is None
    assert not ticket.sla_breached


def test_late_reply_records_breach(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
    with time_machine.travel(chicago(2026, 11, 24, 15), tick=False):
        services.add_reply(ticket=ticket, author=demo.agent, body="Sorry for the wait")
    ticket.refresh_from_db()
    assert ticket.sla_breached


def test_internal_note_does_not_stop_clock(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
        services.add_reply(ticket=ticket, author=demo.agent, body="Looking", internal=True)
    assert SlaClock.objects.get(ticket=ticket).stopped_at is None


def test_pending_customer_pauses_and_resumes(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
    with time_machine.travel(chicago(2026, 11, 24, 11), tick=False):
        services.change_status(ticket=ticket, actor=demo.agent, status="pending_customer")
    ticket.refresh_from_db()
    assert ticket.first_response_due is None
    clock = SlaClock.objects.get(ticket=ticket)
    assert clock.remaining_seconds == 3 * 3600
    # The customer answers the next morning: three business hours remain from then.
    with time_machine.travel(chicago(2026, 11, 25, 9), tick=False):
        services.add_reply(ticket=ticket, author=demo.bob, body="Here is the info")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.first_response_due == chicago(2026, 11, 25, 12)


def test_resolving_stops_all_clocks(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
        services.change_status(ticket=ticket, actor=demo.agent, status="resolved")
    assert not SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).exists()


def test_customer_reply_after_answer_starts_next_reply_clock(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
        services.add_reply(ticket=ticket, author=demo.agent, body="Try this")
        services.add_reply(ticket=ticket, author=demo.bob, body="Did not work")
    clock = SlaClock.objects.get(ticket=ticket, metric="next_reply", stopped_at__isnull=True)
    assert clock.due_at == chicago(2026, 11, 25, 10)


def test_check_clocks_warns_then_breaches_once(demo, settings):
    settings.SUPPORTAL_SLA_WARNING_MINUTES = 60
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
        services.assign_ticket(ticket=ticket, actor=demo.manager, assignee_id=demo.agent.pk)
    assert sla.check_clocks(now=chicago(2026, 11, 24, 12)).warned_clock_ids == []
    first = sla.check_clocks(now=chicago(2026, 11, 24, 13, 30))
    again = sla.check_clocks(now=chicago(2026, 11, 24, 13, 31))
    assert len(first.warned_clock_ids) == 1 and again.warned_clock_ids == []
    assert sla.check_clocks(now=chicago(2026, 11, 24, 14, 1)).breached == 1
    assert sla.check_clocks(now=chicago(2026, 11, 24, 14, 2)).breached == 0
    ticket.refresh_from_db()
    assert ticket.sla_breached
    actions = list(ticket.audit_events.values_list("action", flat=True))
    assert actions.count(AuditEvent.Action.SLA_WARNED) == 1
    assert actions.count(AuditEvent.Action.SLA_BREACHED) == 1


def test_warning_mails_assignee_and_region_lead_once_through_the_outbox(
    demo, django_capture_on_commit_callbacks
):
    region = demo.acme.support_region
    region.lead = demo.manager
    region.save()
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
        services.assign_ticket(ticket=ticket, actor=demo.manager, assignee_id=demo.agent.pk)
    mail.outbox.clear()
    with (
        time_machine.travel(chicago(2026, 11, 24, 13, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        check_sla_clocks_task.call_local()
        check_sla_clocks_task.call_local()  # the next minute's run: already warned
    assert sorted(m.to[0] for m in mail.outbox) == sorted([demo.agent.email, demo.manager.email])
    for sent in mail.outbox:
        assert sent.subject == f"[{ticket.number}] SLA warning: first response due soon"
        assert sent.extra_headers["In-Reply-To"] == ticket.email_thread.root_message_id
        assert ticket.subject in sent.body and f"/tickets/{ticket.pk}/" in sent.body
    rows = OutboundEmail.objects.filter(ticket=ticket, template="sla/email/warning")
    assert rows.count() == 2


def test_a_warning_whose_claim_rolls_back_writes_no_mail(demo, monkeypatch):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
        services.assign_ticket(ticket=ticket, actor=demo.manager, assignee_id=demo.agent.pk)

    write_warning = intake_notify.notify_sla_warning

    def write_then_fail(*, clock):
        assert write_warning(clock=clock) == 1
        raise RuntimeError("the job dies after writing the mail, before committing")

    monkeypatch.setattr(intake_notify, "notify_sla_warning", write_then_fail)
    with pytest.raises(RuntimeError):
        sla.check_clocks(now=chicago(2026, 11, 24, 13, 30))
    assert not OutboundEmail.objects.filter(template="sla/email/warning").exists()
    assert SlaClock.objects.filter(ticket=ticket, warned_at__isnull=False).count() == 0


def test_clock_view_for_the_queue(demo):
    with time_machine.travel(chicago(2026, 11, 24, 10), tick=False):
        ticket = make_ticket(demo.bob)
    view = sla.clock_view(ticket=ticket, now=chicago(2026, 11, 24, 11))
    assert view.state == "ok" and view.remaining == timedelta(hours=3)
    assert view.remaining_label == "3h 00m"
    assert sla.clock_view(ticket=ticket, now=chicago(2026, 11, 24, 13, 30)).state == "warning"
    assert sla.clock_view(ticket=ticket, now=chicago(2026, 11, 24, 15)).state == "breached"


def test_expectation_on_christmas_day(demo):
    message = sla.expectation_for(organization=demo.acme, now=chicago(2026, 12, 25, 10)).message
    assert message == (
        "We answer within 4 business hours; our offices are closed today for Christmas Day, "
        "expect a reply by Monday 13:00 Central Time."
    )


def test_expectation_during_hours(demo):
    message = sla.expectation_for(organization=demo.acme, now=chicago(2026, 11, 24, 10)).message
    assert (
        message == "We answer within 4 business hours: expect a reply by today 14:00 Central Time."
    )


def test_expert_turnaround_is_two_business_days(demo):
    due = sla.expert_turnaround_due(organization=demo.acme, start=chicago(2026, 11, 24, 10))
    assert due == chicago(2026, 11, 27, 10)  # Thanksgiving in between

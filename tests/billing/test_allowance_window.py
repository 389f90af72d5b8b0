"""The free 15 minutes are the organization's "series of questions": counted across its
tickets over a window (by default the calendar day in its support region), not per ticket."""

import pytest
import time_machine
from django.test import Client

from supportal.billing import allowance, overrides, timelog
from supportal.billing.models import TimeEntry
from supportal.core.errors import RuleViolation
from tests.factories import make_ticket
from tests.training import train


def log(ticket, actor, minutes, category="support"):
    return timelog.log_time(ticket=ticket, actor=actor, minutes=minutes, category=category)


def refused(ticket, actor, minutes) -> RuleViolation:
    before = TimeEntry.objects.count()
    with pytest.raises(RuleViolation) as caught:
        log(ticket, actor, minutes)
    assert TimeEntry.objects.count() == before
    return caught.value


def test_the_organizations_questions_share_15_free_minutes_a_day(demo):
    """Issue 18: two Acme tickets on one day draw on the same 15 minutes."""
    with time_machine.travel("2026-03-10 11:00 -05:00", tick=False):
        first = make_ticket(demo.bob, subject="Where do I add a coupon?")
        second = make_ticket(demo.alice, subject="How do I hide a product?")
        log(first, demo.agent, 10)
        log(second, demo.agent, 5)
        refusal = refused(second, demo.agent, 1)
        assert refusal.code == "support_allowance_reached"
        assert "Free support for Acme Print today is 15 minutes and 15 are used" in (
            refusal.message
        )
        # Another organization's day is its own.
        train(demo.carol, "pjm")
        log(make_ticket(demo.carol, product="pjm"), demo.agent, 15)
        applies = allowance.allowance_for(ticket=first)
        assert (applies.used, applies.allowance, applies.left) == (15, 15, 0)
    with time_machine.travel("2026-03-11 09:05 -05:00", tick=False):
        log(second, demo.agent, 15)  # a new day, a new 15 minutes


def test_the_day_is_the_calendar_day_in_the_organizations_region(demo):
    """Bright Ink is served from Spain: its day turns at midnight in Madrid, when it is
    still the afternoon of the same day on the vendor's clock in Chicago."""
    train(demo.carol, "pjm")
    with time_machine.travel("2026-03-10 23:30 +01:00", tick=False):  # 16:30 in Chicago
        ticket = make_ticket(demo.carol, product="pjm")
        log(ticket, demo.agent, 15)
        assert refused(ticket, demo.agent, 1).code == "support_allowance_reached"
        window = allowance.allowance_window(ticket=ticket)
        assert (window.time_zone, window.starts_at.isoformat()) == (
            "Europe/Madrid",
            "2026-03-10T00:00:00+01:00",
        )
        agent = Client()
        agent.force_login(demo.agent)  # a Chicago agent reads Madrid's day on Madrid's clock
        console = agent.get(ticket.get_absolute_url()).content.decode()
        assert "Mar 10 00:00 to Mar 11 00:00 (Europe/Madrid)" in console
    with time_machine.travel("2026-03-11 00:30 +01:00", tick=False):  # 17:30 in Chicago
        log(ticket, demo.agent, 15)


def test_a_confirmed_bugs_time_does_not_use_the_free_minutes(demo):
    with time_machine.travel("2026-03-10 11:00 -05:00", tick=False):
        bug = make_ticket(demo.bob, kind="bug", subject="Preview crashes")
        overrides.mark_confirmed_bug(ticket=bug, actor=demo.agent)
        log(bug, demo.agent, 60)
        question = make_ticket(demo.alice)
        log(question, demo.agent, 15)  # the bug's hour is not Acme's series of questions
        # A bug confirmed after the fact gives its minutes back to the day.
        later_bug = make_ticket(demo.alice, kind="bug", subject="Totals are wrong")
        assert refused(later_bug, demo.agent, 5).code == "support_allowance_reached"
        overrides.mark_confirmed_bug(ticket=question, actor=demo.agent)
        log(later_bug, demo.agent, 15)


def test_a_managers_extension_raises_the_allowance_for_work_on_that_ticket(demo):
    with time_machine.travel("2026-03-10 11:00 -05:00", tick=False):
        first, second = make_ticket(demo.bob), make_ticket(demo.alice)
        log(first, demo.agent, 15)
        overrides.extend_allowance(ticket=second, actor=demo.manager, minutes=20, reason="Outage")
        log(second, demo.agent, 20)
        assert refused(first, demo.agent, 1).code == "support_allowance_reached"


def test_filed_as_professional_services_has_no_free_minutes_in_any_window(demo):
    with time_machine.travel("2026-03-10 11:00 -05:00", tick=False):
        ticket = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
        assert refused(ticket, demo.agent, 5).code == "support_allowance_reached"


def test_the_ticket_window_setting_counts_each_ticket_alone(demo, settings):
    settings.SUPPORTAL_FREE_SUPPORT_WINDOW = "ticket"
    first, second = make_ticket(demo.bob), make_ticket(demo.alice)
    log(first, demo.agent, 15)
    log(second, demo.agent, 15)
    assert "on this ticket" in refused(second, demo.agent, 1).message


def test_a_week_window_runs_monday_to_sunday_in_the_region(demo, settings):
    settings.SUPPORTAL_FREE_SUPPORT_WINDOW = "week"
    with time_machine.travel("2026-03-09 10:00 -05:00", tick=False):  # a Monday
        ticket = make_ticket(demo.bob)
        log(ticket, demo.agent, 15)
    with time_machine.travel("2026-03-15 16:00 -05:00", tick=False):  # that Sunday
        assert "this week" in refused(ticket, demo.agent, 1).message
    with time_machine.travel("2026-03-16 10:00 -05:00", tick=False):
        log(ticket, demo.agent, 15)


def test_the_ticket_page_shows_the_organizations_minutes_to_staff_and_customer(demo):
    with time_machine.travel("2026-03-10 11:00 -05:00", tick=False):
        first, second = make_ticket(demo.bob), make_ticket(demo.alice)
        log(first, demo.agent, 12)
        agent, customer = Client(), Client()
        agent.force_login(demo.agent)
        customer.force_login(demo.alice)
        console = agent.get(second.get_absolute_url()).content.decode()
        assert "12 of 15 free minutes used for Acme Print today" in console
        panel = customer.get(second.get_absolute_url()).content.decode()
        assert "Free support for Acme Print today: 12 of 15 minutes used." in panel

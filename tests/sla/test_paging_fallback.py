"""After hours, an urgent ticket always pages someone: the rotation, or else the region's
lead and the managers; staff who mark a ticket urgent page on-call as a customer would."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import checks, mail

from supportal.accounts.models import SupportRegion
from supportal.sla.models import OnCallMember, OnCallRotation, Page
from supportal.sla.tasks import run_due_pages_task
from supportal.tickets import services
from supportal.tickets.models import AuditEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
SATURDAY_NOON = datetime(2026, 11, 28, 12, tzinfo=CHICAGO)  # every office closed
TUESDAY_TEN = datetime(2026, 11, 24, 10, tzinfo=CHICAGO)  # Chicago at work


def page_mail_to(user) -> int:
    return sum(1 for m in mail.outbox if m.to == [user.email] and "] URGENT" in m.subject)


@pytest.fixture
def no_rotation(demo):
    OnCallRotation.objects.update(active=False)
    usa = SupportRegion.objects.get(code="usa")
    usa.lead = demo.agent_es
    usa.save()


def test_without_a_rotation_the_region_lead_is_paged_then_the_managers(
    demo, no_rotation, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_PAGE_REPEAT_MINUTES = 10
    settings.SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION = 2
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    page = Page.objects.get(ticket=ticket)
    assert page.rotation is None and page.current_user == demo.agent_es
    assert page_mail_to(demo.agent_es) == 1
    fallback = ticket.audit_events.filter(action=AuditEvent.Action.PAGED).first()
    assert fallback.data["fallback"] == "region_lead"
    for minutes in (10, 20):
        with time_machine.travel(SATURDAY_NOON + timedelta(minutes=minutes), tick=False):
            run_due_pages_task.call_local()
    page.refresh_from_db()
    assert page.current_user == demo.manager
    assert page_mail_to(demo.agent_es) == 2 and page_mail_to(demo.manager) == 1


def test_a_rotation_whose_members_all_left_falls_back_too(demo, django_capture_on_commit_callbacks):
    """The demo's rotation stays active, but nobody in it can be paged."""
    OnCallMember.objects.filter(user=demo.manager).delete()
    for user in (demo.agent, demo.agent_es):
        user.is_active = False
        user.save()
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    page = Page.objects.get(ticket=ticket)
    assert page.current_user == demo.manager  # Acme's region has no lead: the managers
    assert page.rotation is None


def test_staff_marking_a_ticket_urgent_after_hours_pages_on_call(
    demo, django_capture_on_commit_callbacks
):
    """Voicemail, email and chat tickets arrive non-urgent; the agent who listens raises it."""
    with (
        time_machine.travel(SATURDAY_NOON - timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=False)
    assert not Page.objects.filter(ticket=ticket).exists()
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.raise_urgency(
            ticket=ticket, actor=demo.agent, reason="cannot_produce", note="Press is idle"
        )
    page = Page.objects.get(ticket=ticket)
    assert page.state == Page.State.PAGING and page.attempts == 1
    assert page_mail_to(page.current_user) == 1


def test_staff_marking_a_ticket_urgent_in_working_hours_pages_nobody(
    demo, django_capture_on_commit_callbacks
):
    with time_machine.travel(TUESDAY_TEN, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = make_ticket(demo.bob, kind="bug", urgent=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.raise_urgency(
                ticket=ticket, actor=demo.agent, reason="cannot_order", note="Checkout down"
            )
    assert not Page.objects.filter(ticket=ticket).exists()


def test_the_queue_warns_staff_when_no_rotation_can_page(client, demo):
    client.force_login(demo.agent)
    assert "No on-call rotation is active" not in client.get("/tickets/queue/").content.decode()
    OnCallRotation.objects.update(active=False)
    assert "No on-call rotation is active" in client.get("/tickets/queue/").content.decode()


def test_the_start_up_check_warns_when_no_rotation_can_page(demo):
    def ids():
        found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
        return {message.id for message in found}

    assert "supportal.sla.W001" not in ids()
    OnCallRotation.objects.update(active=False)
    assert "supportal.sla.W001" in ids()

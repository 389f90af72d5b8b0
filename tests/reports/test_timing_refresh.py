"""Stored timings follow the ticket: written after a reply or a status change commits."""

from supportal.reports import services
from supportal.reports.models import TicketTiming
from tests.factories import make_ticket

from .conftest import answer, chicago, set_status


def test_answer_and_resolution_write_the_timing_row_after_commit(
    demo, django_capture_on_commit_callbacks
):
    ticket = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    with django_capture_on_commit_callbacks(execute=True):
        answer(ticket, demo.agent, at=chicago(2025, 9, 2, 9, 30))
    timing = TicketTiming.objects.get(ticket=ticket)
    assert timing.first_response_seconds == 30 * 60
    assert timing.resolution_seconds is None
    assert timing.organization_id == demo.acme.pk
    with django_capture_on_commit_callbacks(execute=True):
        set_status(ticket, demo.agent, "resolved", at=chicago(2025, 9, 2, 16))
    timing.refresh_from_db()
    assert timing.resolution_seconds == 7 * 3600


def test_reopening_clears_the_resolution_time(demo, django_capture_on_commit_callbacks):
    ticket = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    answer(ticket, demo.agent, at=chicago(2025, 9, 2, 9, 30))
    set_status(ticket, demo.agent, "resolved", at=chicago(2025, 9, 2, 16))
    services.refresh_stale_timings()
    with django_capture_on_commit_callbacks(execute=True):
        set_status(ticket, demo.agent, "open", at=chicago(2025, 9, 3, 9))
    assert TicketTiming.objects.get(ticket=ticket).resolution_seconds is None


def test_catch_up_writes_missing_rows_and_is_idempotent(demo):
    ticket = make_ticket(demo.alice, at=chicago(2025, 9, 2, 9), product="pressero")
    make_ticket(demo.alice, at=chicago(2025, 9, 2, 9), product="pressero")  # never answered
    answer(ticket, demo.agent, at=chicago(2025, 9, 2, 11))
    assert services.stale_timing_ticket_ids(limit=10) == [ticket.pk]
    assert services.refresh_stale_timings(batch=1) == 1
    assert services.stale_timing_ticket_ids(limit=10) == []
    assert services.refresh_stale_timings() == 0
    assert TicketTiming.objects.get().first_response_seconds == 2 * 3600

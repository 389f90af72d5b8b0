"""Training pages: register, give up a seat, one-on-one requests, staff attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supportal.accounts.models import Product, TrainingAttendance, TrainingSession
from supportal.kb.models import TrainingRegistration
from supportal.tickets.models import Ticket
from tests.tickets.pages import assert_csp_clean

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(demo):
    return TrainingSession.objects.create(
        title="PJM scheduling",
        product=Product.objects.get(slug="pjm"),
        starts_at=timezone.now() + timedelta(days=5),
        seats=2,
    )


def test_training_page_lists_sessions_with_seats_and_registers(demo, session, client_for):
    client = client_for(demo.carol)
    page = client.get(reverse("kb:training"))
    assert "PJM scheduling" in page.content.decode()
    assert "2 of 2" in page.content.decode()
    assert_csp_clean(page)

    client.post(reverse("kb:register", args=[session.pk]))

    assert TrainingRegistration.objects.filter(session=session, user=demo.carol).exists()
    assert "Give up my seat" in client.get(reverse("kb:training")).content.decode()
    client.post(reverse("kb:unregister", args=[session.pk]))
    assert not TrainingRegistration.objects.exists()


def test_full_session_shows_full_and_refuses(demo, session, client_for):
    session.seats = 0
    session.save()
    client = client_for(demo.carol)

    assert "Full" in client.get(reverse("kb:training")).content.decode()
    response = client.post(reverse("kb:register", args=[session.pk]), follow=True)
    assert "This session is full." in response.content.decode()


def test_one_on_one_request_opens_a_training_request_ticket(demo, client_for):
    response = client_for(demo.carol).post(
        reverse("kb:one_on_one"), {"product": "pjm", "details": "Scheduling board, 2 people."}
    )

    ticket = Ticket.objects.get()
    assert ticket.kind == Ticket.Kind.TRAINING_REQUEST
    assert response["Location"] == ticket.get_absolute_url()


def test_one_on_one_request_without_details_keeps_the_form(demo, client_for):
    response = client_for(demo.carol).post(reverse("kb:one_on_one"), {"product": "pjm"})

    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not Ticket.objects.exists()


def test_staff_mark_attendance_which_meets_the_requirement(demo, session, client_for):
    TrainingRegistration.objects.create(session=session, user=demo.carol)
    client = client_for(demo.agent)
    page = client.get(reverse("kb:attendance", args=[session.pk]))
    assert demo.carol.email in page.content.decode()

    client.post(reverse("kb:attendance", args=[session.pk]), {"attendees": [demo.carol.pk]})

    assert TrainingAttendance.objects.filter(session=session, user=demo.carol).exists()


def test_customers_cannot_open_the_attendance_sheet(demo, session, client_for):
    assert (
        client_for(demo.alice).get(reverse("kb:attendance", args=[session.pk])).status_code == 404
    )

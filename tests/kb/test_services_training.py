"""Training registration (seats), attendance, one-on-one requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supportal.accounts.models import Product, TrainingSession
from supportal.accounts.services import has_attended_training
from supportal.core.errors import NotPermitted, RuleViolation
from supportal.kb import services
from supportal.kb.models import TrainingRegistration
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(demo):
    return TrainingSession.objects.create(
        title="tFlow basics",
        product=Product.objects.get(slug="tflow"),
        starts_at=timezone.now() + timedelta(days=3),
        seats=1,
    )


def test_registering_takes_a_seat_once(demo, session):
    first = services.register_for_training(session=session, user=demo.carol)
    again = services.register_for_training(session=session, user=demo.carol)

    assert first == again
    assert TrainingRegistration.objects.filter(session=session).count() == 1


def test_a_full_session_refuses_registration(demo, session):
    services.register_for_training(session=session, user=demo.carol)

    with pytest.raises(RuleViolation) as caught:
        services.register_for_training(session=session, user=demo.bob)
    assert caught.value.code == "session_full"


def test_unregistering_frees_the_seat(demo, session):
    services.register_for_training(session=session, user=demo.carol)
    assert services.unregister_from_training(session=session, user=demo.carol) is True

    services.register_for_training(session=session, user=demo.bob)


def test_a_started_session_takes_no_registrations(demo, session):
    session.starts_at = timezone.now() - timedelta(minutes=1)
    session.save()

    with pytest.raises(RuleViolation) as caught:
        services.register_for_training(session=session, user=demo.carol)
    assert caught.value.code == "session_started"


def test_marking_attendance_meets_the_training_requirement(demo, session):
    assert not has_attended_training(demo.carol)

    added = services.mark_attendance(
        session=session, attendees=[demo.carol], recorded_by=demo.agent
    )
    again = services.mark_attendance(
        session=session, attendees=[demo.carol], recorded_by=demo.agent
    )

    assert (added, again) == (1, 0)
    assert has_attended_training(demo.carol)


def test_customers_may_not_mark_attendance(demo, session):
    with pytest.raises(NotPermitted):
        services.mark_attendance(session=session, attendees=[demo.carol], recorded_by=demo.alice)


def test_one_on_one_request_files_a_training_request_ticket(demo):
    ticket = services.request_one_on_one_training(
        requester=demo.carol, product="pjm", details="Two people, scheduling board."
    )

    assert ticket.kind == Ticket.Kind.TRAINING_REQUEST
    assert ticket.requester == demo.carol
    assert "scheduling board" in ticket.description

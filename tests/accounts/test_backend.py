"""accounts.backends.AccountBackend: the user of every request is read with what every page
reads, in one query, and only while they may log in."""

import pytest

from supportal.accounts.backends import AccountBackend
from supportal.accounts.models import TrainingAttendance, TrainingSession, User
from supportal.accounts.services import has_attended_training

pytestmark = pytest.mark.django_db


def test_login_backend_loads_organization_plan_and_regions_in_one_query(
    demo, django_assert_num_queries
):
    backend = AccountBackend()
    with django_assert_num_queries(1):
        bob = backend.get_user(str(demo.bob.pk))  # the session stores the id as text
        assert bob.organization.plan.code == demo.bob.organization.plan.code
        assert bob.organization.support_region == demo.bob.organization.support_region
        assert bob.support_region == demo.bob.support_region


def test_training_read_for_a_user_from_the_backend_follows_attendance(demo):
    backend = AccountBackend()
    assert has_attended_training(backend.get_user(demo.carol.pk)) is False
    session = TrainingSession.objects.first()
    TrainingAttendance.objects.create(user=demo.carol, session=session)
    assert has_attended_training(backend.get_user(demo.carol.pk)) is True


def test_login_backend_reads_the_database_every_time(demo):
    backend = AccountBackend()
    assert backend.get_user(demo.bob.pk).name == demo.bob.name
    User.objects.filter(pk=demo.bob.pk).update(name="Robert Buyer")
    assert backend.get_user(demo.bob.pk).name == "Robert Buyer"


def test_login_backend_refuses_inactive_and_unknown_users(demo):
    backend = AccountBackend()
    User.objects.filter(pk=demo.bob.pk).update(is_active=False)
    assert backend.get_user(demo.bob.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None
    assert backend.get_user(None) is None

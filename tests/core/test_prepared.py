"""core.prepared: a queryset compiled once gives what Django's own run of it gives, read
fresh from the database every time."""

import pytest
from django.db.models import Count

from supportal.accounts.backends import USER_RELATIONS, AccountBackend
from supportal.accounts.models import (
    Organization,
    Product,
    TrainingAttendance,
    TrainingSession,
    User,
)
from supportal.core.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _users(user_id):
    return User.objects.select_related(*USER_RELATIONS).filter(pk=user_id).order_by()


def test_same_objects_as_the_orm_with_related_ones_loaded(demo, django_assert_num_queries):
    prepared = PreparedQuery(User, _users)
    for user in (demo.bob, demo.agent, demo.manager):
        expected = _users(user.pk).get()
        with django_assert_num_queries(1):
            [found] = prepared.fetch(user.pk)
        assert _fields(found) == _fields(expected)  # datetimes, booleans, ids: converted alike
        with django_assert_num_queries(0):
            for relation in ("organization", "support_region"):
                assert getattr(found, relation) == getattr(expected, relation)
            if expected.organization is not None:
                assert _fields(found.organization) == _fields(expected.organization)
                assert _fields(found.organization.plan) == _fields(expected.organization.plan)
                assert found.organization.support_region == expected.organization.support_region
        assert found._state.adding is False
        assert found._state.db == "default"


def test_every_run_reads_the_database(demo):
    prepared = PreparedQuery(User, _users)
    assert prepared.fetch(demo.bob.pk)[0].name == demo.bob.name
    User.objects.filter(pk=demo.bob.pk).update(name="Robert Buyer", is_active=False)
    [again] = prepared.fetch(demo.bob.pk)
    assert again.name == "Robert Buyer"
    assert again.is_active is False
    assert prepared.fetch(demo.alice.pk)[0].email == demo.alice.email
    assert prepared.fetch(10**9) == []


def test_annotations_are_set_on_the_objects(demo):
    prepared = PreparedQuery(
        Organization,
        lambda pk: Organization.objects.annotate(people=Count("users")).filter(pk=pk),
    )
    [acme] = prepared.fetch(demo.acme.pk)
    assert acme.people == User.objects.filter(organization=demo.acme).count() > 0


def test_many_rows_in_the_querysets_order(demo):
    prepared = PreparedQuery(Product, lambda pk: Product.objects.filter(organizations=pk))
    expected = list(demo.acme.products.all())
    assert expected
    assert prepared.fetch(demo.acme.pk) == expected
    demo.acme.products.remove(expected[0])
    assert prepared.fetch(demo.acme.pk) == expected[1:]


def test_the_value_must_appear_exactly_once(demo):
    nowhere = PreparedQuery(User, lambda pk: User.objects.filter(email="x@example.test"))
    with pytest.raises(ValueError, match="once"):
        nowhere.fetch(demo.bob.pk)
    twice = PreparedQuery(User, lambda pk: User.objects.filter(pk=pk, organization_id=pk))
    with pytest.raises(ValueError, match="once"):
        twice.fetch(demo.bob.pk)


def test_login_backend_loads_user_relations_and_training_in_one_query(
    demo, django_assert_num_queries
):
    from supportal.accounts.services import has_attended_training

    backend = AccountBackend()
    with django_assert_num_queries(1):
        bob = backend.get_user(demo.bob.pk)
        assert bob.organization.plan.code
        assert has_attended_training(bob) is bob._attended_training
    carol = backend.get_user(str(demo.carol.pk))  # the session stores the id as text
    assert carol._attended_training is False
    session = TrainingSession.objects.first()
    TrainingAttendance.objects.create(user=demo.carol, session=session)
    assert backend.get_user(demo.carol.pk)._attended_training is True


def test_login_backend_refuses_inactive_and_unknown_users(demo):
    backend = AccountBackend()
    User.objects.filter(pk=demo.bob.pk).update(is_active=False)
    assert backend.get_user(demo.bob.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None
    assert backend.get_user(None) is None

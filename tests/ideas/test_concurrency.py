"""Concurrent votes and a merge, on PostgreSQL: row locks and unique constraints keep the
counts exact. (SQLite runs one writer at a time, so there is nothing to race there.)"""

from __future__ import annotations

import pytest
from django.db import connection

from supportal.accounts.models import User
from supportal.ideas import services
from supportal.ideas.models import Idea, Vote
from tests.racing import run_all

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)

VOTERS = 12


@pytest.fixture
def voters(transactional_db, django_db_serialized_rollback, demo) -> list[User]:
    return [
        User.objects.create_user(
            f"voter{i}@example.test",
            role=User.Role.CUSTOMER,
            organization=demo.acme if i % 2 else demo.bright,
        )
        for i in range(VOTERS)
    ]


def test_concurrent_votes_and_repeats_count_each_person_once(demo, voters):
    idea = services.create_idea(actor=demo.agent, title="Race")
    actions = [lambda u=u: services.vote(idea=idea, user=u) for u in voters for _ in range(2)]
    assert run_all(*actions) == []
    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == VOTERS
    assert (idea.org_count, idea.user_count) == (2, VOTERS)


def test_votes_racing_a_merge_all_land_on_the_target_once(demo, voters):
    keep = services.create_idea(actor=demo.agent, title="Keep")
    dup = services.create_idea(actor=demo.agent, title="Dup")
    half = VOTERS // 2
    for user in voters[:half]:
        services.vote(idea=keep, user=user)  # these people also vote for the duplicate below
    actions = [lambda u=u: services.vote(idea=dup, user=u) for u in voters]
    actions.append(lambda: services.merge_ideas(source=dup, target=keep, actor=demo.agent))
    assert run_all(*actions) == []
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into_id == keep.pk
    assert not Vote.objects.filter(idea=dup).exists()
    assert Vote.objects.filter(idea=keep).count() == VOTERS
    assert (keep.org_count, keep.user_count) == (2, VOTERS)
    assert Idea.objects.get(pk=dup.pk).user_count == 0

"""Merging duplicates: votes, tickets and followers move; nobody is counted twice."""

from __future__ import annotations

import pytest

from supportal.core.errors import RuleViolation
from supportal.ideas import services
from supportal.ideas.models import Comment, Follower, TicketLink, Vote

pytestmark = pytest.mark.django_db


def test_merge_moves_everything_without_double_counting(demo, make_idea, file_request):
    keep, dup = make_idea("Excel export"), make_idea("Export to xlsx")
    services.vote(idea=keep, user=demo.alice)
    services.vote(idea=keep, user=demo.bob)
    services.vote(idea=dup, user=demo.bob)  # in both: counted once after the merge
    services.vote(idea=dup, user=demo.carol)
    services.link_ticket(ticket=file_request(demo.alice), actor=demo.agent, idea=dup)
    services.add_comment(idea=dup, author=demo.carol, body="Weekly!")

    result = services.merge_ideas(source=dup, target=keep, actor=demo.agent)

    assert result.pk == keep.pk
    assert (result.org_count, result.user_count) == (2, 3)
    assert Vote.objects.filter(idea=keep).count() == 3
    assert not Vote.objects.filter(idea=dup).exists()
    assert TicketLink.objects.get().idea_id == keep.pk
    assert Comment.objects.get().idea_id == keep.pk
    assert set(Follower.objects.filter(idea=keep).values_list("user__email", flat=True)) == {
        demo.alice.email,
        demo.bob.email,
        demo.carol.email,
    }
    dup.refresh_from_db()
    assert dup.merged_into_id == keep.pk
    assert (dup.org_count, dup.user_count) == (0, 0)


def test_a_vote_for_a_merged_idea_counts_for_its_target(demo, make_idea):
    keep, dup = make_idea("A"), make_idea("B")
    services.merge_ideas(source=dup, target=keep, actor=demo.agent)
    result = services.vote(idea=dup, user=demo.carol)
    assert result.pk == keep.pk
    keep.refresh_from_db()
    assert keep.user_count == 1


def test_merging_a_chain_keeps_it_flat(demo, make_idea):
    a, b, c = make_idea("A"), make_idea("B"), make_idea("C")
    services.vote(idea=a, user=demo.carol)
    services.merge_ideas(source=a, target=b, actor=demo.agent)
    services.merge_ideas(source=b, target=c, actor=demo.agent)
    a.refresh_from_db()
    assert a.merged_into_id == c.pk
    c.refresh_from_db()
    assert c.user_count == 1


def test_merge_refuses_itself_merged_sources_and_merged_targets(demo, make_idea):
    a, b, c = make_idea("A"), make_idea("B"), make_idea("C")
    with pytest.raises(RuleViolation) as exc:
        services.merge_ideas(source=a, target=a, actor=demo.agent)
    assert exc.value.code == "merge_into_itself"
    services.merge_ideas(source=a, target=b, actor=demo.agent)
    with pytest.raises(RuleViolation) as exc:
        services.merge_ideas(source=a, target=c, actor=demo.agent)
    assert exc.value.code == "already_merged"
    with pytest.raises(RuleViolation) as exc:
        services.merge_ideas(source=c, target=a, actor=demo.agent)
    assert exc.value.code == "target_merged"

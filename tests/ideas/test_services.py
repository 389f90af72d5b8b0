"""Popularity: distinct organizations and people asking, by vote or by ticket, once each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.ideas import services
from supportal.ideas.models import Follower, Idea, Vote
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def counts(idea: Idea) -> tuple[int, int]:
    idea.refresh_from_db()
    return idea.org_count, idea.user_count


def test_voting_twice_counts_once(demo, make_idea):
    idea = make_idea()
    services.vote(idea=idea, user=demo.bob)
    services.vote(idea=idea, user=demo.bob)
    assert Vote.objects.filter(idea=idea).count() == 1
    assert counts(idea) == (1, 1)


def test_popularity_counts_organizations_and_people(demo, make_idea):
    idea = make_idea()
    for user in (demo.alice, demo.bob, demo.carol):
        services.vote(idea=idea, user=user)
    assert counts(idea) == (2, 3)  # Acme (alice, bob) and Bright Ink (carol)


def test_a_voter_who_also_filed_a_ticket_counts_once(demo, make_idea, file_request):
    idea = make_idea()
    services.vote(idea=idea, user=demo.bob)
    services.link_ticket(ticket=file_request(demo.bob), actor=demo.agent, idea=idea)
    services.link_ticket(ticket=file_request(demo.bob, "Again"), actor=demo.agent, idea=idea)
    assert counts(idea) == (1, 1)
    services.link_ticket(ticket=file_request(demo.carol), actor=demo.agent, idea=idea)
    assert counts(idea) == (2, 2)


def test_linking_a_ticket_again_or_elsewhere_moves_it(demo, make_idea, file_request):
    first, second = make_idea("One"), make_idea("Two")
    ticket = file_request(demo.carol)
    services.link_ticket(ticket=ticket, actor=demo.agent, idea=first)
    services.link_ticket(ticket=ticket, actor=demo.agent, idea=first)
    assert counts(first) == (1, 1)
    services.link_ticket(ticket=ticket, actor=demo.agent, idea=second)
    assert counts(first) == (0, 0)
    assert counts(second) == (1, 1)
    assert Follower.objects.filter(idea=second, user=demo.carol).exists()


def test_linking_without_an_idea_creates_one_from_the_ticket(demo, file_request):
    ticket = file_request(demo.alice, "Dark mode for the storefront")
    idea = services.link_ticket(ticket=ticket, actor=demo.agent)
    assert idea.title == "Dark mode for the storefront"
    assert idea.product.slug == "pressero"
    assert counts(idea) == (1, 1)


def test_only_feature_requests_go_on_the_board(demo, make_idea, file_request):
    ticket = file_request(demo.alice, "How do I?", kind=Ticket.Kind.QUESTION)
    with pytest.raises(RuleViolation) as exc:
        services.link_ticket(ticket=ticket, actor=demo.agent, idea=make_idea())
    assert exc.value.code == "not_feature_request"


def test_customers_cannot_link_merge_create_or_set_status(demo, make_idea, file_request):
    idea, other = make_idea("A"), make_idea("B")
    with pytest.raises(NotPermitted):
        services.link_ticket(ticket=file_request(demo.alice), actor=demo.alice, idea=idea)
    with pytest.raises(NotPermitted):
        services.merge_ideas(source=idea, target=other, actor=demo.alice)
    with pytest.raises(NotPermitted):
        services.create_idea(actor=demo.bob, title="Mine")
    with pytest.raises(NotPermitted):
        services.set_status(idea=idea, actor=demo.bob, status="planned")


def test_staff_do_not_vote(demo, make_idea):
    with pytest.raises(NotPermitted):
        services.vote(idea=make_idea(), user=demo.agent)


def test_trend_counts_only_the_last_90_days(demo, make_idea, file_request):
    idea = make_idea()
    old = file_request(demo.carol)
    Ticket.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=120))
    services.link_ticket(ticket=old, actor=demo.agent, idea=idea)
    services.vote(idea=idea, user=demo.bob)
    idea.refresh_from_db()
    assert (idea.user_count, idea.trend_count) == (2, 1)
    Vote.objects.filter(idea=idea).update(created_at=timezone.now() - timedelta(days=91))
    assert services.refresh_trends() == 1
    idea.refresh_from_db()
    assert idea.trend_count == 0 and idea.user_count == 2


def test_status_change_mails_followers_but_not_the_actor(
    demo, make_idea, django_capture_on_commit_callbacks
):
    idea = make_idea()
    services.vote(idea=idea, user=demo.bob)  # voters follow
    services.set_following(idea=idea, user=demo.carol, follow=True)
    services.set_following(idea=idea, user=demo.agent, follow=True)
    services.set_following(idea=idea, user=demo.carol, follow=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(idea=idea, actor=demo.agent, status="planned", note="Next quarter.")
    assert [m.to for m in mail.outbox] == [[demo.bob.email]]
    assert "Planned" in mail.outbox[0].subject and "Next quarter." in mail.outbox[0].body
    idea.refresh_from_db()
    assert (idea.status, idea.status_note) == ("planned", "Next quarter.")
    with pytest.raises(RuleViolation):
        services.set_status(idea=idea, actor=demo.agent, status="planned", note="Next quarter.")
    with pytest.raises(InvalidInput):
        services.set_status(idea=idea, actor=demo.agent, status="someday")


def test_comments_need_text_and_make_the_author_follow(demo, make_idea):
    idea = make_idea()
    with pytest.raises(InvalidInput):
        services.add_comment(idea=idea, author=demo.carol, body="  ")
    services.add_comment(idea=idea, author=demo.carol, body="Yes please")
    assert Follower.objects.filter(idea=idea, user=demo.carol).exists()

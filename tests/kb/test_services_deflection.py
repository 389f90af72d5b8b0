"""Deflection counting, "this solved my question", helpfulness votes, search gaps."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supportal.core.errors import NotPermitted
from supportal.kb import queries, services
from supportal.kb.models import ArticleVote, DeflectionEvent, SearchGap
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def insight_for(article):
    return next(row for row in queries.article_insights() if row.article.pk == article.pk)


def test_opening_a_suggestion_then_filing_a_ticket_is_not_a_deflection(demo, write_article):
    article = write_article("Shipping methods")
    event = services.open_suggestion(user=demo.bob, article=article, query="shipping")

    ticket = make_ticket(demo.bob)

    event.refresh_from_db()
    assert event.ticket == ticket
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        row = insight_for(article)
    assert (row.opened, row.filed, row.deflections) == (1, 1, 0)


def test_leaving_without_filing_counts_once_the_window_has_passed(demo, write_article, settings):
    settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES = 30
    article = write_article("Shipping methods")
    services.open_suggestion(user=demo.bob, article=article, query="shipping")

    assert insight_for(article).deflections == 0  # still inside the window
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert insight_for(article).left == 1


def test_a_ticket_filed_after_the_window_does_not_undo_the_deflection(demo, write_article):
    article = write_article("Shipping methods")
    event = services.open_suggestion(user=demo.bob, article=article, query="shipping")

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        make_ticket(demo.bob)
        event.refresh_from_db()
        assert event.ticket is None
        assert insight_for(article).left == 1


def test_another_persons_ticket_does_not_convert_my_suggestion(demo, write_article):
    article = write_article("Shipping methods")
    event = services.open_suggestion(user=demo.bob, article=article, query="shipping")

    make_ticket(demo.alice)

    event.refresh_from_db()
    assert event.ticket is None


def test_solved_counts_explicitly_and_survives_a_later_ticket(demo, write_article):
    article = write_article("Shipping methods")
    event = services.open_suggestion(user=demo.bob, article=article, query="shipping")

    services.mark_solved(event=event, user=demo.bob)
    services.mark_solved(event=event, user=demo.bob)  # twice is still once
    make_ticket(demo.bob)

    event.refresh_from_db()
    assert event.solved_at is not None and event.ticket is None
    row = insight_for(article)
    assert (row.solved, row.deflections) == (1, 1)


def test_only_the_opener_may_mark_a_suggestion_solved(demo, write_article):
    event = services.open_suggestion(
        user=demo.bob, article=write_article("Shipping"), query="shipping"
    )

    with pytest.raises(NotPermitted):
        services.mark_solved(event=event, user=demo.alice)


def test_staff_opening_suggestions_are_not_counted(demo, write_article):
    assert services.open_suggestion(user=demo.agent, article=write_article("X"), query="") is None
    assert not DeflectionEvent.objects.exists()


def test_voting_again_changes_the_vote(demo, write_article):
    article = write_article("Shipping methods")
    services.vote_on_article(article=article, user=demo.bob, helpful=True)
    services.vote_on_article(article=article, user=demo.bob, helpful=False)
    services.vote_on_article(article=article, user=demo.alice, helpful=True)

    assert ArticleVote.objects.filter(article=article).count() == 2
    row = insight_for(article)
    assert (row.helpful, row.not_helpful) == (1, 1)


def test_search_gaps_are_counted_by_their_words(demo):
    services.record_search_gap(query="Barcode  scanner?", product="pjm")
    services.record_search_gap(query="barcode scanner", product="pjm")
    services.record_search_gap(query="  ", product=None)

    (gap,) = SearchGap.objects.all()
    assert (gap.query, gap.product_slug, gap.count) == ("barcode scanner", "pjm", 2)


def test_filing_leaves_solved_and_already_linked_suggestions_alone(demo, write_article):
    article = write_article("Shipping methods")
    solved = services.open_suggestion(user=demo.bob, article=article, query="shipping")
    services.mark_solved(event=solved, user=demo.bob)
    earlier = services.open_suggestion(user=demo.bob, article=article, query="rates")
    first = make_ticket(demo.bob)
    opened_since = services.open_suggestion(user=demo.bob, article=article, query="zones")

    second = make_ticket(demo.bob)

    for event in (solved, earlier, opened_since):
        event.refresh_from_db()
    assert solved.ticket is None and solved.solved_at is not None  # an explicit deflection
    assert earlier.ticket == first  # stays with the ticket it led to
    assert opened_since.ticket == second
    assert services.record_ticket_filed(ticket=second) == 0  # nothing left to convert

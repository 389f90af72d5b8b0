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
    services.open_suggestion(user=demo.bob, article=article, query="shipping")

    make_ticket(demo.bob)

    assert insight_for(article).filed == 1
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
    services.open_suggestion(user=demo.bob, article=article, query="shipping")

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        make_ticket(demo.bob)
        row = insight_for(article)
        assert (row.left, row.filed, row.deflections) == (1, 0, 1)


def test_another_persons_ticket_does_not_convert_my_suggestion(demo, write_article):
    article = write_article("Shipping methods")
    services.open_suggestion(user=demo.bob, article=article, query="shipping")

    make_ticket(demo.alice)

    assert insight_for(article).filed == 0
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert insight_for(article).left == 1


def test_solved_counts_explicitly_and_survives_a_later_ticket(demo, write_article):
    article = write_article("Shipping methods")
    event = services.open_suggestion(user=demo.bob, article=article, query="shipping")

    services.mark_solved(event=event, user=demo.bob)
    services.mark_solved(event=event, user=demo.bob)  # twice is still once
    make_ticket(demo.bob)

    event.refresh_from_db()
    assert event.solved_at is not None
    row = insight_for(article)
    assert (row.solved, row.filed, row.deflections) == (1, 0, 1)


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


def test_each_suggestion_is_judged_by_the_tickets_after_it(demo, write_article, settings):
    settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES = 30
    article = write_article("Shipping methods")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        solved = services.open_suggestion(user=demo.bob, article=article, query="shipping")
        services.mark_solved(event=solved, user=demo.bob)
        services.open_suggestion(user=demo.bob, article=article, query="rates")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        make_ticket(demo.bob)  # follows "rates"
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        services.open_suggestion(user=demo.bob, article=article, query="zones")
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        make_ticket(demo.bob)  # follows "zones", 25 minutes on
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        services.open_suggestion(user=demo.bob, article=article, query="labels")
    with time_machine.travel(start + timedelta(minutes=85), tick=False):
        make_ticket(demo.bob)  # 35 minutes after "labels": outside its window
    with time_machine.travel(start + timedelta(hours=3)):
        row = insight_for(article)
    # "shipping" solved (a ticket after it does not undo that), "rates" and "zones" led to
    # tickets, "labels" was left: its ticket came after the window.
    assert (row.opened, row.solved, row.filed, row.left, row.deflections) == (4, 1, 2, 1, 2)


def test_a_suggestion_solved_after_the_ticket_it_led_to_counts_both(demo, write_article):
    article = write_article("Shipping methods")
    event = services.open_suggestion(user=demo.bob, article=article, query="shipping")
    make_ticket(demo.bob)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.mark_solved(event=event, user=demo.bob)
        row = insight_for(article)
    assert (row.solved, row.filed, row.deflections) == (1, 1, 1)

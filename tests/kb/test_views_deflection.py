"""The new-ticket suggestions, their tracking link, "this solved my question", insights."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.kb.models import Article, DeflectionEvent
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_new_ticket_form_carries_the_htmx_suggestions_container(kb, client_for):
    html = client_for(kb.bob).get(reverse("tickets:new")).content.decode()

    assert 'id="kb-suggestions"' in html
    assert f'hx-get="{reverse("kb:suggest")}"' in html
    assert "keyup changed delay:400ms" in html


def test_suggestions_list_matching_published_articles_through_tracking_links(kb, client_for):
    response = client_for(kb.bob).get(
        reverse("kb:suggest"),
        {"subject": "how do I add a shipping meth", "description": "", "product": "pressero"},
    )

    html = response.content.decode()
    article = Article.objects.get(title="How to add a shipping method")
    assert "How to add a shipping method" in html
    assert reverse("kb:suggestion_open", args=[article.pk]) in html
    assert "<html" not in html


def test_suggestions_are_empty_for_empty_or_hostile_text(kb, client_for):
    client = client_for(kb.bob)
    for subject in ("", '"(*^ AND NEAR', "\x00"):
        response = client.get(reverse("kb:suggest"), {"subject": subject})
        # A NUL character is refused for every page (core.middleware.NulCharacterMiddleware).
        assert response.status_code == (400 if "\x00" in subject else 200)
        assert "kb-suggestion" not in response.content.decode()


def test_opening_a_suggestion_records_it_and_offers_the_solved_button(kb, client_for):
    article = Article.objects.get(title="How to add a shipping method")
    client = client_for(kb.bob)

    response = client.get(reverse("kb:suggestion_open", args=[article.pk]), {"q": "shipping"})

    event = DeflectionEvent.objects.get()
    assert (event.user, event.article, event.query) == (kb.bob, article, "shipping")
    assert response["Location"] == f"{article.get_absolute_url()}?suggestion={event.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "This solved my question" in page


def test_solved_returns_to_my_tickets_without_filing(kb, client_for):
    article = Article.objects.get(title="How to add a shipping method")
    client = client_for(kb.bob)
    client.get(reverse("kb:suggestion_open", args=[article.pk]))
    event = DeflectionEvent.objects.get()

    response = client.post(reverse("kb:suggestion_solved", args=[event.pk]))

    assert response["Location"] == reverse("tickets:list")
    event.refresh_from_db()
    assert event.solved_at is not None
    assert not Ticket.objects.exists()


def test_someone_elses_suggestion_is_not_found(kb, client_for):
    article = Article.objects.get(title="How to add a shipping method")
    client_for(kb.bob).get(reverse("kb:suggestion_open", args=[article.pk]))
    event = DeflectionEvent.objects.get()

    response = client_for(kb.alice).post(reverse("kb:suggestion_solved", args=[event.pk]))

    assert response.status_code == 404


def test_insights_show_deflections_votes_and_gaps_to_staff(kb, client_for):
    article = Article.objects.get(title="How to add a shipping method")
    customer = client_for(kb.bob)
    customer.get(reverse("kb:suggestion_open", args=[article.pk]))
    customer.post(reverse("kb:suggestion_solved", args=[DeflectionEvent.objects.get().pk]))
    customer.post(reverse("kb:article_vote", args=[article.slug]), {"helpful": "yes"})
    customer.get(reverse("kb:index"), {"q": "barcode scanner"})

    html = client_for(kb.manager).get(reverse("kb:insights")).content.decode()

    assert "How to add a shipping method" in html
    assert "barcode scanner" in html

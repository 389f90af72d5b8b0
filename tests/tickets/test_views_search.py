"""The search page (tickets:search), saved views and tags on the ticket page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from supportal.tickets import services
from supportal.tickets.models import AuditEvent, SavedView
from supportal.tickets.tags import add_tag
from tests.factories import make_ticket
from tests.training import train

from .pages import assert_csp_clean

pytestmark = pytest.mark.django_db

SEARCH = reverse("tickets:search")


def numbers_in(html: str) -> list[str]:
    return re.findall(r'class="ticket-link" href="[^"]+">(SUP-\d+)</a>', html)


@pytest.fixture
def tickets(demo):
    train(demo.carol, "pjm")
    return {
        "bob": make_ticket(demo.bob, subject="Storefront DNS not resolving"),
        "alice": make_ticket(demo.alice, subject="Invoice totals wrong"),
        "carol": make_ticket(demo.carol, product="pjm", subject="Printer queue stuck"),
    }


def test_agent_searches_words_and_filters(demo, client_for, tickets):
    client = client_for(demo.agent)
    response = client.get(SEARCH, {"q": "invoice status:new"})
    assert response.status_code == 200
    html = response.content.decode()
    assert numbers_in(html) == [tickets["alice"].number]
    assert response.headers["X-Search-Count"] == "1"
    assert_csp_clean(response)


def test_agent_without_a_query_sees_the_queue_view(demo, client_for, tickets):
    response = client_for(demo.agent).get(SEARCH)
    assert set(numbers_in(response.content.decode())) == {t.number for t in tickets.values()}
    assert 'value="is:open order:queue"' in response.content.decode()


def test_customer_searches_only_their_own_tickets(demo, client_for, tickets):
    html = client_for(demo.carol).get(SEARCH, {"q": "invoice"}).content.decode()
    assert numbers_in(html) == []
    html = client_for(demo.carol).get(SEARCH, {"q": "printer"}).content.decode()
    assert numbers_in(html) == [tickets["carol"].number]
    assert "Views" not in html and "Save this search" not in html


def test_internal_note_words_find_nothing_for_the_customer(demo, client_for, tickets):
    services.add_reply(
        ticket=tickets["bob"], author=demo.agent, body="Registrar is zanzibar.", internal=True
    )
    assert numbers_in(client_for(demo.bob).get(SEARCH, {"q": "zanzibar"}).content.decode()) == []
    html = client_for(demo.agent).get(SEARCH, {"q": "zanzibar"}).content.decode()
    assert numbers_in(html) == [tickets["bob"].number]


def test_typed_text_is_escaped_and_a_bad_filter_is_explained(demo, client_for, tickets):
    response = client_for(demo.agent).get(SEARCH, {"q": "<script>x</script> status:opne"})
    html = response.content.decode()
    assert "<script>x</script>" not in html
    assert "status:opne is not a status" in html
    assert numbers_in(html) == []


def test_agent_saves_a_view_and_sees_its_count(demo, client_for, tickets):
    client = client_for(demo.agent)
    response = client.post(
        reverse("tickets:save_view"),
        {"name": "Printers", "query": "printer", "visibility": "team"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get(name="Printers")
    assert view.owner == demo.agent and view.visibility == "team"
    counts = client.get(reverse("tickets:view_counts")).content.decode()
    assert re.search(r">Queue</a>\s*<span class=\"badge\" data-count>3</span>", counts)
    assert re.search(r">Printers</a>\s*<span class=\"badge\" data-count>1</span>", counts)
    # A colleague sees the team view; a customer gets no view counts at all.
    assert (
        "Printers" in client_for(demo.manager).get(reverse("tickets:view_counts")).content.decode()
    )
    assert client_for(demo.bob).get(reverse("tickets:view_counts")).status_code == 404


def test_only_the_owner_deletes_a_personal_view(demo, client_for, tickets):
    view = SavedView.objects.create(owner=demo.agent, name="Mine", query="is:open")
    other = client_for(demo.agent_es).post(reverse("tickets:delete_view", args=[view.pk]))
    assert other.status_code == 404
    client_for(demo.agent).post(reverse("tickets:delete_view", args=[view.pk]))
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_customer_cannot_save_views(demo, client_for, tickets):
    response = client_for(demo.alice).post(
        reverse("tickets:save_view"), {"name": "x", "query": "invoice", "visibility": "personal"}
    )
    assert response.status_code == 404
    assert not SavedView.objects.exists()


def test_agent_tags_and_untags_on_the_ticket_page(demo, client_for, tickets):
    client = client_for(demo.agent)
    ticket = tickets["bob"]
    client.post(reverse("tickets:add_tag", args=[ticket.pk]), {"name": "DNS"})
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'class="tag"' in page and ">dns</a>" in page
    assert numbers_in(client.get(SEARCH, {"q": "tag:dns"}).content.decode()) == [ticket.number]
    client.post(reverse("tickets:remove_tag", args=[ticket.pk]), {"name": "dns"})
    assert list(ticket.tags.all()) == []
    actions = list(
        AuditEvent.objects.filter(ticket=ticket, action__in=["tagged", "untagged"]).values_list(
            "action", flat=True
        )
    )
    assert actions == ["tagged", "untagged"]


def test_customers_neither_see_nor_set_tags(demo, client_for, tickets):
    add_tag(ticket=tickets["bob"], actor=demo.agent, name="angry")
    page = client_for(demo.bob).get(tickets["bob"].get_absolute_url()).content.decode()
    assert "angry" not in page
    response = client_for(demo.bob).post(
        reverse("tickets:add_tag", args=[tickets["bob"].pk]), {"name": "x"}
    )
    assert response.status_code == 404
    assert [t.name for t in tickets["bob"].tags.all()] == ["angry"]

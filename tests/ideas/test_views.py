"""Ideas pages: the board, voting with htmx, comments, and the staff link panel on tickets."""

from __future__ import annotations

import pytest

from supportal.ideas import services
from supportal.ideas.models import TicketLink

pytestmark = pytest.mark.django_db


def test_board_needs_login_and_lists_open_ideas(client, demo, make_idea):
    keep, dup = make_idea("Keep me"), make_idea("Duplicate")
    services.merge_ideas(source=dup, target=keep, actor=demo.agent)
    assert client.get("/ideas/").status_code == 302
    client.force_login(demo.carol)
    page = client.get("/ideas/").content.decode()
    assert "Keep me" in page and "Duplicate" not in page
    assert client.get(dup.get_absolute_url()).url == keep.get_absolute_url()


def test_vote_by_htmx_returns_the_counter(client, demo, make_idea):
    idea = make_idea()
    client.force_login(demo.carol)
    response = client.post(
        f"/ideas/{idea.pk}/vote/", {"action": "vote"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Voted" in response.content.decode()
    idea.refresh_from_db()
    assert idea.user_count == 1
    client.force_login(demo.agent)
    assert client.post(f"/ideas/{idea.pk}/vote/", {"action": "vote"}).status_code == 403


def test_comment_is_rendered_sanitised(client, demo, make_idea):
    idea = make_idea()
    client.force_login(demo.carol)
    client.post(f"/ideas/{idea.pk}/comment/", {"body": "**yes** <img src=x onerror=alert(1)>"})
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "<strong>yes</strong>" in page and "<img src=x" not in page  # shown as text


def test_link_panel_on_feature_request_tickets_links_them(client, demo, make_idea, file_request):
    idea = make_idea("Bulk export")
    ticket = file_request(demo.carol)
    question = file_request(demo.carol, "How?", kind="question")
    client.force_login(demo.agent)
    assert b'id="idea-link"' in client.get(ticket.get_absolute_url()).content
    assert b'id="idea-link"' not in client.get(question.get_absolute_url()).content
    response = client.post(f"/ideas/link-ticket/{ticket.pk}/", {"idea": idea.pk})
    assert response.status_code == 302
    assert TicketLink.objects.get(ticket=ticket).idea_id == idea.pk
    assert b"Counts for" in client.get(ticket.get_absolute_url()).content
    client.force_login(demo.carol)
    assert b'id="idea-link"' not in client.get(ticket.get_absolute_url()).content
    assert client.post(f"/ideas/link-ticket/{ticket.pk}/", {"idea": ""}).status_code == 403


def test_staff_set_status_and_merge_from_the_idea_page(client, demo, make_idea):
    idea, dup = make_idea("Main"), make_idea("Dup")
    client.force_login(demo.manager)
    response = client.post(f"/ideas/{idea.pk}/status/", {"status": "shipped", "note": "In 7.2"})
    assert response.status_code == 302
    assert "In 7.2" in client.get(idea.get_absolute_url()).content.decode()
    response = client.post(f"/ideas/{dup.pk}/merge/", {"target": idea.pk})
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.merged_into_id == idea.pk

"""Smaller holes an outside attack pass found (issue 19, item 10): the ideas vote's
``next`` sent voters to any site and answered 500 to a value that is not an address; the
chat widget's token endpoint took the session cookie without a CSRF token, so another site
could have a signed-in customer's browser fetch one."""

from __future__ import annotations

import pytest
from django.test import Client

from supportal.ideas import services as idea_services
from supportal.ideas.models import Idea

from .world import api_token_for


@pytest.fixture
def idea(demo) -> Idea:
    return idea_services.create_idea(actor=demo.agent, title="Bulk export")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "https:/evil.example",
        "javascript:alert(1)",
        "ideas:board",  # a view name: redirect() would reverse it
        "not a url",
        "tickets:detail",  # a view name that needs arguments: NoReverseMatch, a 500
    ],
)
def test_the_vote_never_redirects_off_site_nor_fails_on_its_next(
    client, demo, idea: Idea, target: str
) -> None:
    client.force_login(demo.carol)
    response = client.post(f"/ideas/{idea.pk}/vote/", {"action": "vote", "next": target})
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert idea.votes.filter(user=demo.carol).exists()


def test_the_vote_follows_a_next_on_this_site(client, demo, idea: Idea) -> None:
    client.force_login(demo.carol)
    response = client.post(f"/ideas/{idea.pk}/vote/", {"action": "vote", "next": "/ideas/?q=x"})
    assert response["Location"] == "/ideas/?q=x"


def test_the_widget_token_needs_the_csrf_token_with_the_session_cookie(demo) -> None:
    """A cross-site POST carries the cookie but cannot know the CSRF token: 403, no token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo.bob)
    forged = browser.post("/chat/embed/token/")
    assert forged.status_code == 403
    browser.get("/chat/")  # a page of the portal sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    same_site = browser.post("/chat/embed/token/", headers={"X-CSRFToken": csrf})
    assert same_site.status_code == 200, same_site.content
    assert same_site.json()["token"]


def test_the_widget_token_takes_a_bearer_token_without_csrf(demo) -> None:
    """The widget's server asks with the customer's API token: no cookie, no CSRF."""
    bearer = api_token_for(demo.bob)
    response = Client(enforce_csrf_checks=True).post(
        "/chat/embed/token/", headers={"Authorization": f"Bearer {bearer}"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["token"]

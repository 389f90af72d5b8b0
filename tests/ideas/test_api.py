"""/api/v1/ideas: list, read, create (staff), vote, withdraw, merge (staff)."""

from __future__ import annotations

import pytest

from supportal.ideas import services
from tests.api.client import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(demo, client) -> ApiClient:
    return ApiClient(client)


def test_staff_create_and_customers_may_not(api, demo):
    response = api.post("/ideas", {"title": "Dark mode", "product": "pressero"}, user=demo.agent)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Dark mode" and body["product"] == "pressero"
    assert body["status"] == "under_review"
    assert (body["organizations"], body["users"], body["trend"]) == (0, 0, 0)
    assert body["url"] == f"/ideas/{body['id']}/"
    assert api.post("/ideas", {"title": "Mine"}, user=demo.bob).status_code == 403
    bad = api.post("/ideas", {"title": "x", "product": "nope"}, user=demo.agent)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "product"
    assert api.post("/ideas", {"title": ""}, user=demo.agent).status_code == 422


def test_vote_is_idempotent_and_withdrawable(api, demo, make_idea):
    idea = make_idea()
    for _ in range(2):
        response = api.post(f"/ideas/{idea.pk}/vote", user=demo.carol)
        assert response.status_code == 200
        assert (response.json()["organizations"], response.json()["users"]) == (1, 1)
    response = api.client.delete(
        f"/api/v1/ideas/{idea.pk}/vote",
        headers={"Authorization": f"Bearer {api.token(demo.carol)}"},
    )
    assert response.status_code == 200 and response.json()["users"] == 0
    assert api.post(f"/ideas/{idea.pk}/vote", user=demo.agent).status_code == 403
    assert api.post("/ideas/999999/vote", user=demo.carol).status_code == 404
    assert api.post(f"/ideas/{idea.pk}/vote").status_code == 401


def test_list_sorts_by_popularity_trend_and_newest(api, demo, make_idea):
    quiet, popular = make_idea("Quiet"), make_idea("Popular")
    make_idea("Newest")
    for user in (demo.alice, demo.carol):
        services.vote(idea=popular, user=user)
    services.vote(idea=quiet, user=demo.bob)
    titles = lambda **q: [i["title"] for i in api.get("/ideas", user=demo.bob, **q).json()["items"]]  # noqa: E731
    assert titles() == ["Popular", "Quiet", "Newest"]
    assert titles(sort="trend") == ["Popular", "Quiet", "Newest"]
    assert titles(sort="new") == ["Newest", "Popular", "Quiet"]
    page = api.get("/ideas", user=demo.bob, limit=2).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get("/ideas", user=demo.bob, limit=2, cursor=page["next_cursor"]).json()
    assert [i["title"] for i in rest["items"]] == ["Newest"] and rest["next_cursor"] is None
    assert api.get("/ideas", user=demo.bob, sort="random").status_code == 422


def test_merge_answers_the_surviving_idea(api, demo, make_idea):
    keep, dup = make_idea("Keep"), make_idea("Dup")
    services.vote(idea=keep, user=demo.bob)
    services.vote(idea=dup, user=demo.bob)
    services.vote(idea=dup, user=demo.carol)
    assert (
        api.post(f"/ideas/{dup.pk}/merge", {"into_id": keep.pk}, user=demo.bob).status_code == 403
    )
    response = api.post(f"/ideas/{dup.pk}/merge", {"into_id": keep.pk}, user=demo.agent)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["users"]) == (keep.pk, 2)
    again = api.post(f"/ideas/{dup.pk}/merge", {"into_id": keep.pk}, user=demo.agent)
    assert again.status_code == 409 and again.json()["code"] == "already_merged"
    assert api.get(f"/ideas/{dup.pk}", user=demo.bob).json()["merged_into_id"] == keep.pk
    assert api.get("/ideas", user=demo.bob).json()["items"][0]["id"] == keep.pk
    missing = api.post(f"/ideas/{keep.pk}/merge", {"into_id": 999999}, user=demo.agent)
    assert missing.status_code == 404

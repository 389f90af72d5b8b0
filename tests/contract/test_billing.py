"""API.md, Billing: time, notices and consent, confirmed bugs, expert hours, over real HTTP."""

from __future__ import annotations

import pytest

from supportal.billing.models import TimeEntry


def file(http, user, **fields) -> int:
    body = {
        "product": "pressero",
        "kind": "question",
        "subject": "Shipping setup",
        "description": "We want next-day delivery.",
    }
    response = http.post("/api/v1/tickets", {**body, **fields}, user=user)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_support_time_until_the_allowance_then_409(http, demo_live):
    ticket = file(http, demo_live.alice)
    path = f"/api/v1/tickets/{ticket}/time"
    first = http.post(
        path, {"minutes": 12, "category": "support", "note": "Looked"}, user=demo_live.agent
    )
    assert first.status_code == 201
    assert first.json()["billable"] is False and first.json()["amount"] == "0.00"
    refused = http.post(
        path, {"minutes": 4, "category": "support", "note": ""}, user=demo_live.agent
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "support_allowance_reached"


def test_billable_time_needs_an_accepted_notice(http, demo_live):
    ticket = file(http, demo_live.alice)
    time_path = f"/api/v1/tickets/{ticket}/time"
    body = {"minutes": 90, "category": "ps_admin", "note": "Built the shipping table"}
    refused = http.post(time_path, body, user=demo_live.agent)
    assert (refused.status_code, refused.json()["code"]) == (409, "consent_required")

    notice = http.post(
        f"/api/v1/tickets/{ticket}/notices",
        {"category": "ps_admin", "estimate_minutes": 300, "message": "Beyond support"},
        user=demo_live.agent,
    )
    assert notice.status_code == 201
    created = notice.json()
    assert (created["status"], created["rate"], created["amount"]) == (
        "pending",
        "125.00",
        "625.00",
    )
    assert http.post(time_path, body, user=demo_live.agent).json()["code"] == "consent_required"

    accept = f"/api/v1/notices/{created['id']}/accept"
    for outsider in (demo_live.carol, demo_live.bob, demo_live.agent):
        assert http.post(accept, user=outsider).status_code == 404
    accepted = http.post(accept, user=demo_live.alice)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["decided_by_id"] == demo_live.alice.pk

    logged = http.post(time_path, body, user=demo_live.agent)
    assert logged.status_code == 201
    # Acme's HV plan: 3 expert hours this quarter cover the 90 minutes.
    assert (logged.json()["expert_minutes"], logged.json()["amount"]) == (90, "0.00")
    hours = http.get("/api/v1/billing/expert-hours", user=demo_live.alice)
    assert hours.status_code == 200
    assert hours.json() == {
        "quarter": hours.json()["quarter"],
        "included_hours": "3.00",
        "used_hours": "1.50",
        "remaining_hours": "1.50",
    }


def test_decline_and_roles(http, demo_live):
    ticket = file(http, demo_live.carol, product="pjm")
    notices = f"/api/v1/tickets/{ticket}/notices"
    body = {"category": "training", "estimate_minutes": 60, "message": "One-on-one training"}
    assert http.post(notices, body, user=demo_live.carol).status_code == 403
    assert http.post(notices, body, user=None).status_code == 401
    created = http.post(notices, body, user=demo_live.agent).json()
    assert (
        http.post(f"/api/v1/notices/{created['id']}/decline", user=demo_live.alice).status_code
        == 404
    )
    declined = http.post(f"/api/v1/notices/{created['id']}/decline", user=demo_live.carol)
    assert (declined.status_code, declined.json()["status"]) == (200, "declined")
    again = http.post(f"/api/v1/notices/{created['id']}/accept", user=demo_live.carol)
    assert again.status_code == 409
    assert http.post("/api/v1/notices/999999/accept", user=demo_live.carol).status_code == 404


def test_confirmed_bug_waives_and_support_has_no_limit(http, demo_live):
    ticket = file(http, demo_live.bob, kind="bug")
    assert http.post(f"/api/v1/tickets/{ticket}/bug", user=demo_live.bob).status_code == 403
    marked = http.post(f"/api/v1/tickets/{ticket}/bug", user=demo_live.agent)
    assert marked.status_code == 200 and marked.json()["confirmed_bug"] is True
    logged = http.post(
        f"/api/v1/tickets/{ticket}/time",
        {"minutes": 120, "category": "support", "note": "Fix"},
        user=demo_live.agent,
    )
    assert logged.status_code == 201
    assert http.post(f"/api/v1/tickets/{ticket}/bug", user=demo_live.carol).status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"minutes": 0, "category": "support", "note": ""}, {"minutes"}),
        ({"minutes": 10, "category": "coffee", "note": ""}, {"category"}),
        ({"category": "support"}, {"minutes"}),
    ],
)
def test_invalid_time_is_422_naming_the_field(http, demo_live, body, fields):
    ticket = file(http, demo_live.alice)
    response = http.post(f"/api/v1/tickets/{ticket}/time", body, user=demo_live.agent)
    assert response.status_code == 422
    assert {item["loc"][-1] for item in response.json()["detail"]} == fields
    assert not TimeEntry.objects.exists()


def test_expert_hours_are_for_customer_admins(http, demo_live):
    assert http.get("/api/v1/billing/expert-hours", user=demo_live.bob).status_code == 403
    assert http.get("/api/v1/billing/expert-hours", user=demo_live.agent).status_code == 403
    assert http.get("/api/v1/billing/expert-hours").status_code == 401
    carol = http.get("/api/v1/billing/expert-hours", user=demo_live.carol)
    assert carol.status_code == 403


def test_billing_summary_gives_the_organizations_free_minutes_and_the_suggestion(http, demo_live):
    """Issue 18: the free minutes are Acme's for the day, across its tickets; a ticket that
    mentions the API is not professional services, it suggests the technical category."""
    first = file(http, demo_live.bob)
    second = file(http, demo_live.alice, kind="bug", subject="API returns 500 on orders")
    logged = http.post(
        f"/api/v1/tickets/{first}/time",
        {"minutes": 12, "category": "support", "note": ""},
        user=demo_live.agent,
    )
    assert logged.status_code == 201
    refused = http.post(
        f"/api/v1/tickets/{second}/time",
        {"minutes": 4, "category": "support", "note": ""},
        user=demo_live.agent,
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "support_allowance_reached")

    summary = http.get(f"/api/v1/tickets/{second}/billing", user=demo_live.alice)
    assert summary.status_code == 200
    body = summary.json()
    assert (body["professional_services"], body["suggested_category"]) == (False, "ps_technical")
    assert body["suggestion_reason"] == "mentions api"
    allowance = body["allowance"]
    assert (allowance["window"], allowance["time_zone"]) == ("day", "America/Chicago")
    assert (allowance["allowance_minutes"], allowance["used_minutes"]) == (15, 12)
    assert (allowance["remaining_minutes"], allowance["reached"]) == (3, False)
    assert body["deliveries"] == [] and body["billed_amount"] == "0.00"
    assert http.get(f"/api/v1/tickets/{second}/billing", user=demo_live.carol).status_code == 404
    assert http.get(f"/api/v1/tickets/{second}/billing").status_code == 401


def test_accepted_work_has_a_turn_time_that_staff_mark_delivered(http, demo_live):
    ticket = file(http, demo_live.alice)
    created = http.post(
        f"/api/v1/tickets/{ticket}/notices",
        {"category": "ps_admin", "estimate_minutes": 60, "message": "Beyond support"},
        user=demo_live.agent,
    ).json()
    assert created["due_at"] is None  # counted from the acceptance
    http.post(f"/api/v1/notices/{created['id']}/accept", user=demo_live.alice)
    [delivery] = http.get(f"/api/v1/tickets/{ticket}/billing", user=demo_live.alice).json()[
        "deliveries"
    ]
    assert delivery["notice_id"] == created["id"] and delivery["due_at"] is not None
    assert delivery["state"] in ("on_track", "due_soon") and delivery["delivered_at"] is None
    path = f"/api/v1/tickets/{ticket}/deliveries/{delivery['id']}/delivered"
    assert http.post(path, user=demo_live.alice).status_code == 403
    assert http.post(path, user=demo_live.carol).status_code == 404
    missing = f"/api/v1/tickets/{ticket}/deliveries/{delivery['id'] + 99}/delivered"
    assert http.post(missing, user=demo_live.agent).status_code == 404
    done = http.post(path, user=demo_live.agent)
    assert done.status_code == 200
    assert done.json()["state"] == "delivered" and done.json()["delivered_at"] is not None

"""API.md, Chat: GET /api/v1/chat/eligibility?product= over real HTTP."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from supportal.chat import services

# The contract's fields, and one added since (additively): training for the product.
FIELDS = {
    "eligible",
    "plan_eligible",
    "product_eligible",
    "open_now",
    "agent_available",
    "reason",
    "training_attended",
}
OPEN = datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("America/Chicago"))  # a Wednesday


@pytest.fixture
def open_with_agent(demo_live):
    with time_machine.travel(OPEN, tick=True):
        services.set_availability(agent=demo_live.agent, available=True)
        services.console_connected(agent=demo_live.agent, channel_name="contract-console")
        yield demo_live


def test_hv_customer_is_eligible_for_pressero(http, open_with_agent):
    response = http.get("/api/v1/chat/eligibility", user=open_with_agent.bob, product="pressero")
    assert response.status_code == 200
    assert response.json() == {
        "eligible": True,
        "plan_eligible": True,
        "product_eligible": True,
        "open_now": True,
        "agent_available": True,
        "reason": None,
        "training_attended": True,
    }


def test_basic_plan_customer_is_told_why_not(http, open_with_agent):
    response = http.get("/api/v1/chat/eligibility", user=open_with_agent.carol, product="pjm")
    body = response.json()
    assert response.status_code == 200 and set(body) == FIELDS
    assert body["eligible"] is False and body["plan_eligible"] is False
    assert body["product_eligible"] is False
    assert isinstance(body["reason"], str) and body["reason"]


def test_product_without_chat_is_not_eligible(http, open_with_agent):
    body = http.get("/api/v1/chat/eligibility", user=open_with_agent.alice, product="tflow").json()
    assert (body["eligible"], body["plan_eligible"], body["product_eligible"]) == (
        False,
        True,
        False,
    )


def test_no_agent_online_is_reported(http, demo_live):
    with time_machine.travel(OPEN, tick=True):
        body = http.get("/api/v1/chat/eligibility", user=demo_live.bob, product="pressero").json()
    assert body["agent_available"] is False and body["eligible"] is False


def test_unknown_or_missing_product_is_422(http, demo_live):
    for params in ({"product": "photoshop"}, {}):
        response = http.get("/api/v1/chat/eligibility", user=demo_live.bob, **params)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "product"


def test_eligibility_needs_a_token(http, demo_live):
    assert http.get("/api/v1/chat/eligibility", product="pressero").status_code == 401

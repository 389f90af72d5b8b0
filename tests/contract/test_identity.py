"""API.md, Identity: GET /api/v1/me for every role."""

from __future__ import annotations

import pytest

ROLES = {
    "alice": "customer_admin",
    "bob": "customer",
    "carol": "customer",
    "agent": "agent",
    "agent_es": "agent",
    "ps": "professional_services",
    "manager": "manager",
}


@pytest.mark.parametrize(("persona", "role"), ROLES.items())
def test_me_for_each_role(http, demo_live, persona, role):
    user = getattr(demo_live, persona)
    response = http.get("/api/v1/me", user=user)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "email", "name", "role", "organization"}
    assert (body["id"], body["email"], body["name"], body["role"]) == (
        user.pk,
        user.email,
        user.name,
        role,
    )
    if user.organization is None:
        assert body["organization"] is None
    else:
        assert body["organization"] == {
            "id": user.organization.pk,
            "name": user.organization.name,
            "plan": user.organization.plan.code,
        }

"""GET /api/v1/me: the caller, with the organization and plan for customers."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "role", "organization"),
    [
        ("alice", "customer_admin", ("Acme Print", "hv")),
        ("bob", "customer", ("Acme Print", "hv")),
        ("carol", "customer", ("Bright Ink", "basic")),
        ("agent", "agent", None),
        ("agent_es", "agent", None),
        ("ps", "professional_services", None),
        ("manager", "manager", None),
    ],
)
def test_me_describes_the_caller(api, demo, persona, role, organization):
    user = getattr(demo, persona)
    response = api.get("/me", user=user)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "email", "name", "role", "organization"}
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["name"] == user.name
    assert body["role"] == role
    if organization is None:
        assert body["organization"] is None
    else:
        assert body["organization"] == {
            "id": user.organization_id,
            "name": organization[0],
            "plan": organization[1],
        }

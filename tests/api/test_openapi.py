"""The OpenAPI document and the docs page."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/auth/token": {"post"},
    "/api/v1/me": {"get"},
    "/api/v1/tickets": {"get", "post"},
    "/api/v1/tickets/{ticket_id}": {"get"},
    "/api/v1/tickets/{ticket_id}/replies": {"get", "post"},
    "/api/v1/tickets/{ticket_id}/status": {"post"},
    "/api/v1/tickets/{ticket_id}/assign": {"post"},
    "/api/v1/tickets/{ticket_id}/credentials": {"get"},
    "/api/v1/queue": {"get"},
    "/api/v1/mentions": {"get"},
    "/api/v1/mentions/read": {"post"},
}


def test_openapi_document_lists_every_route(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    for path, methods in PATHS.items():
        assert set(doc["paths"][path]) >= methods, path


def test_every_authenticated_operation_declares_401_and_bearer(client):
    doc = client.get("/api/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert "401" in operation["responses"], (method, path)
            if path != "/api/v1/auth/token":
                assert operation["security"] == [{"BearerToken": []}], (method, path)


def test_ticket_schema_has_no_credentials(client):
    doc = client.get("/api/openapi.json").json()
    fields = set(doc["components"]["schemas"]["TicketOut"]["properties"])
    assert not fields & {"admin_username", "admin_password", "site_user_password"}


def test_docs_page_is_served_from_our_own_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()

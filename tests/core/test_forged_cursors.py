"""A ``?cursor=`` this server did not hand out answers 422 on the API (naming the
``cursor`` query parameter) and 400 on a page, never 500, on every paginated page and
endpoint. The API's are found in its OpenAPI document (every operation with a ``cursor``
parameter); the pages are listed, and a guard counts the views that read a cursor."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import supportal
from supportal.core.pagination import encode_cursor
from tests.api.client import ApiClient
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _forged() -> dict[str, str]:
    cursors = {
        "not-base64": "!!!",
        "garbage": "garbage",
        "not-json": _b64(b"\xff\xfe not json"),
        "json-object": _b64(b'{"a": 1}'),
        "json-number": _b64(b"42"),
        "empty-list": encode_cursor([]),
        "deep-nesting": _b64(b"[" * 100_000 + b"]" * 100_000),
    }
    # One to four values (every order here ends with the unique id): values no field takes.
    for size in range(1, 5):
        cursors[f"lists-{size}"] = encode_cursor([[1]] * size)
        cursors[f"objects-{size}"] = encode_cursor([{"x": 1}] * size)
        cursors[f"words-{size}"] = encode_cursor(["not-a-date"] * size)
        cursors[f"nulls-{size}"] = encode_cursor([None] * size)
        cursors[f"huge-{size}"] = encode_cursor([10**30] * size)
        cursors[f"nul-{size}"] = encode_cursor(["2026-01-01T00:00:00+00:00\x00"] * size)
        cursors[f"bools-{size}"] = _b64(json.dumps(["maybe"] * size).encode())
    return cursors


FORGED = _forged()

# Every page that reads ?cursor=: URL name, who opens it.
PAGES = [
    ("tickets:list", "bob"),
    ("tickets:queue", "agent"),
    ("reports:tickets", "alice"),
    ("news:list", "bob"),
    ("ideas:board", "bob"),
    ("chat:history", "agent"),
    ("tickets:search", "agent"),
]


def test_every_view_that_reads_a_cursor_is_in_the_list():
    """A new paginated page must join PAGES (and so this test) to pass."""
    root = Path(supportal.__file__).parent
    reads = sum(
        len(re.findall(r"""GET\.get\(\s*["']cursor["']""", path.read_text()))
        for path in root.rglob("*.py")
    )
    assert reads == len(PAGES)


@pytest.mark.parametrize("cursor", FORGED.values(), ids=FORGED.keys())
@pytest.mark.parametrize(("name", "who"), PAGES)
def test_a_forged_cursor_on_a_page_answers_400(demo, client: Client, name, who, cursor):
    client.force_login(getattr(demo, who))
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name), {"cursor": cursor}).status_code == 400


def _paginated_operations(client: Client) -> list[str]:
    doc = client.get("/api/openapi.json").json()
    return sorted(
        path
        for path, operations in doc["paths"].items()
        for operation in operations.values()
        if any(p["name"] == "cursor" for p in operation.get("parameters", []))
    )


def test_the_api_has_the_paginated_lists_api_md_names(client: Client):
    assert {"/api/v1/tickets", "/api/v1/queue", "/api/v1/tickets/{ticket_id}/replies"} <= set(
        _paginated_operations(client)
    )


@pytest.mark.parametrize("cursor", FORGED.values(), ids=FORGED.keys())
def test_a_forged_cursor_on_the_api_answers_422_naming_it(demo, client: Client, cursor):
    ticket = make_ticket(demo.bob)
    api = ApiClient(client)
    for template in _paginated_operations(client):
        path = template.removeprefix("/api/v1").replace("{ticket_id}", str(ticket.pk))
        assert api.get(path, user=demo.agent).status_code == 200, path
        response = api.get(path, user=demo.agent, cursor=cursor)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_a_real_cursor_still_pages(demo, client: Client, settings):
    settings.SUPPORTAL_PAGE_SIZE = 1
    for n in range(3):
        make_ticket(demo.bob, subject=f"Question {n}")
    api = ApiClient(client)
    first = api.get("/tickets", user=demo.bob).json()
    second = api.get("/tickets", user=demo.bob, cursor=first["next_cursor"]).json()
    assert first["items"][0]["id"] != second["items"][0]["id"]
    client.force_login(demo.bob)
    page = client.get(reverse("tickets:list"), {"cursor": first["next_cursor"]})
    assert page.status_code == 200

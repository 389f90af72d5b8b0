"""No cache keeps a user's or an organization's data: every page, export, attachment and
API answer is ``Cache-Control: private, no-store`` unless its view marked it public
(``supportal.core.middleware.PrivateCacheMiddleware``).

The walker's world (``tests/security/world.py``) is opened as every role: every named page
(exports, attachments and token links included) with GET, and every API GET operation with
the role's bearer token. What answers, whatever the status, must forbid storing it; only the
routes in ``PUBLIC`` may say otherwise, and they must say ``public``."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from supportal.api.urls import api

from .walker import fill, page_routes
from .world import api_token_for, build_world

ROLES = ("anonymous", "bob", "alice", "agent", "manager", "auditor")
# Views that mark their answers public: the same for everyone who may see them.
PUBLIC = {
    "status:summary": "the status widget's JSON, read by other sites",
    "news:feed_rss": "published news",
    "news:feed_atom": "published news",
}
SKIPPED = {"accounts:logout"}  # would end the walk's session


@pytest.fixture
def world(db):
    return build_world()


def _user(world, role: str):
    return world.auditor if role == "auditor" else getattr(world.demo, role)


def _directives(response) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in value.split(",") if part.strip()}


def test_every_page_and_export_forbids_caching_unless_marked_public(world) -> None:
    problems: list[str] = []
    answered = 0
    routes = []
    for route in page_routes():
        if route.name.startswith(("admin:", "api:")) or route.name in SKIPPED:
            continue
        try:
            routes.append((route, fill(route, world.kwargs)))
        except KeyError:
            continue
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(_user(world, role))
        for route, path in routes:
            response = client.get(path)
            answered += response.status_code == 200
            directives = _directives(response)
            if route.name in PUBLIC and response.status_code == 200:
                if "public" not in directives:
                    problems.append(f"{role} GET {path} ({route.name}): not marked public")
            elif not {"private", "no-store"} <= directives:
                problems.append(
                    f"{role} GET {path} ({route.name}) {response.status_code}: "
                    f"Cache-Control {response.get('Cache-Control')!r}"
                )
    assert answered >= 100, answered  # the walk reached the pages, not only refusals
    assert problems == [], "\n".join(problems)


def test_every_api_answer_forbids_caching(world) -> None:
    values = {
        "ticket_id": world.kwargs["ticket_id"],
        "notice_id": world.kwargs["api:notice_id"],
        "article_id": world.kwargs["api:article_id"],
        "idea_id": world.kwargs["idea_id"],
    }
    paths = [
        re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), template)
        for template, operations in api.get_openapi_schema()["paths"].items()
        if "get" in operations
    ]
    assert len(paths) >= 10
    problems: list[str] = []
    for role in ("alice", "agent", "manager"):
        token = api_token_for(_user(world, role))
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
        for path in paths:
            response = client.get(path)
            if not {"private", "no-store"} <= _directives(response):
                problems.append(
                    f"{role} GET {path} {response.status_code}: {response.get('Cache-Control')!r}"
                )
    assert problems == [], "\n".join(problems)


def test_the_attachment_download_forbids_caching(world) -> None:
    """The customer's own file, the case a shared cache would do most harm with."""
    client = Client()
    client.force_login(world.demo.alice)
    path = fill(next(r for r in page_routes() if r.name == "tickets:attachment"), world.kwargs)
    response = client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)

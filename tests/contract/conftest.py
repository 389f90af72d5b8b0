"""The HTTP contract (API.md) over real HTTP: a live server, httpx, the demo personas.

Every response any contract test receives is checked against the OpenAPI document the
server publishes: its status code must be declared for that operation and its body must
match the declared schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from supportal.accounts.models import User
from supportal.demo.loader import DEMO_PASSWORD, Demo, load_demo

from .openapi_check import OpenApiDoc

OBSERVED: set[tuple[str, str, int]] = set()
"""(method, OpenAPI path, status) of every API response seen in this session."""


@pytest.fixture
def demo_live(live_server, transactional_db, django_db_serialized_rollback) -> Demo:
    """The demo personas, committed so the live server's thread sees them.

    Serialized rollback restores the reference rows (plans, products, regions) that the
    migrations seed and a transactional test's flush removes. Every live-server test in
    the suite must ask for it too: a flush without it re-creates content types, which the
    next restore would then collide with."""
    return load_demo(with_tickets=False)


class Http:
    """An httpx client on the live server that knows the demo logins."""

    def __init__(self, client: httpx.Client):
        self.client = client
        self._tokens: dict[str, str] = {}

    def token(self, user: User) -> str:
        if user.email not in self._tokens:
            response = self.client.post(
                "/api/v1/auth/token", json={"email": user.email, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.text
            self._tokens[user.email] = response.json()["token"]
        return self._tokens[user.email]

    def auth(self, user: User | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"} if user else {}

    def get(self, path: str, *, user: User | None = None, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params, headers=self.auth(user))

    def post(self, path: str, body: Any = None, *, user: User | None = None) -> httpx.Response:
        return self.client.post(path, json=body, headers=self.auth(user))


@pytest.fixture
def http(demo_live: Demo, live_server) -> Iterator[Http]:
    base_url = live_server.url
    doc = OpenApiDoc(httpx.get(f"{base_url}/api/openapi.json").raise_for_status().json())

    def check(response: httpx.Response) -> None:
        if not response.request.url.path.startswith("/api/v1/"):
            return
        response.read()
        problems = doc.problems(response)
        assert not problems, problems
        found = doc.operation_for(response.request.method, response.request.url.path)
        assert found is not None
        OBSERVED.add((response.request.method, found[0], response.status_code))

    with httpx.Client(base_url=base_url, timeout=20, event_hooks={"response": [check]}) as c:
        yield Http(c)

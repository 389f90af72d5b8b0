"""Calling the JSON API through Django's test client as one of the demo personas."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.test import Client

from supportal.accounts.models import User
from supportal.accounts.services import issue_api_token
from supportal.demo.loader import DEMO_PASSWORD

PREFIX = "/api/v1"


class ApiClient:
    """Calls ``/api/v1`` as a given user (or anonymously) and decodes JSON answers."""

    def __init__(self, client: Client):
        self.client = client
        self._tokens: dict[int, str] = {}

    def token(self, user: User) -> str:
        if user.pk not in self._tokens:
            raw = issue_api_token(email=user.email, password=DEMO_PASSWORD)
            assert raw is not None
            self._tokens[user.pk] = raw
        return self._tokens[user.pk]

    def _headers(self, user: User | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"} if user else {}

    def get(self, path: str, *, user: User | None = None, **params: Any) -> HttpResponse:
        return self.client.get(PREFIX + path, params, headers=self._headers(user))

    def post(self, path: str, body: Any = None, *, user: User | None = None) -> HttpResponse:
        data = "" if body is None else json.dumps(body)
        return self.client.post(
            PREFIX + path, data, content_type="application/json", headers=self._headers(user)
        )


def error_fields(response: HttpResponse) -> set[str]:
    """The field names a 422 answer names (last element of each ``loc``)."""
    assert response.status_code == 422, response.content
    return {str(item["loc"][-1]) for item in response.json()["detail"]}

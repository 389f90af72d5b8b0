"""Fixtures for the API tests: an API client over Django's test client."""

from __future__ import annotations

import pytest
from django.test import Client

from supportal.demo.loader import Demo

from .client import ApiClient


@pytest.fixture
def api(demo: Demo, client: Client) -> ApiClient:
    return ApiClient(client)

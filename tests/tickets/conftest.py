from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from supportal.accounts.models import User


@pytest.fixture
def client_for(demo) -> Callable[[User], Client]:
    """A test client logged in as the given persona."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from supportal.accounts.models import User
from tests.chat.conftest import live_demo, open_now  # noqa: F401  (socket fixtures)
from tests.news.smtp import smtp  # noqa: F401  (fixture: a real SMTP listener)


@pytest.fixture
def client_for(demo) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

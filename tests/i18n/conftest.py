"""Requests made with Accept-Language: es leave Spanish active in the thread (Django's
LocaleMiddleware does not reset it): reset it after each test so no other test inherits it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    yield
    translation.deactivate()

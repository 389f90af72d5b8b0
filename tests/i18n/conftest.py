"""A Spanish request leaves Spanish active in the thread (LocaleMiddleware activates,
nothing deactivates): reset it after each test so no other test inherits it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def back_to_the_default_language() -> Iterator[None]:
    yield
    translation.deactivate()

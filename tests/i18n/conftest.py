from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def back_to_the_default_language() -> Iterator[None]:
    """A Spanish request leaves Spanish active in the thread (LocaleMiddleware activates,
    nothing deactivates): tests run after these would otherwise see Spanish."""
    yield
    translation.deactivate()

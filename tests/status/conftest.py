import pytest

from supportal.status import reference
from supportal.status.models import Component
from tests.news.smtp import smtp  # noqa: F401  (fixture: a real SMTP listener)


@pytest.fixture
def components(demo) -> dict[str, Component]:
    reference.seed_current()
    return {c.slug: c for c in Component.objects.all()}

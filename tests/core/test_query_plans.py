"""core.query_plans: searches and view counts are planned for their own filters' values."""

from __future__ import annotations

import pytest
from django.db import connection

from supportal.core.query_plans import planned_for_values

pytestmark = pytest.mark.django_db


def plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def test_plans_follow_the_values_inside_the_block_and_only_there():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps no generic plans")
    before = plan_cache_mode()
    with planned_for_values():
        assert plan_cache_mode() == "force_custom_plan"
    assert plan_cache_mode() == before == "auto"

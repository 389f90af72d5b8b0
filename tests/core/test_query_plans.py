"""core.query_plans: searches and view counts are planned for their own filters' values."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction

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


def test_an_error_inside_the_block_is_the_one_reported_and_the_setting_does_not_stay():
    """A failing statement aborts its transaction; putting the setting back there fails
    too, and that failure must not hide the statement's own error from the caller."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps no generic plans")
    with (
        pytest.raises(DataError, match="division by zero"),
        transaction.atomic(),
        planned_for_values(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    assert plan_cache_mode() == "auto"  # the rolled-back transaction took the SET with it

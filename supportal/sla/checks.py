"""Start-up check: after-hours urgent tickets must page someone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def an_on_call_rotation_can_page(
    app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[Warning]:
    """Runs with the database checks (``supportal migrate``, ``supportal check --database
    default``); ``supportal serve`` prints the same warning."""
    if not databases:
        return []
    from .paging import paging_uncovered

    try:
        uncovered = paging_uncovered()
    except DatabaseError:  # not migrated yet
        return []
    if not uncovered:
        return []
    return [
        Warning(
            "No active on-call rotation with an active member: urgent tickets filed after "
            "hours will page the support region's lead, then the managers.",
            hint="Add a rotation in /admin/sla/oncallrotation/.",
            id="supportal.sla.W001",
        )
    ]

"""Periodic housekeeping jobs of the core app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="17"))
def purge_expired_idempotency_keys_task() -> int:
    return services.purge_expired_idempotency_keys()

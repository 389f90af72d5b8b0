"""Jobs: thin, by id, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def make_export_task(export_id: int) -> bool:
    return services.make_export(export_id)


@db_periodic_task(crontab(minute="17"))
def expire_exports_task() -> int:
    return services.expire_exports()

"""Jobs: thin, by id, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def deliver_webhook_task(delivery_id: int) -> bool:
    """Post one delivery; on failure try again later, doubling the pause each time."""
    attempt = services.deliver(delivery_id)
    if attempt.retry_in_seconds is not None:
        deliver_webhook_task.schedule((delivery_id,), delay=attempt.retry_in_seconds)
    return attempt.delivered


@db_periodic_task(crontab(minute="*"))
def deliver_due_webhooks_task() -> int:
    """The safety net: deliveries whose scheduled retry was lost (a worker restarted)."""
    services.release_interrupted()
    due = services.due_ids()
    for delivery_id in due:
        deliver_webhook_task.call_local(delivery_id)
    return len(due)

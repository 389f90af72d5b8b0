from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notify, services


@db_task(retries=3, retry_delay=60)
def notify_subscribers_task(update_id: int) -> int:
    return notify.notify_subscribers(update_id)


@db_task(retries=3, retry_delay=60)
def send_subscription_confirmation_task(email: str, language: str = "") -> None:
    return services.send_subscription_confirmation(email=email, language=language)


@db_periodic_task(crontab(minute="*"))
def advance_maintenance_task() -> list[int]:
    """Start and complete scheduled maintenance on time."""
    return services.advance_maintenance()

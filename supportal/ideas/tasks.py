from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notify, services


@db_task(retries=3, retry_delay=60)
def notify_followers_task(change_id: int) -> int:
    return notify.notify_followers(change_id)


@db_periodic_task(crontab(minute="17", hour="3"))
def refresh_trends_task() -> int:
    """The trend window moves every day: recount what asked within it."""
    return services.refresh_trends()

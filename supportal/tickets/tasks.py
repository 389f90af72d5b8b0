from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="7"))
def close_resolved_tickets_task() -> int:
    return services.close_resolved_tickets()


@db_periodic_task(crontab(minute="37", hour="3"))
def purge_closed_credentials_task() -> int:
    return services.purge_closed_credentials()

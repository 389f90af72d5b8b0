from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import search, services


@db_periodic_task(crontab(minute="7"))
def close_resolved_tickets_task() -> int:
    return services.close_resolved_tickets()


@db_periodic_task(crontab(minute="37", hour="3"))
def purge_closed_credentials_task() -> int:
    return services.purge_closed_credentials()


@db_task()
def reindex_tickets_of_task(
    *, requester_id: int | None = None, organization_id: int | None = None
) -> int:
    return search.reindex_tickets_of(requester_id=requester_id, organization_id=organization_id)

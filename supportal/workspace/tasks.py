from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def auto_assign_ticket_task(ticket_id: int) -> int | None:
    agent = services.auto_assign_ticket(ticket_id=ticket_id)
    return agent.pk if agent is not None else None


@db_periodic_task(crontab(minute="*/10"))
def assign_waiting_tickets_task() -> int:
    return services.assign_waiting_tickets()

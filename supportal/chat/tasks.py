from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def sweep_stale_consoles_task() -> None:
    """Agents whose console process died: their chats go back to the waiting list."""
    services.sweep_stale_consoles()

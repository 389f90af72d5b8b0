from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services, time_limit


@db_periodic_task(crontab(minute="*"))
def sweep_stale_consoles_task() -> None:
    """Agents whose console process died: their chats go back to the waiting list."""
    services.sweep_stale_consoles()


@db_periodic_task(crontab(minute="*"))
def enforce_chat_limits_task() -> None:
    """Chats near their time limit are warned; chats past it continue as tickets."""
    time_limit.enforce_chat_limits()

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import turntime


@db_periodic_task(crontab(minute="*"))
def check_turn_times_task() -> tuple[int, int]:
    """Warn staff of accepted work due soon; record misses. Safe to run twice."""
    checked = turntime.check_turn_times()
    return len(checked.warned), len(checked.missed)

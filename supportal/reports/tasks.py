from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task(retries=2, retry_delay=30)
def refresh_timing_task(ticket_id: int) -> int:
    return services.refresh_timings(ticket_ids=[ticket_id])


@db_periodic_task(crontab(minute="23", hour="3"))
def refresh_stale_timings_task() -> int:
    """Nightly catch-up for tickets changed without a domain event (or while jobs were down)."""
    return services.refresh_stale_timings()


@db_periodic_task(crontab(minute="5"))
def send_weekly_reports_task() -> None:
    """Hourly: once the week's sending time has come, each subscriber's email, once."""
    for delivery_id in services.claim_weekly_deliveries():
        send_weekly_report_task(delivery_id)


@db_task(retries=3, retry_delay=300)
def send_weekly_report_task(delivery_id: int) -> bool:
    return services.send_weekly_report(delivery_id=delivery_id)

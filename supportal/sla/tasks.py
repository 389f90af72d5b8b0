from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notify, paging, services
from .models import WebhookDelivery


@db_periodic_task(crontab(minute="*"))
def check_sla_clocks_task() -> int:
    return services.check_clocks().breached


@db_task()
def run_page_task(page_id: int) -> None:
    if paging.run_page(page_id=page_id):
        for delivery_id in notify.notify_on_call(page_id):
            deliver_webhook_task(delivery_id)


@db_periodic_task(crontab(minute="*"))
def run_due_pages_task() -> None:
    for page_id in paging.due_page_ids():
        run_page_task.call_local(page_id)


@db_task()
def deliver_webhook_task(delivery_id: int) -> bool:
    """Deliver a page webhook; on failure try again later, doubling the wait each time."""
    if notify.deliver_webhook(delivery_id):
        return True
    attempts = WebhookDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True)[0]
    if attempts < settings.SUPPORTAL_WEBHOOK_MAX_ATTEMPTS:
        delay = settings.SUPPORTAL_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempts - 1)
        deliver_webhook_task.schedule((delivery_id,), delay=delay)
    return False

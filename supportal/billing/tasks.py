"""Billing jobs: load by ID, call the notifier, safe to run twice."""

from huey.contrib.djhuey import db_task

from . import notify


@db_task(retries=3, retry_delay=60)
def notify_notice_task(notice_id: int):
    return notify.send_notice_email(notice_id)


@db_task(retries=3, retry_delay=60)
def notify_custom_code_exception_task(exception_id: int):
    return notify.send_custom_code_exception_email(exception_id)

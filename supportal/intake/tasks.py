"""Jobs: thin, by ID, safe to run twice."""

from django.conf import settings
from huey import crontab
from huey.api import Task
from huey.contrib.djhuey import db_periodic_task, db_task

from . import imap, outbox, services, voice


@db_task()
def send_notification_task(outbound_id: int) -> bool:
    """Send one notification; on failure try again later, doubling the wait each time."""
    attempt = outbox.deliver(outbound_id)
    if attempt.retry_in_seconds is not None:
        send_notification_task.schedule((outbound_id,), delay=attempt.retry_in_seconds)
    return attempt.sent


@db_periodic_task(crontab(minute="*"))
def send_due_notifications_task() -> None:
    """The safety net: rows whose scheduled retry was lost (a consumer restarted)."""
    outbox.fail_interrupted()
    for outbound_id in outbox.due_ids():
        send_notification_task.call_local(outbound_id)


@db_task(retries=4, retry_delay=120, context=True)
def fetch_recording_task(voicemail_id: int, task: Task | None = None) -> bool:
    """Fetch soon after the call; past these retries the recording stays pending and
    retry_voicemail_recordings_task keeps trying it (SUPPORTAL_RECORDING_RETRY_HOURS)."""
    try:
        voice.fetch_recording(voicemail_id=voicemail_id)
    except voice.RecordingUnavailable as exc:
        if exc.permanent or task is None or task.retries == 0:
            return False
        raise
    return True


@db_periodic_task(crontab(minute="*/5"))
def retry_voicemail_recordings_task() -> int:
    return voice.retry_pending_recordings()


@db_periodic_task(crontab(minute="*"))
def fetch_email_task() -> int:
    if settings.SUPPORTAL_IMAP_URL:
        return imap.poll_mailbox(url=settings.SUPPORTAL_IMAP_URL)
    return 0


@db_periodic_task(crontab(minute="*/10"))
def reprocess_stuck_email_task() -> int:
    return services.reprocess_stuck()

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_periodic_task(crontab(minute="*"))
def publish_due_posts_task() -> list[int]:
    """Scheduled publishing: put out every post whose time has come, announce API changes."""
    result = services.publish_due_posts()
    for post_id in result.api_changes:
        announce_api_change_task(post_id)
    return result.published


@db_task(retries=3, retry_delay=60)
def announce_api_change_task(post_id: int) -> int:
    return services.announce_api_change(post_id)


@db_task(retries=3, retry_delay=60)
def send_subscription_confirmation_task(
    email: str, blog_digest: bool, api_changes: bool, language: str = ""
) -> None:
    return services.send_subscription_confirmation(
        email=email, blog_digest=blog_digest, api_changes=api_changes, language=language
    )


@db_periodic_task(crontab(minute="7"))
def send_digests_task() -> int:
    return services.send_digests()

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from . import events
from .models import StatusChange
from .tasks import notify_followers_task


@receiver(events.idea_status_changed, dispatch_uid="ideas.status_changed")
def _on_status_changed(sender: Any, *, change: StatusChange, **kwargs: Any) -> None:
    transaction.on_commit(lambda: notify_followers_task(change.pk))

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from . import events
from .models import IncidentUpdate
from .tasks import notify_subscribers_task


@receiver(events.incident_updated, dispatch_uid="status.incident_updated")
def _on_incident_updated(sender: Any, *, update: IncidentUpdate, **kwargs: Any) -> None:
    transaction.on_commit(lambda: notify_subscribers_task(update.pk))

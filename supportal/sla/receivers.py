"""Forget the cached calendars when their rows change."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendars import forget_calendars
from .models import Closure, SlaPolicy, WorkingHours


@receiver([post_save, post_delete], sender=WorkingHours, dispatch_uid="sla.hours_changed")
@receiver([post_save, post_delete], sender=Closure, dispatch_uid="sla.closure_changed")
@receiver([post_save, post_delete], sender=SlaPolicy, dispatch_uid="sla.policy_changed")
def _forget_calendars(sender: Any, **kwargs: Any) -> None:
    """Cache invalidation only: edits in this process apply at once."""
    forget_calendars()

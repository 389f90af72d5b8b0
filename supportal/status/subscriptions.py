"""Incident and maintenance notifications by email (core.subscriptions)."""

from __future__ import annotations

from supportal.core.subscriptions import SubscriptionList

from .models import IncidentSubscriber

SUBSCRIPTIONS = SubscriptionList(
    purpose="status.subscribe", model=IncidentSubscriber, namespace="status"
)

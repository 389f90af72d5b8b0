"""Reads of accounts data that pages need: who can be assigned work, upcoming trainings."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Organization, SupportRegion, TrainingSession, User


def active_support_staff() -> QuerySet[User]:
    """Everyone a ticket can be assigned to, by name."""
    return User.objects.filter(is_active=True, role__in=User.STAFF_ROLES).order_by("name", "email")


def support_regions() -> QuerySet[SupportRegion]:
    return SupportRegion.objects.order_by("name")


def upcoming_training_sessions(
    organization: Organization | None, *, limit: int = 5
) -> list[TrainingSession]:
    """Sessions still to come, for the organization's products when it has any."""
    qs = TrainingSession.objects.select_related("product").filter(starts_at__gte=timezone.now())
    if organization is not None and organization.products.exists():
        qs = qs.filter(product__in=organization.products.all())
    return list(qs.order_by("starts_at")[:limit])

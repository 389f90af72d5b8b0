"""The policy's work categories and rates, seeded as rows managers may edit later.

``seed`` takes the model class so the migration can pass its historical model."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings


def categories() -> list[dict[str, Any]]:
    """The categories with the rates in force (settings default to the policy's)."""
    technical = Decimal(settings.SUPPORTAL_RATE_PS_TECHNICAL)
    return [
        {
            "code": "support",
            "name": "Support (free)",
            "billable": False,
            "rate": Decimal("0"),
            "uses_expert_hours": False,
        },
        {
            "code": "ps_admin",
            "name": "Professional services, admin level",
            "billable": True,
            "rate": Decimal(settings.SUPPORTAL_RATE_PS_ADMIN),
            "uses_expert_hours": True,
        },
        {
            "code": "ps_technical",
            "name": "Professional services, technical (database, API, custom skinning)",
            "billable": True,
            "rate": technical,
            "uses_expert_hours": True,
        },
        {
            "code": "training",
            "name": "One-on-one training",
            "billable": True,
            "rate": Decimal(settings.SUPPORTAL_RATE_TRAINING),
            "uses_expert_hours": False,
        },
        {
            "code": "calculator_repair",
            "name": "Calculator repair after unlocking",
            "billable": True,
            "rate": Decimal(settings.SUPPORTAL_RATE_CALCULATOR_REPAIR_MIN),
            "rate_max": Decimal(settings.SUPPORTAL_RATE_CALCULATOR_REPAIR_MAX),
            "uses_expert_hours": True,
        },
        {
            # Billed per incident by the hour at the technical rate ("custom skinning"):
            # the policy points to the professional-services rates, not a flat fee.
            "code": "custom_code",
            "name": "Custom CSS/JS incident",
            "billable": True,
            "rate": technical,
            "uses_expert_hours": False,
        },
    ]


def seed(WorkCategory: Any) -> None:  # noqa: N803 - model class
    for position, fields in enumerate(categories()):
        code = fields.pop("code")
        WorkCategory.objects.get_or_create(code=code, defaults={**fields, "position": position})


def seed_current() -> None:
    from .models import WorkCategory

    seed(WorkCategory)

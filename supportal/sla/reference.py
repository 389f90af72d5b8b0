"""Working hours from the policy (USA and Spain Mon-Fri 9-17 local; India to be decided)
and the default SLA policy (first response within 4 business hours)."""

from datetime import time
from typing import Any

HOURS = {"usa": (time(9), time(17)), "spain": (time(9), time(17))}
WORKDAYS = range(5)


def seed(SupportRegion: Any, WorkingHours: Any, SlaPolicy: Any) -> None:  # noqa: N803 - model classes
    for code, (opens, closes) in HOURS.items():
        region = SupportRegion.objects.filter(code=code).first()
        if region is None or WorkingHours.objects.filter(region=region).exists():
            continue
        for weekday in WORKDAYS:
            WorkingHours.objects.create(region=region, weekday=weekday, opens=opens, closes=closes)
    if not SlaPolicy.objects.filter(plan__isnull=True, kind="").exists():
        SlaPolicy.objects.create(name="Default", first_response_minutes=240, next_reply_minutes=480)


def seed_current() -> None:
    from supportal.accounts.models import SupportRegion

    from .models import SlaPolicy, WorkingHours

    seed(SupportRegion, WorkingHours, SlaPolicy)

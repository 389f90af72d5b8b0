"""Whether an agent is at work now: their own office hours, or their region's."""

from __future__ import annotations

from datetime import datetime

from supportal.accounts.models import User
from supportal.sla.business_time import is_open
from supportal.sla.calendars import calendar_for_region

from .models import AgentProfile


def at_work(agent: User, profile: AgentProfile | None, *, now: datetime) -> bool:
    """Within the agent's office hours (in their region's time zone, on the region's working
    days) when they set any; within the region's working hours otherwise."""
    if agent.support_region is None:
        return False
    calendar = calendar_for_region(agent.support_region)
    if profile is None or profile.works_from is None or profile.works_until is None:
        return is_open(now, calendar)
    local = now.astimezone(calendar.tz)
    if local.date() in calendar.closed or not calendar.hours.get(local.weekday()):
        return False
    return profile.works_from <= local.time() < profile.works_until

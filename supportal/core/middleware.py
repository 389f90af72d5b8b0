"""Show times in the zone of the person looking: an agent's region, a customer's region."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone


def _zone_for(user) -> str | None:
    if not user.is_authenticated:
        return None
    region = user.support_region
    if region is None and user.organization_id is not None:
        region = user.organization.support_region
    return region.timezone if region else None


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _zone_for(request.user)
        try:
            zone = ZoneInfo(name) if name else None
        except ZoneInfoNotFoundError:
            zone = None
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "is_staff_user": bool(user and user.is_authenticated and user.is_staff_or_auditor),
        "support_address": settings.SUPPORTAL_SUPPORT_ADDRESS,
        "support_phone": settings.SUPPORTAL_SUPPORT_PHONE,
        "support_phone_extension": settings.SUPPORTAL_SUPPORT_PHONE_EXTENSION,
    }

from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    return {
        "is_staff_user": bool(user and user.is_authenticated and user.is_support_staff),
        "support_address": settings.SUPPORTAL_SUPPORT_ADDRESS,
    }

"""A person's language and time zone: what they choose for their own account."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from supportal.core import languages
from supportal.core.errors import InvalidInput

from .models import User


def choose_locale(*, user: User, language: str, time_zone: str) -> None:
    """Set ``user``'s own language and time zone; blank for either means "my region's"."""
    errors: dict[str, str] = {}
    if language and language not in languages.SUPPORTED:
        errors["language"] = _("Choose one of the languages offered.")
    if time_zone and languages.zone_named(time_zone) is None:
        errors["time_zone"] = _("Choose a time zone from the list.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language, time_zone=time_zone)
    user.language, user.time_zone = language, time_zone


def choose_language(*, user: User, language: str) -> None:
    """The footer's switch: only the language changes."""
    choose_locale(user=user, language=language, time_zone=user.time_zone)


def offered_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]

"""The language and time zone a person reads in: their own choice on their account, else
their region's (staff: their own support region; customers: their organization's), else
the site's (English, UTC). Pages use them through ``UserLocaleMiddleware``; mails through
:func:`speaking_to`, so each recipient reads a mail in their own language.

``user`` is Any: core sits below accounts and cannot name its User."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import translation

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def region_of(user: Any) -> Any:
    region = user.support_region
    if region is None and user.organization_id is not None:
        region = user.organization.support_region
    return region


def language_of(user: Any) -> str:
    """``user``'s language, one of settings.LANGUAGES; the site's for visitors."""
    if user is None or not user.is_authenticated:
        return str(settings.LANGUAGE_CODE)
    if user.language in SUPPORTED:
        return str(user.language)
    region = region_of(user)
    if region is not None and region.language in SUPPORTED:
        return str(region.language)
    return str(settings.LANGUAGE_CODE)


def zone_named(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_of(user: Any) -> ZoneInfo | None:
    """The zone ``user`` reads times in; None (UTC) for visitors and unknown zone names."""
    if user is None or not user.is_authenticated:
        return None
    own = zone_named(user.time_zone)
    if own is not None:
        return own
    region = region_of(user)
    return zone_named(region.timezone) if region is not None else None


def zone_choices() -> list[str]:
    """Every IANA zone name, sorted: what a person may pick for their account."""
    return sorted(available_timezones())


@contextmanager
def speaking_to(user: Any, *, language: str = "") -> Iterator[str]:
    """Render inside ``user``'s language (or ``language``, for someone without an account,
    such as an invitee or a subscriber). Times in mails keep their own zone rules."""
    if language in SUPPORTED:
        chosen = language
    elif user is not None:
        chosen = language_of(user)
    else:  # nobody known (an unknown sender): the language already active
        chosen = translation.get_language() or str(settings.LANGUAGE_CODE)
    with translation.override(chosen):
        yield chosen

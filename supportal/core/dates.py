"""Dates as list pages show them, in the viewer's time zone, for tags that render one row
per ticket or reply in Python (Django's ``date`` filter parses its format on every call;
a queue page formats two dates on each of fifty rows).

Each function gives what the ``date`` filter gives for the format named."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

# Month abbreviations as the "M" format gives them ("Jan"), looked up once per language.
_months: dict[str, list[str]] = {}


def _month(number: int) -> str:
    language = get_language() or ""
    names = _months.get(language)
    if names is None:
        names = _months[language] = [""] + [str(MONTHS_3[n]).title() for n in range(1, 13)]
    return names[number]


def iso(value: datetime) -> str:
    """``date:"c"``: ISO 8601 in the current time zone."""
    return timezone.localtime(value).isoformat()


def short(value: datetime) -> str:
    """``date:"M j, Y H:i"``."""
    local = timezone.localtime(value)
    return f"{_month(local.month)} {local.day}, {local.year} {local:%H:%M}"


def short_no_year(value: datetime) -> str:
    """``date:"M j, H:i"``."""
    local = timezone.localtime(value)
    return f"{_month(local.month)} {local.day}, {local:%H:%M}"

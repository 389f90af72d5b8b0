"""Dates as people read them, in the active language.

Pages, mails and PDFs name a *style* ("date", "datetime", ...) instead of a fixed pattern:
each style has an English pattern (what the pages always showed) and a Spanish one natural
in Spain ("Dec 4, 2026" / "4 dic 2026"). Templates use ``{{ value|datestyle:"date" }}``
(core's ``supportal`` template library); code calls :func:`format_date`. Machine-read dates
(``datetime`` attributes, CSV, JSON, file names) keep their ISO forms and do not come here.

:func:`short` and :func:`short_no_year` are the "datetime" and "day_time" styles for tags
that render one row per ticket or reply in Python (Django's ``date`` filter parses its
format on every call; a queue page formats two dates on each of fifty rows)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

# Style → (English pattern, Spanish pattern), in Django's date format syntax. The English
# patterns are the ones the pages used before styles: English output did not change.
STYLES: dict[str, tuple[str, str]] = {
    "date": ("M j, Y", "j b Y"),  # Dec 4, 2026 · 4 dic 2026
    "datetime": ("M j, Y H:i", "j b Y, H:i"),  # Dec 4, 2026 14:05 · 4 dic 2026, 14:05
    "datetime_zone": ("M j, Y H:i T", "j b Y, H:i T"),
    "day": ("M j", "j b"),  # Dec 4 · 4 dic
    "day_time": ("M j, H:i", "j b, H:i"),  # Dec 4, 14:05 · 4 dic, 14:05
    "day_time_compact": ("M j H:i", "j b H:i"),  # Dec 4 14:05 · 4 dic 14:05
    "day_time_zone": ("M j, H:i T", "j b, H:i T"),
    "weekday_day_time": ("D j M, H:i", "D j b, H:i"),  # Fri 4 Dec, 14:05 · vie 4 dic, 14:05
    "weekday_day_time_zone": ("D M j, H:i T", "D j b, H:i T"),
    "weekday_date": ("D j M Y", "D j b Y"),  # Fri 4 Dec 2026 · vie 4 dic 2026
    "weekday_datetime": ("D j M Y, H:i", "D j b Y, H:i"),
    "weekday_datetime_zone": ("D, M j, Y · H:i e", "D j b Y · H:i e"),
    # Friday, December 4, 2026 · 14:05 CET · viernes, 4 de diciembre de 2026 · 14:05 CET
    "long_datetime_zone": ("l, F j, Y · H:i e", r"l, j \d\e F \d\e Y · H:i e"),
    "long_date": ("F j, Y", r"j \d\e F \d\e Y"),  # December 4, 2026 · 4 de diciembre de 2026
    # Friday 04 December 2026 · viernes 4 de diciembre de 2026 (and without the year)
    "weekday_long_date": ("l d F Y", r"l j \d\e F \d\e Y"),
    "weekday_long_day": ("l d F", r"l j \d\e F"),
    "month": ("F Y", r"F \d\e Y"),  # December 2026 · diciembre de 2026
    # Tables and texts that showed ISO-like stamps: 2026-12-04 14:05 · 04/12/2026 14:05
    "numeric_date": ("Y-m-d", "d/m/Y"),
    "numeric_datetime": ("Y-m-d H:i", "d/m/Y H:i"),
    "numeric_datetime_zone": ("Y-m-d H:i T", "d/m/Y H:i T"),
}


def _spanish() -> bool:
    return (get_language() or "").startswith("es")


def pattern(style: str) -> str:
    """The active language's pattern for ``style`` (a KeyError names an unknown style)."""
    english, spanish = STYLES[style]
    return spanish if _spanish() else english


def format_date(value: date | datetime, style: str) -> str:
    """``value`` in the active language's ``style``. An aware datetime is shown in its own
    zone: pass ``timezone.localtime(value)`` to show the reader's (the ``datestyle`` filter
    does, as Django's ``date`` filter does)."""
    return dateformat.format(value, pattern(style))


def iso(value: datetime) -> str:
    """``date:"c"``: ISO 8601 in the current time zone."""
    return timezone.localtime(value).isoformat()


# Month abbreviations as the "M" format gives them ("Jan"), looked up once per language.
_months: dict[str, list[str]] = {}


def _month(number: int) -> str:
    language = get_language() or ""
    names = _months.get(language)
    if names is None:
        names = _months[language] = [""] + [str(MONTHS_3[n]).title() for n in range(1, 13)]
    return names[number]


def short(value: datetime) -> str:
    """The "datetime" style in the current time zone."""
    local = timezone.localtime(value)
    if _spanish():
        return format_date(local, "datetime")
    return f"{_month(local.month)} {local.day}, {local.year} {local:%H:%M}"


def short_no_year(value: datetime) -> str:
    """The "day_time" style in the current time zone."""
    local = timezone.localtime(value)
    if _spanish():
        return format_date(local, "day_time")
    return f"{_month(local.month)} {local.day}, {local:%H:%M}"

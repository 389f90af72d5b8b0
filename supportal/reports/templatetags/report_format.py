from typing import Any

from django import template

from supportal.core.dates import format_date
from supportal.reports import timing

register = template.Library()


@register.filter
def business_duration(seconds: int | None) -> str:
    """Business seconds as ``2h 05m``; an em dash while unknown."""
    return timing.format_duration(seconds) or "—"


@register.filter
def cell(value: Any) -> str:
    """A data-table cell: numbers and dates as they are, an empty value as a dash."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return format_date(value, "date")
    return str(value)

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from supportal.core import dates
from supportal.core.markdown import render_markdown
from supportal.core.money import format_money

register = template.Library()


@register.filter(expects_localtime=True)
def datestyle(value: date | datetime | None | str, style: str) -> str:
    """``{{ value|datestyle:"date" }}``: the date in the active language's style
    (core.dates.STYLES), a datetime in the reader's time zone. Nothing for no date."""
    if not isinstance(value, date):
        return ""
    return dates.format_date(value, style)


@register.filter
def money(value: Decimal | int | str | None, currency: str = "") -> str:
    """``{{ amount|money:currency }}``: "$125.00" in English, "125,00 US$" in Spanish (the
    currency defaults to the billing currency). Nothing for no amount."""
    if value is None or value == "":
        return ""
    try:
        return format_money(Decimal(value), currency)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.inclusion_tag("includes/field.html")
def form_field(
    field: BoundField | str,
    extra_class: str = "",
    wrapper_id: str = "",
    show_when: str = "",
    hide_optional: bool = False,
) -> dict[str, Any]:
    """One form field in its ``<div class="field">`` (includes/field.html): the label
    (marking an optional field unless ``hide_optional``), the widget, the help text and the
    errors; a checkbox sits inside its label. An unknown field (a template's missing
    variable, "") renders nothing."""
    if not isinstance(field, BoundField):
        return {"field": None}
    return {
        "field": field,
        "errors": field.errors,
        "checkbox": field.widget_type == "checkbox",
        "extra_class": extra_class,
        "wrapper_id": wrapper_id,
        "show_when": show_when,
        "hide_optional": hide_optional,
    }

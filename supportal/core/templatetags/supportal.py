from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from supportal.core.markdown import render_markdown

register = template.Library()


CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹"}


@register.filter
def money(value: Decimal | int | str | None, currency: str = "") -> str:
    """An amount in the reader's notation: "$1,250.00" in English, "1.250,00 $" in
    Spanish (the order is the catalog's; the separators are the locale's)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    code = currency or settings.SUPPORTAL_BILLING_CURRENCY
    symbol = CURRENCY_SYMBOLS.get(code, code)
    # Translators: where the currency symbol goes around an amount.
    return pgettext("money", "%(symbol)s%(amount)s") % {"symbol": symbol, "amount": number}


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

"""Amounts as people read them: the currency's symbol in the active language's notation."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import get_language, to_locale


def format_money(amount: Decimal | int | str, currency: str = "") -> str:
    """``amount`` in ``currency`` (default SUPPORTAL_BILLING_CURRENCY) as the active
    language writes it, from Babel's CLDR data: "$125.00" in English, "125,00 US$" in
    Spanish (a no-break space before the symbol)."""
    code = currency or settings.SUPPORTAL_BILLING_CURRENCY
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    return format_currency(Decimal(amount), code, locale=locale)

"""Reference data from the support policy: tiers, products, support regions.

They are rows, not constants: managers may rename, reorder and extend them in the admin.
``seed`` takes the model classes so the migration can pass its historical models."""

from decimal import Decimal
from typing import Any

PLANS = [
    # code, name, rank, expert hours per quarter, chat included
    ("basic", "Basic", 10, Decimal("0"), False),
    ("standard", "Standard", 20, Decimal("0"), False),
    ("hv", "HV", 30, Decimal("3"), True),
    ("enterprise", "Enterprise", 40, Decimal("6"), True),
]
PRODUCTS = [
    # slug, name, live chat offered for it
    ("pressero", "Pressero", True),
    ("edocbuilder", "eDocBuilder", True),
    ("pjm", "PJM", False),
    ("tflow", "tFlow", False),
]
REGIONS = [
    # code, name, time zone, holiday country, holiday subdivision
    ("usa", "USA", "America/Chicago", "US", ""),
    ("spain", "Spain", "Europe/Madrid", "ES", "VC"),
    ("india", "India", "Asia/Kolkata", "IN", ""),
]
# What each region reads by default (a person may choose another on their account). India's
# office opens later; English until its language is set.
REGION_LANGUAGES = {"usa": "en", "spain": "es", "india": "en"}


def seed(Plan: Any, Product: Any, SupportRegion: Any) -> None:  # noqa: N803 - model classes
    for code, name, rank, hours, chat in PLANS:
        Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "expert_hours_per_quarter": hours,
                "chat_included": chat,
            },
        )
    for slug, name, chat in PRODUCTS:
        Product.objects.get_or_create(slug=slug, defaults={"name": name, "chat_available": chat})
    for code, name, tz, country, subdivision in REGIONS:
        SupportRegion.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "timezone": tz,
                "holiday_country": country,
                "holiday_subdivision": subdivision,
            },
        )


def set_region_languages(SupportRegion: Any) -> None:  # noqa: N803 - a model class
    for code, language in REGION_LANGUAGES.items():
        SupportRegion.objects.filter(code=code).update(language=language)


def seed_current() -> None:
    from .models import Plan, Product, SupportRegion

    seed(Plan, Product, SupportRegion)
    set_region_languages(SupportRegion)

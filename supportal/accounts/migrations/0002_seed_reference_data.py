"""Reference data from the support policy: tiers, products, support regions.

They are rows, not constants: managers may rename, reorder and extend them in the admin."""

from decimal import Decimal

from django.db import migrations

PLANS = [
    # code, name, rank, expert hours per quarter, chat included
    ("basic", "Basic", 10, Decimal("0"), False),
    ("standard", "Standard", 20, Decimal("0"), False),
    ("hv", "HV", 30, Decimal("3"), True),
    ("enterprise", "Enterprise", 40, Decimal("6"), True),
]
PRODUCTS = [
    ("pressero", "Pressero", True),
    ("edocbuilder", "eDocBuilder", True),
    ("pjm", "PJM", False),
    ("tflow", "tFlow", False),
]
REGIONS = [
    ("usa", "USA", "America/Chicago"),
    ("spain", "Spain", "Europe/Madrid"),
    ("india", "India", "Asia/Kolkata"),
]


def seed(apps, schema_editor):
    Plan = apps.get_model("accounts", "Plan")
    Product = apps.get_model("accounts", "Product")
    SupportRegion = apps.get_model("accounts", "SupportRegion")
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
    for code, name, tz in REGIONS:
        SupportRegion.objects.get_or_create(code=code, defaults={"name": name, "timezone": tz})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

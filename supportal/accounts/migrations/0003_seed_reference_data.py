from django.db import migrations

from supportal.accounts import reference


def seed(apps, schema_editor):
    reference.seed(
        apps.get_model("accounts", "Plan"),
        apps.get_model("accounts", "Product"),
        apps.get_model("accounts", "SupportRegion"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_region_calendar_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

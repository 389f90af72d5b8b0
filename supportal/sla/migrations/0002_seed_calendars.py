from django.db import migrations

from supportal.sla import reference


def seed(apps, schema_editor):
    reference.seed(
        apps.get_model("accounts", "SupportRegion"),
        apps.get_model("sla", "WorkingHours"),
        apps.get_model("sla", "SlaPolicy"),
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial"), ("accounts", "0003_seed_reference_data")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

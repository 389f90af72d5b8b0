from django.db import migrations


def seed(apps, schema_editor):
    from supportal.status.reference import seed as seed_components

    seed_components(apps.get_model("status", "Component"), apps.get_model("accounts", "Product"))


class Migration(migrations.Migration):
    dependencies = [
        ("status", "0001_initial"),
        ("accounts", "0003_seed_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

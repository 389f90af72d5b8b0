from django.db import migrations

from supportal.billing import reference


def seed(apps, schema_editor):
    reference.seed(apps.get_model("billing", "WorkCategory"))


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Working hours from the policy (USA and Spain Mon-Fri 9-17 local; India to be decided)
and the default SLA policy (first response in 4 business hours)."""

from datetime import time

from django.db import migrations

HOURS = {"usa": (time(9), time(17)), "spain": (time(9), time(17))}


def seed(apps, schema_editor):
    SupportRegion = apps.get_model("accounts", "SupportRegion")
    WorkingHours = apps.get_model("sla", "WorkingHours")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for code, (opens, closes) in HOURS.items():
        region = SupportRegion.objects.filter(code=code).first()
        if region is None or WorkingHours.objects.filter(region=region).exists():
            continue
        for weekday in range(5):
            WorkingHours.objects.create(
                region=region, weekday=weekday, opens=opens, closes=closes
            )
    if not SlaPolicy.objects.filter(plan__isnull=True, kind="").exists():
        SlaPolicy.objects.create(
            name="Default", first_response_minutes=240, next_reply_minutes=480
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial"), ("accounts", "0003_region_calendar_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

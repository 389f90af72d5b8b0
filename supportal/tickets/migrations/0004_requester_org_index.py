# The customer's ticket list filters requester and organization: one index serves both.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_seed_reference_data'),
        ('tickets', '0003_queue_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_requester_recent',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['requester', 'organization', '-received_at', '-id'], name='ticket_requester_org_recent'),
        ),
    ]

"""The ticket's sort key and filter columns copied into the PostgreSQL search table, so
that one statement there answers a search's page and count (``tickets.search``). Existing
rows are filled here from their tickets; SQLite's FTS5 table is not concerned."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


COPIED = (
    "received_at, status, in_queue, urgent, sla_breached, engineering_escalated_at, "
    "product_id, organization_id, requester_id, assignee_id"
)
FILL = (
    f"UPDATE tickets_ticketsearchdocument d SET ({COPIED}) = "  # noqa: S608 - constants
    f"(SELECT {COPIED} FROM tickets_ticket t WHERE t.id = d.ticket_id)"
)


def fill_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_credentials_changed_and_organization_active"),
        ("tickets", "0013_audit_actions_of_the_workspace"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="assignee",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="engineering_escalated_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="in_queue",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="organization",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="product",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.product",
            ),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="received_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="requester",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="sla_breached",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="status",
            field=models.CharField(blank=True, default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="ticketsearchdocument",
            name="urgent",
            field=models.BooleanField(default=False, editable=False),
        ),
        # Filled before the index is built, not through it.
        migrations.RunPython(fill_columns, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="ticketsearchdocument",
            index=models.Index(fields=["received_at", "ticket"], name="ticket_search_received"),
        ),
        migrations.AddIndex(
            model_name="ticketsearchdocument",
            index=models.Index(
                fields=["organization", "received_at", "ticket"],
                name="ticket_search_org_received",
            ),
        ),
    ]

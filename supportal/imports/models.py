"""What was imported from where: the map that makes an import idempotent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ImportedRecord(models.Model):
    """One record of a source (``helpdesk``, ``zendesk``, ``csv`` and a name the operator
    gives) and the row it became here. Importing again finds it and creates nothing."""

    source = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)  # organization, user, ticket, reply, file
    external_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="one_row_per_source_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id} → {self.object_id}"

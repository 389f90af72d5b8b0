"""Keep the ticket search documents in step with the names they hold."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from supportal.accounts.events import renamed
from supportal.accounts.models import Organization

from .tasks import reindex_tickets_of_task


@receiver(renamed, dispatch_uid="tickets.reindex_renamed")
def _reindex_renamed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A requester's or an organization's name is in each of their tickets' search
    documents: a job indexes those tickets again once the rename is committed."""
    key = "organization_id" if isinstance(instance, Organization) else "requester_id"
    pk = instance.pk
    transaction.on_commit(lambda: reindex_tickets_of_task(**{key: pk}))

from typing import Any

from django.apps import AppConfig
from django.db import transaction


def _reindex_renamed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A requester's or an organization's name is in each of their tickets' search
    documents: a job indexes those tickets again once the rename is committed."""
    from supportal.accounts.models import Organization

    from .tasks import reindex_tickets_of_task

    key = "organization_id" if isinstance(instance, Organization) else "requester_id"
    pk = instance.pk
    transaction.on_commit(lambda: reindex_tickets_of_task(**{key: pk}))


class TicketsConfig(AppConfig):
    name = "supportal.tickets"
    label = "tickets"

    def ready(self) -> None:
        from supportal.accounts.events import renamed

        renamed.connect(_reindex_renamed, dispatch_uid="tickets.reindex_renamed")

"""Reads for SLA pages and reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from supportal.accounts.models import Organization
from supportal.tickets.models import AuditEvent


@dataclass(frozen=True)
class UrgentUse:
    organization: Organization
    urgent_filed: int
    downgraded: int
    paged: int

    @property
    def downgrade_rate(self) -> float:
        return self.downgraded / self.urgent_filed if self.urgent_filed else 0.0


def urgent_use_by_organization() -> list[UrgentUse]:
    """Per organization: tickets filed urgent, how many staff downgraded, how many paged.

    A ticket counts as filed urgent when it is urgent now or was downgraded since."""
    downgraded = Q(tickets__audit_events__action=AuditEvent.Action.URGENCY_DOWNGRADED)
    rows = Organization.objects.annotate(
        urgent_filed=Count("tickets", filter=Q(tickets__urgent=True) | downgraded, distinct=True),
        downgraded=Count("tickets", filter=downgraded, distinct=True),
        paged=Count("tickets__page", distinct=True),
    ).order_by("-urgent_filed", "name")
    return [
        UrgentUse(org, org.urgent_filed, org.downgraded, org.paged)
        for org in rows
        if org.urgent_filed
    ]

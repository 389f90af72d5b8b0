"""The expert-hours ledger: one allocation per organization and quarter, then uses,
refunds and carry-overs, all appended. Balances are sums of rows."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportal.accounts.models import Organization

from .ledger import (
    ExpertBalance,
    Quarter,
    balance_from_rows,
    carry_over_minutes,
    quarter_of,
    quarter_of_date,
)
from .ledger import hours_to_minutes as _minutes
from .models import ExpertHoursEntry, PlanTerms


def current_quarter() -> Quarter:
    return quarter_of(timezone.now(), settings.SUPPORTAL_VENDOR_TIME_ZONE)


def plan_carries_over(organization: Organization) -> bool:
    terms = PlanTerms.objects.filter(plan_id=organization.plan_id).first()
    if terms is None:
        return settings.SUPPORTAL_EXPERT_HOURS_CARRY_OVER
    return terms.expert_hours_carry_over


def _rows(organization: Organization, quarter: Quarter) -> list[tuple[str, int]]:
    return list(
        ExpertHoursEntry.objects.filter(
            organization=organization, quarter=str(quarter)
        ).values_list("kind", "minutes")
    )


def balance(organization: Organization, quarter: Quarter) -> ExpertBalance:
    """What the ledger says for a quarter, without writing anything.

    A quarter with no rows yet shows the plan's allocation (and any carry-over) as it
    will be written on first use. The quarter and the one before are read in one query
    (a ticket page shows the balance)."""
    previous = quarter.previous()
    both: dict[str, list[tuple[str, int]]] = {str(quarter): [], str(previous): []}
    found = ExpertHoursEntry.objects.filter(
        organization=organization, quarter__in=list(both)
    ).values_list("quarter", "kind", "minutes")
    for name, kind, minutes in found:
        both[name].append((kind, minutes))
    rows = both[str(quarter)]
    if not any(kind == "allocation" for kind, _ in rows):
        rows = rows + [("allocation", _minutes(organization.plan.expert_hours_per_quarter))]
        if not any(kind == "carry_over" for kind, _ in rows):
            carried = _carry_over_from(organization, both[str(previous)], quarter)
            rows.append(("carry_over", carried))
    return balance_from_rows(quarter, rows)


def _carry_over_into(organization: Organization, quarter: Quarter) -> int:
    return _carry_over_from(organization, _rows(organization, quarter.previous()), quarter)


def _carry_over_from(
    organization: Organization, previous_rows: list[tuple[str, int]], quarter: Quarter
) -> int:
    """What the previous quarter's rows carry into ``quarter``."""
    previous = quarter.previous()
    if not previous_rows:
        return 0
    return carry_over_minutes(
        balance_from_rows(previous, previous_rows),
        plan_carries_over=plan_carries_over(organization),
    )


def open_quarter(organization: Organization, quarter: Quarter) -> ExpertHoursEntry:
    """The quarter's allocation row, written on first need and locked for the caller.

    The allocation row is the lock that serialises uses of one organization's quarter.
    Safe when two requests open the same quarter at once (a unique constraint decides)."""
    found = (
        ExpertHoursEntry.objects.select_for_update()
        .filter(organization=organization, quarter=str(quarter), kind="allocation")
        .first()
    )
    if found is not None:
        return found
    try:
        with transaction.atomic():
            ExpertHoursEntry.objects.create(
                organization=organization,
                quarter=str(quarter),
                kind=ExpertHoursEntry.Kind.ALLOCATION,
                minutes=_minutes(organization.plan.expert_hours_per_quarter),
                note=f"{organization.plan.name} plan",
            )
            carried = _carry_over_into(organization, quarter)
            if carried:
                ExpertHoursEntry.objects.create(
                    organization=organization,
                    quarter=str(quarter),
                    kind=ExpertHoursEntry.Kind.CARRY_OVER,
                    minutes=carried,
                    note=f"Unused in {quarter.previous()}",
                )
    except IntegrityError:
        pass  # another request wrote it first
    return ExpertHoursEntry.objects.select_for_update().get(
        organization=organization, quarter=str(quarter), kind="allocation"
    )


def quarter_for_day(day: date) -> Quarter:
    return quarter_of_date(day)


def organization_quarters(organization: Organization) -> list[ExpertBalance]:
    """Every quarter with ledger rows, newest first."""
    quarters = (
        ExpertHoursEntry.objects.filter(organization=organization)
        .values_list("quarter", flat=True)
        .distinct()
    )
    return [
        balance(organization, q) for q in sorted({Quarter.parse(q) for q in quarters}, reverse=True)
    ]

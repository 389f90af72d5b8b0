"""Bulk actions on tickets chosen in the queue (and saved views): one registry, one view.

Each action is a ``BulkAction``: a name (the form's ``action`` value), a label for the
button, and ``run(actor, tickets, data) -> BulkOutcome``. It calls the ordinary service
for each ticket, so each ticket gets its own audit row and its own checks; one ticket's
refusal does not undo the others. Register an action with ``register`` at import time of
this module (or from another tickets module imported by it):

    register(BulkAction(name="status", label="Set status", run=_set_status))

The queue template renders every registered action's button; the view
(``views_bulk.bulk_action``) authorises, resolves the chosen tickets through
``tickets_visible_to`` and dispatches."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from .access import get_ticket_for_user
from .merge import merge_tickets
from .models import Ticket

MAX_TICKETS = 100


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)  # ticket numbers changed
    skipped: dict[str, str] = field(default_factory=dict)  # ticket number: why not

    def message(self, verb: StrOrPromise) -> str:
        parts = []
        if self.done:
            parts.append(f"{verb}: {', '.join(self.done)}.")
        for number, why in self.skipped.items():
            parts.append(f"{number}: {why}")
        return " ".join(parts) or _("Nothing was changed.")


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: StrOrPromise
    run: Callable[[User, list[Ticket], Mapping[str, str]], BulkOutcome]
    verb: StrOrPromise = gettext_lazy("Done")


ACTIONS: dict[str, BulkAction] = {}


def register(action: BulkAction) -> None:
    ACTIONS[action.name] = action


def why_refused(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        return " ".join(exc.errors.values())
    return getattr(exc, "message", str(exc))


def _merge_into(actor: User, tickets: list[Ticket], data: Mapping[str, str]) -> BulkOutcome:
    """Merge every chosen ticket into the one named by ``target`` (a number such as
    SUP-1042, or an id), which the actor must be able to see."""
    reference = (data.get("target") or "").strip()
    target = resolve_ticket_reference(actor, reference)
    if target is None:
        raise InvalidInput({"target": _("Name the ticket to merge into, e.g. SUP-1042.")})
    outcome = BulkOutcome()
    for ticket in tickets:
        if ticket.pk == target.pk:
            continue
        try:
            merge_tickets(source=ticket, target=target, actor=actor)
        except (RuleViolation, InvalidInput, NotPermitted) as exc:
            outcome.skipped[ticket.number or str(ticket.pk)] = why_refused(exc)
        else:
            outcome.done.append(ticket.number or str(ticket.pk))
    return outcome


def resolve_ticket_reference(user: User, reference: str) -> Ticket | None:
    """The ticket a user means by a number ("SUP-1042") or an id, if they may see it."""
    reference = reference.strip()
    if not reference:
        return None
    found = Ticket.objects.filter(number__iexact=reference).values_list("pk", flat=True).first()
    if found is None and reference.isdigit():
        found = int(reference)
    if found is None:
        return None
    try:
        return get_ticket_for_user(user, found)
    except Http404:
        return None


register(
    BulkAction(
        name="merge",
        label=gettext_lazy("Merge selected into"),
        run=_merge_into,
        verb=gettext_lazy("Merged"),
    )
)

"""What the ticket services do beyond the ticket's own rows, as named hooks.

Opening a ticket starts its SLA clocks, pages on-call when it is urgent after hours,
classifies it for billing, acknowledges it by mail and may assign it; a reply and a status
change have their own steps. Those belong to the apps built on tickets (sla, billing,
intake, workspace, reports), which tickets cannot import: imports point one way
(``[tool.importlinter]`` in pyproject.toml). So each step is a named hook here, each app
fills its own hooks in its ``AppConfig.ready()`` (``hooks.fill(...)``), and the services
call them by name, in order, inside their transaction: ``open_ticket`` reads as the list of
what filing does. A hook nobody filled does nothing.

A hook writes its own rows and enqueues jobs with ``transaction.on_commit``; it never sets
fields on the ticket it is handed. A hook whose result the ticket keeps returns it
(``start_sla_clocks`` returns the first-response due time) and the service writes it.

Why not signals: a signal's receivers run in app-loading order, unseen from the sender, and
cannot hand back a result, so the SLA receiver used to set the new ticket's due time for
open_ticket to save. Here the order is the service's code and every step is one name.

Hooks are called with keyword arguments: ``ticket`` always, and ``reply``, ``old_status``,
``new_status`` and ``actor`` where the comments below say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


def _nothing(**kwargs: Any) -> None:
    return None


@dataclass
class TicketHooks:
    # open_ticket, in this order. start_sla_clocks returns the first-response due time.
    start_sla_clocks: Callable[..., datetime | None] = _nothing  # sla
    page_on_call: Callable[..., object] = _nothing  # sla: urgent after hours (also raise_urgency)
    classify_billing: Callable[..., object] = _nothing  # billing
    acknowledge_ticket: Callable[..., object] = _nothing  # intake: mail to the requester
    assign_new_ticket: Callable[..., object] = _nothing  # workspace: automatic assignment

    # add_reply (ticket, reply), in this order
    follow_reply_in_sla: Callable[..., object] = _nothing  # sla: stop or start reply clocks
    notify_reply: Callable[..., object] = _nothing  # intake
    record_mentions: Callable[..., object] = _nothing  # workspace: @colleagues in notes
    refresh_reply_timing: Callable[..., object] = _nothing  # reports

    # every status change (ticket, old_status, new_status, actor), in this order
    follow_status_in_sla: Callable[..., object] = _nothing  # sla: pause, resume, stop; unpage
    notify_status: Callable[..., object] = _nothing  # intake
    refresh_status_timing: Callable[..., object] = _nothing  # reports

    # downgrade_urgency (ticket)
    cancel_page: Callable[..., object] = _nothing  # sla

    # merge_tickets (source, target), after the duplicate's status change
    notify_merge: Callable[..., object] = _nothing  # intake: both requesters

    def fill(self, **functions: Callable[..., Any]) -> None:
        """Plug an app's functions into named hooks (from its ``AppConfig.ready()``)."""
        names = {hook.name for hook in fields(self)}
        unknown = sorted(set(functions) - names)
        if unknown:
            raise TypeError(f"No ticket hook named {', '.join(unknown)}")
        for name, function in functions.items():
            setattr(self, name, function)


hooks = TicketHooks()

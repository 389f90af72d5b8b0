"""Staff pages that reshape tickets: merge, split, custom fields and the queue's bulk actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from . import custom_fields, merge
from .access import can_work_tickets, get_ticket_for_user, replies_visible_to, tickets_visible_to
from .bulk import ACTIONS, MAX_TICKETS, resolve_ticket_reference
from .forms import MergeForm, SplitForm, TicketFieldsForm
from .views import _staff_action


@login_required
@require_POST
@staff_only
def ticket_merge(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Merge this ticket (a duplicate) into the one named in the form; go to that one."""
    ticket = get_ticket_for_user(request.user, ticket_id)
    user = request.user
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the ticket to merge into, e.g. SUP-1042."))
        return redirect(ticket)
    target = resolve_ticket_reference(user, form.cleaned_data["target"])
    if target is None:
        messages.error(
            request, _("There is no ticket %(number)s.") % {"number": form.cleaned_data["target"]}
        )
        return redirect(ticket)
    try:
        merge.merge_tickets(source=ticket, target=target, actor=user)
    except (RuleViolation, NotPermitted) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect(ticket)
    messages.success(
        request,
        _("%(number)s merged into %(target)s") % {"number": ticket.number, "target": target.number},
    )
    return redirect(target)


@login_required
@require_POST
@staff_only
def ticket_split(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Make a customer's reply that asks another question into a ticket of its own."""
    ticket = get_ticket_for_user(request.user, ticket_id)
    user = request.user
    replies = [
        r for r in replies_visible_to(user, ticket) if not r.internal and r.author.is_customer
    ]
    form = SplitForm(request.POST, replies=replies)

    def act(data: dict[str, Any]) -> str:
        reply = next(r for r in replies if r.pk == data["reply_id"])
        result = merge.split_reply(reply=reply, actor=user, subject=data["subject"])
        return _("The reply is now ticket %(number)s") % {"number": result.ticket.number}

    return _staff_action(request, ticket, form, _("Choose the reply to split off."), act)


@login_required
@require_POST
@staff_only
def ticket_fields(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Staff change the ticket's custom fields."""
    ticket = get_ticket_for_user(request.user, ticket_id)
    form = TicketFieldsForm(request.POST, ticket=ticket)

    def act(data: dict[str, Any]) -> str:
        changes = custom_fields.set_field_values(
            ticket=ticket, actor=request.user, values=form.values()
        )
        return _("Fields saved") if changes else _("No field changed")

    return _staff_action(request, ticket, form, _("Check the fields' values."), act)


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[])
    tickets = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    target = forms.CharField(required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["action"]).choices = [
            (name, a.label) for name, a in ACTIONS.items()
        ]
        # Any id is offered; which of them the user may see is checked in the view.
        cast("forms.ChoiceField", self.fields["tickets"]).choices = [
            (v, v) for v in cast(QueryDict, self.data).getlist("tickets") if str(v).isdigit()
        ]


@login_required
@require_POST
def bulk_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Run one registered bulk action (tickets/bulk.py) on the tickets chosen in the queue."""
    user = request.user
    if not can_work_tickets(user):
        raise Http404("No such page")
    back = request.POST.get("next") or ""
    if not back.startswith("/tickets/queue/"):
        back = "/tickets/queue/"
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose tickets and an action."))
        return redirect(back)
    ids = form.cleaned_data["tickets"][:MAX_TICKETS]
    # Tickets the user may not see are left out, as if not chosen.
    tickets = list(tickets_visible_to(user).filter(pk__in=ids).order_by("pk"))
    action = ACTIONS[form.cleaned_data["action"]]
    try:
        outcome = action.run(user, tickets, {"target": form.cleaned_data["target"]})
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect(back)
    if outcome.skipped:
        messages.warning(request, outcome.message(action.verb))
    else:
        messages.success(request, outcome.message(action.verb))
    return redirect(back)

"""Agents' macros: the list, the editor, and the text of one macro for one ticket."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, add_errors

from . import macros
from .access import can_work_tickets, get_ticket_for_user
from .forms import MacroForm
from .models import Macro


def _agent(request: AuthenticatedHttpRequest) -> User:
    user = request.user
    if not can_work_tickets(user):
        raise Http404("No such page")
    return user


@login_required
@require_GET
def macro_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _agent(request)
    found = list(macros.macros_for(user).select_related("owner", "assignee"))
    return render(
        request,
        "tickets/macro_list.html",
        {
            "shared": [m for m in found if m.is_shared],
            "personal": [m for m in found if not m.is_shared],
            "can_edit": {m.pk for m in found if macros.can_edit_macro(user, m)},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def macro_edit(request: AuthenticatedHttpRequest, macro_id: int | None = None) -> HttpResponse:
    """Create a macro, or change one the user may edit (their own; shared: managers)."""
    user = _agent(request)
    macro = None
    if macro_id is not None:
        macro = macros.get_macro_for_user(user, macro_id)
        if macro is None or not macros.can_edit_macro(user, macro):
            raise Http404("No such macro")
    if request.method == "POST":
        form = MacroForm(request.POST, can_share=user.is_manager)
        if form.is_valid():
            data = form.cleaned_data
            assignee = None
            if data.get("assignee"):
                assignee = User.objects.filter(pk=data["assignee"]).first()
            try:
                saved = macros.save_macro(
                    actor=user,
                    name=data["name"],
                    body=data["body"],
                    set_status=data["set_status"],
                    assignee_action=data["assignee_action"],
                    assignee=assignee,
                    shared=bool(data.get("shared")),
                    macro=macro,
                )
            except InvalidInput as exc:
                add_errors(form, exc.errors)
            except NotPermitted as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Macro “%(name)s” saved") % {"name": saved.name})
                return redirect("tickets:macros")
    else:
        initial = {}
        if macro is not None:
            initial = {
                "name": macro.name,
                "body": macro.body,
                "set_status": macro.set_status,
                "assignee_action": macro.assignee_action,
                "assignee": macro.assignee_id or "",
                "shared": macro.is_shared,
            }
        form = MacroForm(initial=initial, can_share=user.is_manager)
    return render(request, "tickets/macro_form.html", {"form": form, "macro": macro})


@login_required
@require_POST
def macro_delete(request: AuthenticatedHttpRequest, macro_id: int) -> HttpResponse:
    user = _agent(request)
    macro = macros.get_macro_for_user(user, macro_id)
    if macro is None:
        raise Http404("No such macro")
    try:
        macros.delete_macro(actor=user, macro=macro)
    except NotPermitted as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Macro “%(name)s” deleted") % {"name": macro.name})
    return redirect("tickets:macros")


@login_required
@require_GET
@staff_only
def macro_text(request: AuthenticatedHttpRequest, ticket_id: int, macro_id: int) -> JsonResponse:
    """The macro's text filled in for this ticket, for the reply box's macro select."""
    ticket = get_ticket_for_user(request.user, ticket_id)
    user = request.user
    macro: Macro | None = macros.get_macro_for_user(user, macro_id)
    if macro is None:
        raise Http404("No such macro")
    body = macros.render_macro(macro, ticket=ticket, agent=user)
    response = JsonResponse({"id": macro.pk, "name": macro.name, "body": body})
    response["Cache-Control"] = "private, no-store"
    return response

"""The search page (agents and customers), saved views and tags on the ticket page.
Each view: authorise → parse → service or query → render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportal.accounts.models import User
from supportal.accounts.queries import support_staff_choices
from supportal.core.errors import InvalidInput, NotPermitted
from supportal.core.query_plans import planned_for_values

from . import bulk_changes, saved_views, tags
from .access import can_read_as_staff, can_work_tickets, get_ticket_for_user
from .forms import SavedViewForm, TagForm
from .models import Ticket
from .search import count_matches, search_page, search_tickets


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _search_url(query: str) -> str:
    return reverse("tickets:search") + "?" + urlencode({"q": query})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the tickets the user may see. An agent with no query sees the queue view; a
    customer their own tickets (an admin their organization's), newest first."""
    user = _user(request)
    staff = can_read_as_staff(user)
    typed = request.GET.get("q")
    query = typed if typed is not None else (saved_views.QUEUE_VIEW_QUERY if staff else "")
    found = search_tickets(user, query)
    with planned_for_values(needed=found.reach_varies):  # once for the page and count
        page = search_page(found, request.GET.get("cursor"))
        count = count_matches(found)
    response = render(
        request,
        "tickets/ticket_search.html",
        {
            "query": found.text,
            "page": page,
            "count": count,
            "problems": found.problems,
            "staff": staff,
            "can_save": can_work_tickets(user) and bool(found.text.strip()),
            "save_form": SavedViewForm(initial={"query": found.text}),
            "show_requester": staff or user.role == User.Role.CUSTOMER_ADMIN,
            "can_bulk": can_work_tickets(user) and bool(page.items),
            "agents": support_staff_choices() if can_work_tickets(user) and page.items else [],
            "statuses": Ticket.Status.choices,
        },
    )
    response["X-Search-Count"] = str(count)
    return response


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Assign, change the status of, or tag the tickets selected on the search page."""
    user = _user(request)
    if not can_work_tickets(user):
        raise Http404("No such page")
    query = request.POST.get("q", "")
    ids = [int(i) for i in request.POST.getlist("ticket_ids") if i.isdigit()]
    try:
        result = bulk_changes.apply_bulk_action(
            actor=user,
            ticket_ids=ids,
            action=request.POST.get("action", ""),
            value=request.POST.get("value", "").strip(),
        )
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect(_search_url(query))
    if result.done:
        messages.success(
            request,
            _("Changed %(count)s: %(numbers)s")
            % {"count": len(result.done), "numbers": ", ".join(result.done)},
        )
    for number, why in result.skipped.items():
        messages.error(
            request, _("%(number)s not changed: %(why)s") % {"number": number, "why": why}
        )
    return redirect(_search_url(query))


@login_required
@require_GET
def view_counts(request: HttpRequest) -> HttpResponse:
    """The saved views with their live counts: an htmx fragment of the search page, loaded
    after it (one count query per view, kept out of the search itself)."""
    user = _user(request)
    if not can_read_as_staff(user):
        raise Http404("No such page")
    return render(
        request,
        "tickets/ticket_search.html#view-counts",
        {"views": saved_views.view_counts(user), "query": request.GET.get("q", "")},
    )


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_work_tickets(user):
        raise Http404("No such page")
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        messages.error(request, _("Name the view and choose who sees it."))
        return redirect(_search_url(query))
    try:
        view = saved_views.save_view(
            owner=user,
            name=form.cleaned_data["name"],
            query=form.cleaned_data["query"],
            visibility=form.cleaned_data["visibility"],
        )
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect(_search_url(query))
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    return redirect(_search_url(view.query))


@login_required
@require_POST
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    user = _user(request)
    view = saved_views.get_view_for_user(user, view_id)
    try:
        saved_views.delete_view(view=view, actor=user)
    except NotPermitted as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Deleted the view “%(name)s”.") % {"name": view.name})
    return redirect("tickets:search")


def _tag_action(request: HttpRequest, ticket_id: int, add: bool) -> HttpResponse:
    user = _user(request)
    if not can_work_tickets(user):
        raise Http404("No such page")
    ticket = get_ticket_for_user(user, ticket_id)
    form = TagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the tag with letters or digits."))
        return redirect(ticket)
    name = form.cleaned_data["name"]
    try:
        if add:
            tag = tags.add_tag(ticket=ticket, actor=user, name=name)
            messages.success(request, _("Tagged %(name)s") % {"name": tag.name})
        elif tags.remove_tag(ticket=ticket, actor=user, name=name):
            messages.success(
                request, _("Removed the tag %(name)s") % {"name": tags.normalize_tag(name)}
            )
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
    return redirect(ticket)


@login_required
@require_POST
def add_tag(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _tag_action(request, ticket_id, add=True)


@login_required
@require_POST
def remove_tag(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _tag_action(request, ticket_id, add=False)

"""Saved views: a search an agent keeps, personal or shared with the support team, shown
with a live count. The queue is the first view of every agent (``QUEUE_VIEW``), built in.

A view is only its query string (``query_syntax``), so it is searched afresh each time
and always shows what the viewer may see. Counts stop at the search's count cap."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted
from supportal.core.query_plans import planned_for_values

from .access import can_read_as_staff, can_work_tickets
from .models import SavedView
from .search import MatchCount, count_matches, search_tickets

QUEUE_VIEW_NAME = gettext_noop("Queue")
QUEUE_VIEW_QUERY = "is:open order:queue"


@dataclass(frozen=True)
class ViewCount:
    id: int | None  # None for the built-in queue
    name: str
    query: str
    visibility: str
    owner_name: str
    count: MatchCount
    can_delete: bool


def views_visible_to(user: User) -> QuerySet[SavedView]:
    """The user's own views and the team's, by name."""
    if not can_read_as_staff(user):
        return SavedView.objects.none()
    return (
        SavedView.objects.filter(Q(owner=user) | Q(visibility=SavedView.Visibility.TEAM))
        .select_related("owner")
        .order_by("name", "id")
    )


def get_view_for_user(user: User, view_id: int) -> SavedView:
    try:
        return views_visible_to(user).get(pk=view_id)
    except (SavedView.DoesNotExist, ValueError, TypeError):
        raise Http404("No such view") from None


def can_delete_view(user: User, view: SavedView) -> bool:
    """The owner deletes their view; a manager any team view."""
    return view.owner_id == user.pk or (
        view.visibility == SavedView.Visibility.TEAM and user.is_manager
    )


def view_counts(user: User) -> list[ViewCount]:
    """The queue and every view the user may see, each with its (capped) count: one count
    query per view, at most SUPPORTAL_SAVED_VIEWS_MAX + the team's."""
    if not can_read_as_staff(user):
        return []
    with planned_for_values():  # one setting for all the counts
        queue = ViewCount(
            id=None,
            name=_(QUEUE_VIEW_NAME),
            query=QUEUE_VIEW_QUERY,
            visibility=SavedView.Visibility.TEAM,
            owner_name="",
            count=count_matches(search_tickets(user, QUEUE_VIEW_QUERY)),
            can_delete=False,
        )
        counts = [queue]
        for view in views_visible_to(user):
            counts.append(
                ViewCount(
                    id=view.pk,
                    name=view.name,
                    query=view.query,
                    visibility=view.visibility,
                    owner_name=view.owner.get_full_name(),
                    count=count_matches(search_tickets(user, view.query)),
                    can_delete=can_delete_view(user, view),
                )
            )
        return counts


def save_view(*, owner: User, name: str, query: str, visibility: str) -> SavedView:
    """Keep a search as a view. Preconditions: the owner works tickets.

    Raises InvalidInput for an empty name or query, a name the owner already uses, an
    unknown visibility, or an owner at SUPPORTAL_SAVED_VIEWS_MAX views."""
    if not can_work_tickets(owner):
        raise NotPermitted("Only support staff save views.")
    name, query = (name or "").strip(), (query or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the view.")
    elif len(name) > (SavedView._meta.get_field("name").max_length or 0):
        errors["name"] = _("Use a shorter name.")
    if not query:
        errors["query"] = _("Search for something first; a view keeps a search.")
    elif len(query) > (SavedView._meta.get_field("query").max_length or 0):
        errors["query"] = _("The search is too long to keep.")
    if visibility not in SavedView.Visibility.values:
        errors["visibility"] = _("Choose who sees the view.")
    if not errors and owner.saved_views.count() >= settings.SUPPORTAL_SAVED_VIEWS_MAX:
        errors["name"] = _("You have %(count)s views already; delete one first.") % {
            "count": settings.SUPPORTAL_SAVED_VIEWS_MAX
        }
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            return SavedView.objects.create(
                owner=owner, name=name, query=query, visibility=visibility
            )
    except IntegrityError:
        raise InvalidInput({"name": _("You already have a view with that name.")}) from None


def delete_view(*, view: SavedView, actor: User) -> None:
    if not can_delete_view(actor, view):
        raise NotPermitted("Only the view's owner (or a manager, for a team view) deletes it.")
    view.delete()

"""Who may see and change organizations and their people, and the reads that enforce it
(404 for what a person may not see)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast, overload

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from supportal.core.errors import NotPermitted

from .models import Invitation, Organization, User

View = Callable[..., HttpResponse]
V = TypeVar("V", bound=Callable[..., HttpResponseBase])


# --- Staff only -----------------------------------------------------------------------------


def is_working_staff(user: User | AnonymousUser) -> bool:
    """Active support staff: they work tickets, chats, mail and the status desk. Read-only
    staff (auditors) are not."""
    return isinstance(user, User) and user.is_active and user.is_support_staff


def require_staff(user: User | AnonymousUser, action: str) -> None:
    """The one staff-only check: ``NotPermitted("Only support staff <action>.")`` for anyone
    but working staff. Services and API routes call it (the API answers 403)."""
    if not is_working_staff(user):
        raise NotPermitted(f"Only support staff {action}.")


@overload
def staff_only(view: V, *, forbidden: str | None = None) -> V: ...
@overload
def staff_only(view: None = None, *, forbidden: str | None = None) -> Callable[[V], V]: ...
def staff_only(view: V | None = None, *, forbidden: str | None = None) -> V | Callable[[V], V]:
    """A view only working staff open. Anyone else gets 404, so the page is not revealed;
    with ``forbidden`` (a reason) 403 instead, for pages whose links everyone sees."""

    def decorate(view: V) -> V:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not is_working_staff(request.user):
                if forbidden is not None:
                    raise PermissionDenied(forbidden)
                raise Http404("No such page")
            return view(request, *args, **kwargs)

        return cast(V, guarded)

    return decorate(view) if view is not None else decorate


# --- Organizations and people ---------------------------------------------------------------


def can_create_organizations(user: User) -> bool:
    return user.is_active and user.is_manager


def can_list_organizations(user: User) -> bool:
    return user.is_active and user.is_support_staff


def can_manage_people(user: User, organization: Organization) -> bool:
    """Invite to, and see the people of, ``organization``: its customer admins and the
    support staff."""
    if not user.is_active:
        return False
    if user.is_support_staff:
        return True
    return user.role == User.Role.CUSTOMER_ADMIN and user.organization_id == organization.pk


def can_change_activation(actor: User, user: User) -> bool:
    """Deactivate or reactivate ``user``: never oneself; a manager anyone, other support
    staff and customer admins the customers of an organization they manage."""
    if not actor.is_active or actor.pk == user.pk:
        return False
    if actor.is_manager:
        return True
    if not user.is_customer or user.organization is None:
        return False
    return can_manage_people(actor, user.organization)


def get_organization_for_user(user: User, organization_id: int) -> Organization:
    """The organization whose people ``user`` may manage; 404 for any other."""
    organization = (
        Organization.objects.select_related("plan", "support_region")
        .filter(pk=organization_id)
        .first()
    )
    if organization is None or not can_manage_people(user, organization):
        raise Http404("No such organization")
    return organization


def members_of(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(organization=organization).order_by("-is_active", "name", "email")


def get_member_for_user(user: User, organization: Organization, member_id: int) -> User:
    """A person of ``organization`` (already checked with get_organization_for_user)."""
    member = members_of(organization).filter(pk=member_id).first()
    if member is None:
        raise Http404("No such person")
    return member


def invitations_of(organization: Organization) -> QuerySet[Invitation]:
    """Invitations not yet accepted nor withdrawn (expired ones included, marked so)."""
    return Invitation.objects.filter(
        organization=organization, accepted_at=None, revoked_at=None
    ).select_related("invited_by")


def get_invitation_for_user(
    user: User, organization: Organization, invitation_id: int
) -> Invitation:
    invitation = invitations_of(organization).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation

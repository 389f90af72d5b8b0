"""Reads of the workspace, with the permission filter built in."""

from __future__ import annotations

from django.db.models import QuerySet

from supportal.accounts.models import User
from supportal.tickets.access import can_work_tickets

from .mentions import handle_of
from .models import Mention


def staff_by_handle(handles: set[str]) -> list[User]:
    """Active members of staff who work tickets, named by their handles (a few dozen rows:
    read and matched here rather than with one LIKE per handle)."""
    if not handles:
        return []
    staff = User.objects.filter(role__in=User.STAFF_ROLES, is_active=True)
    return [user for user in staff if handle_of(user.email) in handles]


def mentions_of(user: User) -> QuerySet[Mention]:
    """The notes that named ``user``, newest first; nothing for anyone but staff."""
    qs = Mention.objects.select_related("ticket", "reply", "author")
    if not can_work_tickets(user):
        return qs.none()
    return qs.filter(mentioned=user)


def unread_mention_count(user: User) -> int:
    return mentions_of(user).filter(read_at__isnull=True).count()

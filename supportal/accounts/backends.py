"""The login backend: Django's model backend, loading what every page reads with the user."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .credentials import may_log_in
from .models import User

# Every page reads the user's organization (access rules), its plan (chat, billing) and a
# support region (the time zone of the times shown): one query instead of four.
USER_RELATIONS = ("organization__plan", "organization__support_region", "support_region")


def _user_with_relations(user_id: int) -> User | None:
    """The user with what every page reads, or None.

    Whether a customer attended a training is not read along (an ``Exists`` annotation):
    building it cost every request of every user more than the query it saves an untrained
    customer when filing (services.has_attended_training asks then)."""
    try:
        return User.objects.select_related(*USER_RELATIONS).get(pk=user_id)
    except User.DoesNotExist:
        return None


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: User) -> bool:  # type: ignore[override]  # ours only
        """Active, in an active organization: for the login and for every session."""
        return may_log_in(user)

    def get_user(self, user_id: int | str) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _user_with_relations(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

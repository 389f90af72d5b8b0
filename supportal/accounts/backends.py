"""The login backend: Django's model backend, loading what every page reads with the user."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, QuerySet

from supportal.core.prepared import PreparedQuery

from .credentials import may_log_in
from .models import TrainingAttendance, User

# Every page reads the user's organization (access rules), its plan (chat, billing) and a
# support region (the time zone of the times shown): one query instead of four.
USER_RELATIONS = ("organization__plan", "organization__support_region", "support_region")


def _user_with_relations(user_id: int) -> QuerySet[User]:
    # By primary key, so no ORDER BY (first() would sort by the model's ordering). Whether a
    # customer attended a training comes along (services.has_attended_training reads it):
    # filing and the ticket form ask on every request.
    return (
        User.objects.select_related(*USER_RELATIONS)
        .annotate(_attended_training=Exists(TrainingAttendance.objects.filter(user=OuterRef("pk"))))
        .filter(pk=user_id)
        .order_by()[:1]
    )


# Compiled once per thread: the user is read on every request.
_USER_QUERY = PreparedQuery(User, _user_with_relations)


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: User) -> bool:  # type: ignore[override]  # ours only
        """Active, in an active organization: for the login and for every session."""
        return may_log_in(user)

    def get_user(self, user_id: int | str) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _USER_QUERY.fetch(user_id)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

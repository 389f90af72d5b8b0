"""The login backend: Django's model backend, loading what every page reads with the user."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User

# Every page reads the user's organization (access rules), its plan (chat, billing) and a
# support region (the time zone of the times shown): one query instead of four.
USER_RELATIONS = ("organization__plan", "organization__support_region", "support_region")


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        # By primary key, so no ORDER BY (first() would sort by the model's ordering).
        found = list(User.objects.select_related(*USER_RELATIONS).filter(pk=user_id).order_by()[:1])
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

"""Session lifetime: an idle timeout and an absolute timeout for logged-in sessions.

SUPPORTAL_SESSION_IDLE_MINUTES without a request, or SUPPORTAL_SESSION_ABSOLUTE_HOURS after
the login, and the session is logged out: the request goes on as anonymous, so pages that
need a login send the person to it. A limit of 0 is off. Times are kept in the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

LOGIN_AT = "supportal_login_at"
SEEN_AT = "supportal_seen_at"
# Write the last-seen time at most this often, so reading pages does not save the session
# on every request.
SEEN_RESOLUTION_SECONDS = 60


def session_expired(session: SessionBase, now: float) -> bool:
    """Past either limit (a limit of 0 is off)."""
    absolute = settings.SUPPORTAL_SESSION_ABSOLUTE_HOURS * 3600
    idle = settings.SUPPORTAL_SESSION_IDLE_MINUTES * 60
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if absolute and login_at is not None and now - login_at > absolute:
        return True
    return bool(idle and seen_at is not None and now - seen_at > idle)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session and session_expired(session, time.time()):
            logout(request)  # flushes the session; request.user becomes anonymous
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = time.time()
            if LOGIN_AT not in session:
                session[LOGIN_AT] = now  # the session was just created by a login
            if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
        return response


def mark_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the absolute timeout counts from this login."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[LOGIN_AT] = now
        session[SEEN_AT] = now

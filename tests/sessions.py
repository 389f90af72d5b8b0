"""A real logged-in session, as the login form makes, for tests that speak to sockets or
other processes with a cookie header."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from supportal.accounts.models import User

# The backend the login form records (the last of AUTHENTICATION_BACKENDS; axes' is first).
LOGIN_BACKEND = "supportal.accounts.backends.AccountBackend"


def session_cookie(user: User) -> bytes:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = LOGIN_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}".encode()

"""A logged-in session for a bench client, made by the app's own login path.

The benches that talk HTTP or WebSocket as a customer or agent need a session cookie.
Writing the session's keys by hand names a login backend, and Django accepts a session
only when that backend is still in AUTHENTICATION_BACKENDS: the bench's hand-written
``ModelBackend`` stopped being accepted when the app got its own backend (and axes), and
every such request became anonymous (302 to the login page, 403 on the WebSocket). Going
through ``authenticate()`` and ``login()`` records whichever backend the app uses."""

from __future__ import annotations

from importlib import import_module


def session_key(email: str, password: str) -> str:
    """Log ``email`` in as the login form would, and return the saved session's key."""
    from django.conf import settings
    from django.contrib.auth import authenticate, login
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    user = authenticate(request, username=email, password=password)
    if user is None:
        raise RuntimeError(f"the bench could not log {email} in")
    login(request, user)
    request.session.save()
    return request.session.session_key or ""

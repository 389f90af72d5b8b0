"""The request type of views behind ``login_required``."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user has logged in: ``request.user`` is a ``User``, never anonymous.

    For annotations only (Django still builds a plain HttpRequest): a view takes it when
    ``login_required`` (or a guard that implies it) stands before the view. ``htmx`` is
    set on every request by django-htmx's middleware."""

    user: User
    htmx: HtmxDetails

"""Who is signed in: read once, when the request arrives."""

from __future__ import annotations

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest


class SignedInUserMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware, with ``request.user`` read when the request
    arrives instead of behind Django's lazy wrapper.

    Nearly every request that carries a session reads its user anyway (the header, the
    access checks, the person's language and time zone), and through the wrapper every
    attribute read of the user (``user.organization``, ``user.is_customer``, ...) takes a
    detour through its proxy: 3.8 % of the instructions of a ticket filed through the
    portal form (bench/RESULTS.md, "Stop 29"). A request without a session cookie reads
    nothing: its session is empty and its user anonymous. ``request.auser`` is Django's."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # checks that sessions come first; sets auser
        request.user = auth.get_user(request)

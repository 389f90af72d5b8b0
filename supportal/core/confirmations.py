"""Confirmation mail that anyone can ask for (status and news subscriptions): throttled.

A form that mails a link to any address is a way to mail-bomb that address, and, if its
answer or its timing differs, a way to learn who is known. So the caller answers the same
whatever this decides, and sends the mail from a job after commit (never inside the
request); this module decides whether a mail may go out now: at most
``SUPPORTAL_CONFIRMATION_MAILS_PER_ADDRESS`` per address (and purpose) per
``SUPPORTAL_CONFIRMATION_PERIOD_HOURS``, and ``SUPPORTAL_CONFIRMATION_REQUESTS_PER_CLIENT``
requests per client address per hour. The check and the record run under a named lock
per address, so parallel requests cannot pass the limit together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .locks import named_lock
from .models import ConfirmationRequest

SALT = "supportal.core.confirmations"


def email_hash(email: str) -> str:
    return salted_hmac(SALT, email.strip().lower(), algorithm="sha256").hexdigest()


def request_confirmation(
    *, purpose: str, email: str, client_ip: str | None, send: Callable[[], object]
) -> bool:
    """Record one request and, when the limits allow, run ``send`` (which enqueues the
    mail's job) after commit. True when it will be sent.

    The named lock is taken outside the transaction, so it is held until the record is
    committed, on SQLite too: two requests cannot both count before either is written."""
    now = timezone.now()
    hashed = email_hash(email)
    with named_lock(f"confirmation:{purpose}:{hashed}"), transaction.atomic():
        since = now - timedelta(hours=settings.SUPPORTAL_CONFIRMATION_PERIOD_HOURS)
        sent_to_address = ConfirmationRequest.objects.filter(
            purpose=purpose, email_hash=hashed, sent=True, created_at__gte=since
        ).count()
        from_client = 0
        if client_ip:
            from_client = ConfirmationRequest.objects.filter(
                purpose=purpose, ip_address=client_ip, created_at__gte=now - timedelta(hours=1)
            ).count()
        allowed = (
            sent_to_address < settings.SUPPORTAL_CONFIRMATION_MAILS_PER_ADDRESS
            and from_client < settings.SUPPORTAL_CONFIRMATION_REQUESTS_PER_CLIENT
        )
        ConfirmationRequest.objects.create(
            purpose=purpose, email_hash=hashed, ip_address=client_ip, created_at=now, sent=allowed
        )
        if allowed:
            transaction.on_commit(send)
    return allowed

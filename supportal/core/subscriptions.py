"""Email subscriptions anyone may ask for (news, status): double opt-in, one-click
unsubscribe (RFC 8058), each list an ``EmailSubscription`` table of its own app.

Asking stores nothing: a signed link, valid ``SUPPORTAL_SUBSCRIPTION_CONFIRM_DAYS``, carries
the address and topics, and is mailed by a job after commit unless the throttle
(``core.confirmations``) holds it back; the caller answers the same either way, so the
form tells nobody who subscribes. Following the link stores the subscription.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .confirmations import request_confirmation
from .errors import InvalidInput
from .links import absolute_url
from .models import EmailSubscription


@dataclass(frozen=True)
class SubscriptionRequest:
    """What a confirmation link asks for: the address and the topics turned on."""

    email: str
    topics: dict[str, bool] = field(default_factory=dict)
    language: str = ""  # the language of the page the request came from


@dataclass(frozen=True)
class SubscriptionList:
    """One list people subscribe to by email.

    ``purpose`` names it to the throttle, and its links are signed with the salt
    ``supportal.<purpose>``; ``namespace`` is the URL namespace with its ``confirm`` and
    ``unsubscribe`` pages; ``topics`` maps each boolean field of ``model`` a subscriber
    chooses to its key in the link, and ``no_topic`` is the error when none is chosen."""

    purpose: str
    model: type[EmailSubscription]
    namespace: str
    topics: dict[str, str] = field(default_factory=dict)
    no_topic: str = ""
    list_id: str = ""

    # --- Asking ---------------------------------------------------------------------------

    def request(
        self,
        *,
        email: str,
        client_ip: str | None,
        send: Callable[[SubscriptionRequest], object],
        topics: dict[str, bool] | None = None,
    ) -> None:
        """Check the address and topics (``InvalidInput``), then have ``send`` enqueue the
        confirmation mail after commit, unless the throttle holds it back."""
        email = email.strip().lower()
        topics = topics or {}
        errors = {}
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter a valid email address."
        if self.topics and not any(topics.get(name) for name in self.topics):
            errors["topics"] = self.no_topic
        if errors:
            raise InvalidInput(errors)
        wanted = SubscriptionRequest(
            email=email,
            topics={n: bool(topics.get(n)) for n in self.topics},
            language=translation.get_language() or "",
        )
        request_confirmation(
            purpose=self.purpose, email=email, client_ip=client_ip, send=lambda: send(wanted)
        )

    def confirm_link(self, wanted: SubscriptionRequest) -> str:
        """The absolute, signed link that confirms ``wanted``."""
        data: dict[str, Any] = {"e": wanted.email, "l": wanted.language}
        data.update({key: wanted.topics.get(name, False) for name, key in self.topics.items()})
        token = signing.dumps(data, salt=f"supportal.{self.purpose}")
        return absolute_url(reverse(f"{self.namespace}:confirm", args=[token]))

    def read(self, token: str) -> SubscriptionRequest | None:
        """The subscription a confirmation link asks for, or None when it is bad or expired."""
        max_age = timedelta(days=settings.SUPPORTAL_SUBSCRIPTION_CONFIRM_DAYS)
        try:
            data = signing.loads(token, salt=f"supportal.{self.purpose}", max_age=max_age)
        except signing.BadSignature:
            return None
        topics = {name: bool(data.get(key)) for name, key in self.topics.items()}
        return SubscriptionRequest(email=data["e"], topics=topics, language=data.get("l", ""))

    # --- Subscribing and leaving ------------------------------------------------------------

    @transaction.atomic
    def confirm(self, wanted: SubscriptionRequest) -> EmailSubscription:
        """Store the confirmed subscription; topics already on stay on. Subscribing again
        after an unsubscribe starts afresh (``start_again``)."""
        sub, created = self.model._default_manager.select_for_update().get_or_create(
            email=wanted.email, defaults={**wanted.topics, "language": wanted.language}
        )
        if not created:
            if sub.unsubscribed_at is not None:
                sub.start_again()
            for name, on in wanted.topics.items():
                setattr(sub, name, getattr(sub, name) or on)
            sub.language = wanted.language or sub.language
            sub.save()
        return sub

    def unsubscribe(self, *, token: str) -> bool:
        """One-click unsubscribe. True when a subscription was ended now."""
        return bool(
            self.model._default_manager.filter(token=token, unsubscribed_at=None).update(
                unsubscribed_at=timezone.now()
            )
        )

    # --- Mail to subscribers ----------------------------------------------------------------

    def unsubscribe_url(self, token: str) -> str:
        return absolute_url(reverse(f"{self.namespace}:unsubscribe", args=[token]))

    def message(self, *, to: str, token: str, subject: str, body: str) -> EmailMessage:
        """A message to a confirmed subscriber, with the unsubscribe link and headers."""
        link = self.unsubscribe_url(token)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if self.list_id:
            headers["List-Id"] = self.list_id
        return EmailMessage(
            subject=subject,
            body=f"{body}\n\n--\n"
            + gettext("Unsubscribe with one click: %(link)s") % {"link": link}
            + "\n",
            to=[to],
            headers=headers,
        )


# --- The public pages -------------------------------------------------------------------------


def confirm_page(
    request: HttpRequest, token: str, *, subscriptions: SubscriptionList, template: str
) -> HttpResponse:
    """The double opt-in link. GET asks (mail scanners follow links), POST confirms."""
    wanted = subscriptions.read(token)
    if wanted is None:
        return render(request, template, {"invalid": True}, status=404)
    if request.method == "POST":
        subscription = subscriptions.confirm(wanted)
        return render(request, template, {"subscription": subscription, "done": True})
    return render(request, template, {"wanted": wanted})


def unsubscribe_page(
    request: HttpRequest, token: str, *, subscriptions: SubscriptionList, template: str
) -> HttpResponse:
    """The one-click unsubscribe link: GET asks, POST (the mail client's, RFC 8058) ends it."""
    subscription = subscriptions.model._default_manager.filter(token=token).first()
    if subscription is None:
        raise Http404("No such subscription")
    if request.method == "POST":
        subscriptions.unsubscribe(token=token)
        subscription.refresh_from_db()
    return render(request, template, {"subscription": subscription})

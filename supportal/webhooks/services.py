"""Queue a delivery for every endpoint subscribed to an event, and post it.

``emit`` runs inside the transaction of the change it reports, so a change that rolls back
sends nothing and a committed one is never lost; the post itself is a job, enqueued on
commit. ``deliver`` claims a delivery with a conditional UPDATE, posts it once through the
outbound guard (``core.net``), and records the outcome: a 2xx is delivered; anything else
is tried again after a pause that doubles (SUPPORTAL_WEBHOOK_BACKOFF_SECONDS) until
SUPPORTAL_WEBHOOK_MAX_ATTEMPTS, then given up. A destination the guard refuses is given up
at once: it will not become public by waiting."""

from __future__ import annotations

import functools
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from supportal.core.net import BlockedAddress, safe_urlopen
from supportal.core.refcache import Reference

from . import signing, slack, tasks
from .models import Delivery, Endpoint, Event, new_secret

log = logging.getLogger(__name__)

STALE_SENDING_MINUTES = 10
USER_AGENT = "Supportal-Webhooks/1"


def _load_subscriptions() -> tuple[tuple[int, frozenset[str]], ...]:
    rows = Endpoint.objects.filter(is_active=True).values_list("pk", "events")
    return tuple((pk, frozenset(events)) for pk, events in rows)


# Read on every audited change: with no endpoints (the usual case) emitting costs nothing.
subscriptions = Reference("webhook endpoints", _load_subscriptions, changed_by=[Endpoint])


@dataclass(frozen=True)
class Attempt:
    delivered: bool
    retry_in_seconds: int | None = None  # None: nothing more to do


def emit(*, event: str, source: str, data: dict[str, Any]) -> list[int]:
    """Queue ``event`` for each active endpoint subscribed to it; ``source`` names what
    caused it, so the same cause seen twice queues nothing more. Returns the new
    deliveries' ids (they are posted once the caller's transaction commits)."""
    endpoint_ids = [pk for pk, events in subscriptions.get() if event in events]
    return _queue(endpoint_ids=endpoint_ids, event=event, source=source, data=data)


def send_test(*, endpoint: Endpoint) -> int:
    """A ``ping`` to one endpoint, whatever it subscribes to (the admin's test button)."""
    data = {"endpoint": endpoint.name, "at": timezone.now().isoformat()}
    source = f"ping:{timezone.now().timestamp()}"
    return _queue(endpoint_ids=[endpoint.pk], event=Event.PING, source=source, data=data)[0]


def _queue(*, endpoint_ids: list[int], event: str, source: str, data: dict[str, Any]) -> list[int]:
    created: list[int] = []
    payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    with transaction.atomic():
        for endpoint_id in endpoint_ids:
            delivery, is_new = Delivery.objects.get_or_create(
                endpoint_id=endpoint_id,
                source=source,
                defaults={"event": event, "payload": payload},
            )
            if is_new:
                created.append(delivery.pk)
    for delivery_id in created:
        transaction.on_commit(functools.partial(tasks.deliver_webhook_task, delivery_id))
    return created


def request_body(delivery: Delivery) -> bytes:
    """What is posted: the signed JSON envelope, or Slack's text message."""
    if delivery.endpoint.format == Endpoint.Format.SLACK:
        document: dict[str, Any] = slack.body_for(delivery.event, delivery.payload)
    else:
        document = {
            "id": str(delivery.uuid),
            "type": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def build_request(delivery: Delivery, *, now: int) -> urllib.request.Request:
    body = request_body(delivery)
    endpoint = delivery.endpoint
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Supportal-Event": delivery.event,
        "Supportal-Delivery": str(delivery.uuid),
        signing.HEADER: signing.header_value(secret=endpoint.secret, timestamp=now, body=body),
    }
    # http(s) only: the model validates the scheme and safe_urlopen refuses any other.
    return urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")  # noqa: S310


def backoff_seconds(attempts: int) -> int:
    return int(settings.SUPPORTAL_WEBHOOK_BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


def _post(request: urllib.request.Request) -> int:
    """The response's status. Redirects are not deliveries: a POST turned into a GET
    elsewhere would count as delivered, so a redirect is reported as a failure."""
    timeout = settings.SUPPORTAL_WEBHOOK_TIMEOUT_SECONDS
    with safe_urlopen(request, timeout=timeout) as response:
        response.read(1024)
        if response.geturl() != request.full_url:
            raise urllib.error.HTTPError(
                request.full_url,
                310,
                "redirected: set the endpoint's final URL",
                {},  # type: ignore[arg-type]
                None,
            )
        return int(response.status)


def _finish(delivery_id: int, **fields: Any) -> None:
    Delivery.objects.filter(pk=delivery_id).update(**fields)


def deliver(delivery_id: int, *, now: datetime | None = None) -> Attempt:
    """One attempt at posting one delivery. Safe to call any number of times."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return Attempt(delivered=False)  # delivered, being sent, or given up: not ours
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    if not delivery.endpoint.is_active:
        _finish(delivery_id, status=Delivery.Status.FAILED, last_error="The endpoint is off.")
        return Attempt(delivered=False)
    status: int | None = None
    try:
        status = _post(build_request(delivery, now=int(time.time())))
    except BlockedAddress as exc:
        _finish(delivery_id, status=Delivery.Status.FAILED, last_error=str(exc)[:1000])
        return Attempt(delivered=False)
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except (OSError, ValueError) as exc:  # refused, timed out, TLS, a URL it cannot post to
        error = f"{type(exc).__name__}: {exc}"
    else:
        _finish(
            delivery_id,
            status=Delivery.Status.DELIVERED,
            response_status=status,
            delivered_at=timezone.now(),
            last_error="",
        )
        return Attempt(delivered=True)
    # Logged by id: the URL may be a credential (Slack's), and it is never written out.
    log.warning(
        "webhook delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, error
    )
    if delivery.attempts >= settings.SUPPORTAL_WEBHOOK_MAX_ATTEMPTS:
        _finish(
            delivery_id,
            status=Delivery.Status.FAILED,
            response_status=status,
            last_error=error[:1000],
        )
        return Attempt(delivered=False)
    delay = backoff_seconds(delivery.attempts)
    _finish(
        delivery_id,
        status=Delivery.Status.PENDING,
        response_status=status,
        last_error=error[:1000],
        next_attempt_at=now + timedelta(seconds=delay),
    )
    return Attempt(delivered=False, retry_in_seconds=delay)


def due_ids(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Pending deliveries whose time has come: the safety net for a lost scheduled job."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def release_interrupted(*, now: datetime | None = None) -> int:
    """Deliveries left "sending" by a worker that died go back to pending: receivers
    deduplicate on the delivery's id, so sending one again is safe (unlike a mail)."""
    cutoff = (now or timezone.now()) - timedelta(minutes=STALE_SENDING_MINUTES)
    return Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff).update(
        status=Delivery.Status.PENDING, next_attempt_at=now or timezone.now()
    )


def send_again(*, delivery: Delivery) -> bool:
    """Staff send a given-up delivery again (after fixing the receiver). True if queued."""
    with transaction.atomic():
        queued = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if queued:
            transaction.on_commit(lambda: tasks.deliver_webhook_task(delivery.pk))
    return bool(queued)


def rotate_secret(*, endpoint: Endpoint) -> None:
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])

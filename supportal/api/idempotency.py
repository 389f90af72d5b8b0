"""``Idempotency-Key`` on API creates: a retried request is answered, not done twice.

For a POST to a path in SUPPORTAL_IDEMPOTENT_API_PATHS with the header, the key is written
(``core.IdempotencyKey``) in the same transaction as the request's work, with the answer.
The same key from the same user within SUPPORTAL_IDEMPOTENCY_KEY_HOURS:
- with the same method, path and body: the first answer (status and body) is replayed,
  with ``Idempotent-Replayed: true``; nothing is created again;
- with another body or path: 422, naming the header.
A duplicate that arrives while the first is still running waits for it (the unique index
holds its insert) and then gets the replay. Answers other than 2xx are not kept: the
request's work is rolled back with the key, so the client may retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from supportal.accounts.services import user_for_token
from supportal.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _applies(request: HttpRequest) -> bool:
    return request.method == "POST" and any(
        re.match(pattern, request.path) for pattern in settings.SUPPORTAL_IDEMPOTENT_API_PATHS
    )


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _key_error(message: str, type_: str) -> HttpResponse:
    body = {"detail": [{"loc": ["header", HEADER], "msg": message, "type": type_}]}
    return HttpResponse(json.dumps(body), status=422, content_type="application/json")


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.content_type or ""):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status)
    response["Content-Type"] = record.content_type
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or not _applies(request):
            return self.get_response(request)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
            return _key_error(
                f"Use 1 to {MAX_KEY_LENGTH} printable ASCII characters.", "value_error"
            )
        user = user_for_token(_bearer(request))
        if user is None:
            return self.get_response(request)  # the API answers 401
        print_ = fingerprint(request)
        cutoff = timezone.now() - timedelta(hours=settings.SUPPORTAL_IDEMPOTENCY_KEY_HOURS)
        IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=cutoff).delete()

        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=user, key=key, fingerprint=print_, status=0, body=b""
                    )
            except IntegrityError:
                record = None
            if record is not None:
                response = self.get_response(request)
                if 200 <= response.status_code < 300 and not response.streaming:
                    record.status = response.status_code
                    record.body = response.content
                    record.content_type = response.get("Content-Type", "application/json")
                    record.save(update_fields=["status", "body", "content_type"])
                else:
                    transaction.set_rollback(True)
                return response
            earlier = IdempotencyKey.objects.get(user=user, key=key)
        if earlier.fingerprint != print_:
            return _key_error(
                "This Idempotency-Key was already used for a different request.",
                "idempotency_key_reused",
            )
        return _replay(earlier)

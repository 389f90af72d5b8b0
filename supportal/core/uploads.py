"""Upload limits enforced while the request is read, not after it is stored.

Two layers:

- ``RequestBodyLimit`` (ASGI, wraps the HTTP app in ``supportal.asgi``) and
  ``RequestBodyLimitMiddleware`` (the same check for a WSGI server, e.g. the test live
  server) answer **413** when a request body is larger than the cap: at once from its
  ``Content-Length``, before reading any of it, or, for a chunked body, as soon as the
  bytes received pass the cap (the rest is never read). Multipart bodies (file uploads)
  may be ``SUPPORTAL_UPLOAD_REQUEST_MAX_BYTES`` long (default: the per-file limit times
  the file count, plus 1 MB of form fields); every other body ``SUPPORTAL_REQUEST_MAX_BYTES``
  (5 MB, also Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``).

- ``LimitedUploadHandler`` (the only ``FILE_UPLOAD_HANDLERS`` entry) stores a file of a
  multipart body only while it is within ``SUPPORTAL_ATTACHMENT_MAX_BYTES`` and only for
  the first ``SUPPORTAL_ATTACHMENT_MAX_COUNT`` files: the bytes of a file past its limit,
  and of every file past the count, are dropped as they arrive (what was written of an
  oversized file is deleted), and the reason is kept on the request. The form fields
  around the files are still parsed, so a form shown again keeps what was typed; views
  turn ``upload_refusals(request)`` into a message on the page (or a 422 in JSON).
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REFUSALS_ATTRIBUTE = "_supportal_upload_refusals"


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 1 else f"{size // 1024} KB"


# --- The whole body ---------------------------------------------------------------------


def body_limit(content_type: str) -> int:
    """The largest body accepted for a request of this content type."""
    if content_type.split(";", 1)[0].strip().lower() == "multipart/form-data":
        return settings.SUPPORTAL_UPLOAD_REQUEST_MAX_BYTES
    return settings.SUPPORTAL_REQUEST_MAX_BYTES


def _too_large_message(limit: int) -> str:
    return f"The request is larger than the {_megabytes(limit)} limit."


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def too_large_body(path: str, limit: int) -> tuple[str, bytes]:
    """The content type and body of the 413 answer: JSON for the API, a short page else."""
    message = _too_large_message(limit)
    if _is_api(path):
        return "application/json", json.dumps(
            {"detail": message, "code": "request_too_large"}
        ).encode()
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Request too large</title></head><body><h1>Request too large</h1>"
        f"<p>{message} Attach fewer or smaller files and try again.</p></body></html>"
    )
    return "text/html; charset=utf-8", page.encode()


class RequestBodyLimit:
    """ASGI middleware: refuse an oversized HTTP request body with 413 without reading it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        limit = body_limit(headers.get(b"content-type", b"").decode("latin-1"))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = None
            if length is not None and length > limit:
                await self._refuse(scope, receive, send, limit)
                return

        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Django stops reading at a disconnect and answers nothing; we answer.
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)
        if exceeded and not started:
            await self._refuse(scope, receive, send, limit)

    @staticmethod
    async def _refuse(scope: dict[str, Any], receive: Any, send: Any, limit: int) -> None:
        """Send the 413 at once, then read and drop what the client is still sending (up to
        a bound) before the response ends and the server closes the connection.

        Closing a socket with unread bytes in it makes the kernel answer with a reset,
        which can destroy the 413 before the client reads it (most clients, httpx included,
        send the whole body before they read): the client sees "connection reset" instead
        of the reason. Nothing drained is kept."""
        content_type, body = too_large_body(scope.get("path", ""), limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": True})
        await discard_body(
            receive,
            max_bytes=settings.SUPPORTAL_REFUSED_BODY_DRAIN_BYTES,
            max_seconds=settings.SUPPORTAL_REFUSED_BODY_DRAIN_SECONDS,
        )
        await send({"type": "http.response.body", "body": b""})


async def discard_body(receive: Any, *, max_bytes: int, max_seconds: float) -> int:
    """Receive and drop the rest of a request body until it ends, the client goes away,
    ``max_bytes`` were dropped or ``max_seconds`` passed; returns the bytes dropped."""
    dropped = 0
    deadline = time.monotonic() + max_seconds
    while dropped <= max_bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            message = await asyncio.wait_for(receive(), timeout=remaining)
        except TimeoutError:
            break
        if message["type"] != "http.request":
            break
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return dropped


class RequestBodyLimitMiddleware:
    """The same cap under WSGI, from ``Content-Length`` (WSGI bodies always declare it).
    Under ASGI ``RequestBodyLimit`` has already refused such a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.META.get("CONTENT_TYPE", ""))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            content_type, body = too_large_body(request.path, limit)
            # The server closes the connection itself when the body is left unread.
            return HttpResponse(body, status=413, content_type=content_type)
        return self.get_response(request)


# --- Each file --------------------------------------------------------------------------


def upload_limits_apply(path: str) -> bool:
    """Signed webhooks (mail with its attachments) are bounded by their own limits."""
    return not any(re.search(pattern, path) for pattern in settings.SUPPORTAL_UPLOAD_EXEMPT_PATHS)


def _too_large_file(file_name: str | None, max_bytes: int) -> str:
    """Why a file was left out, in the language of the person uploading it."""
    return _("%(file)s is larger than the %(limit)s limit.") % {
        "file": file_name,
        "limit": _megabytes(max_bytes),
    }


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Stores each uploaded file in a temporary file while it is within the limits;
    drops the rest as it arrives and records why on the request."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.count = 0
        self.refusal: str | None = None
        self.applies = request is None or upload_limits_apply(request.path)

    def _refusals(self) -> list[str]:
        if self.request is None:
            return []
        refusals = getattr(self.request, REFUSALS_ATTRIBUTE, None)
        if refusals is None:
            refusals = []
            setattr(self.request, REFUSALS_ATTRIBUTE, refusals)
        return refusals

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        self.count += 1
        self.refusal = None
        max_bytes = settings.SUPPORTAL_ATTACHMENT_MAX_BYTES
        max_count = settings.SUPPORTAL_ATTACHMENT_MAX_COUNT
        if self.applies and self.count > max_count:
            self.refusal = ngettext(
                "At most %(count)s file can be attached at once.",
                "At most %(count)s files can be attached at once.",
                max_count,
            ) % {"count": max_count}
        elif self.applies and content_length is not None and content_length > max_bytes:
            self.refusal = _too_large_file(file_name, max_bytes)
        if self.refusal is not None:
            # No temporary file for it; ``file`` stays a harmless object the parser may close.
            self.field_name, self.file_name = field_name, file_name
            self.file = io.BytesIO()  # type: ignore[assignment]  # a stand-in, never read
            return
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.refusal is not None:
            return None
        max_bytes = settings.SUPPORTAL_ATTACHMENT_MAX_BYTES
        if self.applies and start + len(raw_data) > max_bytes:
            self.refusal = _too_large_file(self.file_name, max_bytes)
            self.file.close()  # a NamedTemporaryFile: closing deletes what was written
            self.file = io.BytesIO()  # type: ignore[assignment]  # a stand-in, never read
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> Any:
        if self.refusal is not None:
            refusals = self._refusals()
            if self.refusal not in refusals:
                refusals.append(self.refusal)
            return None
        return super().file_complete(file_size)

    def upload_interrupted(self) -> None:
        if self.refusal is None:
            super().upload_interrupted()


def upload_refusals(request: HttpRequest) -> list[str]:
    """Why files of this request were left out (parses the body if not done yet)."""
    if request.method in ("POST", "PUT", "PATCH"):
        request.FILES  # noqa: B018 - parsing the body runs the upload handler
    return list(getattr(request, REFUSALS_ATTRIBUTE, []))


def refused_upload_response(request: HttpRequest, field: str = "file") -> JsonResponse | None:
    """A 422 naming the refused files, for JSON upload endpoints; None when none was."""
    refusals = upload_refusals(request)
    if not refusals:
        return None
    return JsonResponse({"errors": {field: " ".join(refusals)}}, status=422)

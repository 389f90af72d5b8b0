"""How the API answers errors: one body shape per status, as declared in the OpenAPI doc.

401/403/404 ``{"detail": str}``; 409 ``{"detail": str, "code": str}``; 422
``{"detail": [{"loc": [...], "msg": str, "type": str}, ...]}`` for both ninja's own
validation and the services' ``InvalidInput``.
"""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.pagination import InvalidCursor

# Every JSON body is a single parameter named ``payload``, so a service's InvalidInput for
# field "subject" sits where ninja would report it: ["body", "payload", "subject"].
BODY_LOC = ("body", "payload")


def field_error(loc: tuple[str | int, ...], msg: str, type_: str) -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "type": type_}


def install_error_handlers(api: NinjaAPI) -> None:
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        items = [
            field_error(tuple(item["loc"]), str(item["msg"]), str(item["type"]))
            for item in exc.errors
        ]
        return api.create_response(request, {"detail": items}, status=422)

    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        items = [
            field_error((*BODY_LOC, name), message, "invalid")
            for name, message in exc.errors.items()
        ]
        return api.create_response(request, {"detail": items}, status=422)

    def rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
        body = {"detail": exc.message, "code": exc.code}
        return api.create_response(request, body, status=409)

    def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message}, status=403)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and exc.__cause__ is not None:
            # ninja's body parser failed (it raises 400 "from" the decode error): that is
            # invalid input like any other, so it answers 422 in the same shape.
            item = field_error(("body",), "The request body is not valid JSON.", "json_invalid")
            return api.create_response(request, {"detail": [item]}, status=422)
        response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
        if isinstance(exc, AuthenticationError):
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # Input the database cannot hold or compare (PostgreSQL refuses NUL characters in
        # text; numbers past its range): invalid input, not a server error. The failed
        # statement's transaction has already been rolled back when this runs.
        item = field_error(
            ("request",),
            "A value is not accepted (a NUL character or a number out of range).",
            "invalid",
        )
        return api.create_response(request, {"detail": [item]}, status=422)

    def invalid_cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
        item = field_error(("query", "cursor"), InvalidCursor.message, "invalid_cursor")
        return api.create_response(request, {"detail": [item]}, status=422)

    # arg-type: ninja types a handler as taking any Exception; each of these takes the one
    # it is registered for.
    api.add_exception_handler(ValidationError, validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(InvalidCursor, invalid_cursor)  # type: ignore[arg-type]
    api.add_exception_handler(DataError, data_error)  # type: ignore[arg-type]
    api.add_exception_handler(InvalidInput, invalid_input)  # type: ignore[arg-type]
    api.add_exception_handler(RuleViolation, rule_violation)  # type: ignore[arg-type]
    api.add_exception_handler(NotPermitted, not_permitted)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]

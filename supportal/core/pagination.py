"""Keyset (cursor) pagination: no OFFSET, no COUNT over all rows.

A cursor is ours only when it decodes to one value per ordering field, each one its field
accepts. Anything else raises ``InvalidCursor``, the one place a forged, truncated or
stale-format cursor is told apart: it is a ``BadRequest``, so a page answers 400, and the
API maps it to 422 on the ``cursor`` query parameter (``supportal.api.errors``)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Field, Q, QuerySet


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


class InvalidCursor(BadRequest):
    """A ``?cursor=`` that is not one this server handed out."""

    message = "The cursor is not valid: start again from the first page."


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """The cursor's ``size`` raw values. Raises InvalidCursor when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, RecursionError) as exc:
        raise InvalidCursor(InvalidCursor.message) from exc
    if not isinstance(values, list) or len(values) != size:
        raise InvalidCursor(InvalidCursor.message)
    return values


def _cursor_value(field: Field[Any, Any], value: Any) -> Any:
    """``value`` as ``field`` holds it, or InvalidCursor: of the wrong type, out of the
    database's range, None where the field has no NULL, a NUL character (PostgreSQL text
    cannot hold one)."""
    if isinstance(value, list | dict) or (value is None and not field.null):
        raise InvalidCursor(InvalidCursor.message)
    if isinstance(value, str) and "\x00" in value:
        raise InvalidCursor(InvalidCursor.message)
    try:
        parsed = field.to_python(value)
        if parsed is not None:
            field.run_validators(parsed)
    except (ValidationError, TypeError, ValueError, OverflowError) as exc:
        raise InvalidCursor(InvalidCursor.message) from exc
    return parsed


def keyset_page(
    queryset: QuerySet[Any],
    *,
    order: list[str],
    cursor: str | None,
    limit: int,
) -> Page:
    """One page of ``queryset`` in ``order`` (fields, "-" for descending), after ``cursor``.

    The last field must be unique (the primary key) so the order is total. Boolean and
    datetime fields are supported. A cursor that does not decode raises InvalidCursor."""
    fields = [f.lstrip("-") for f in order]
    qs = after_cursor(queryset, order=order, cursor=cursor).order_by(*order)
    rows = list(qs[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, name) for name in fields])
    return Page(items=rows, next_cursor=next_cursor)


def after_cursor(queryset: QuerySet[Any], *, order: list[str], cursor: str | None) -> QuerySet[Any]:
    """``queryset`` narrowed to the rows after ``cursor`` in ``order`` (unordered: the
    caller orders). A cursor that does not decode raises InvalidCursor."""
    if not cursor:
        return queryset
    fields = [f.lstrip("-") for f in order]
    values = decode_cursor(cursor, len(order))
    model = queryset.model
    parsed = [
        _cursor_value(model._meta.get_field(name), value)
        for name, value in zip(fields, values, strict=True)
    ]
    condition = Q()
    for i, name in enumerate(order):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        step = Q(**{f"{field}__{lookup}": parsed[i]})
        for j in range(i):
            step &= Q(**{fields[j]: parsed[j]})
        condition |= step
    return queryset.filter(condition)

"""Keyset (cursor) pagination: no OFFSET, no COUNT over all rows."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any] | None:
    """The cursor's values, or None when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    return values


def keyset_page(
    queryset: QuerySet,
    *,
    order: list[str],
    cursor: str | None,
    limit: int,
) -> Page:
    """One page of ``queryset`` in ``order`` (fields, "-" for descending), after ``cursor``.

    The last field must be unique (the primary key) so the order is total. Boolean and
    datetime fields are supported. A cursor that does not decode starts from the top."""
    fields = [f.lstrip("-") for f in order]
    qs = queryset.order_by(*order)
    values = decode_cursor(cursor, len(order)) if cursor else None
    if values is not None:
        model = queryset.model
        parsed = []
        for name, value in zip(fields, values, strict=True):
            field = model._meta.get_field(name)
            parsed.append(field.to_python(value))
        condition = Q()
        for i, name in enumerate(order):
            field = name.lstrip("-")
            lookup = "lt" if name.startswith("-") else "gt"
            step = Q(**{f"{field}__{lookup}": parsed[i]})
            for j in range(i):
                step &= Q(**{fields[j]: parsed[j]})
            condition |= step
        qs = qs.filter(condition)
    rows = list(qs[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, name) for name in fields])
    return Page(items=rows, next_cursor=next_cursor)

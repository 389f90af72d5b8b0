"""The machinery of the authorization walker: every URL pattern, every API operation, and
a snapshot of the whole database to prove a refused write changed nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Rows that change on every request whoever makes it, so they are not "data": the session
# (its activity stamp), a token's last-use stamp, axes' access log and the idempotency
# keys of the API's own bookkeeping are compared by count only.
TOUCHED_BY_EVERY_REQUEST = {
    "sessions.session",
    "accounts.apitoken",
    "axes.accesslog",
    "axes.accessattempt",
    "axes.accessfailurelog",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the route as written, e.g. "tickets/<int:ticket_id>/"
    kwargs: tuple[str, ...]


def page_routes() -> Iterator[Route]:
    """Every named URL pattern outside the JSON API (which is walked from its OpenAPI)."""

    def walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                if namespace and entry.namespace:
                    ns = f"{namespace}:{entry.namespace}"
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                kwargs = tuple(entry.pattern.regex.groupindex)
                yield Route(name, prefix + str(entry.pattern), kwargs)

    yield from walk(get_resolver().url_patterns, "", None)


def fill(route: Route, values: dict[str, str]) -> str:
    """The route's path with Acme Print's IDs in it."""
    kwargs = {}
    for kwarg in route.kwargs:
        for key in (f"{route.name}:{kwarg}", f"{route.name.split(':')[0]}:{kwarg}", kwarg):
            if key in values:
                kwargs[kwarg] = values[key]
                break
        else:
            raise KeyError(f"no value for {kwarg} of {route.name} ({route.pattern})")
    return reverse(route.name, kwargs=kwargs)


def snapshot() -> dict[str, object]:
    """Every model's row count, and a digest of every row of every model whose rows are
    data (not per-request bookkeeping): an update is caught as well as an insert."""
    state: dict[str, object] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            label = model._meta.label_lower
            table = connection.ops.quote_name(model._meta.db_table)
            if label in TOUCHED_BY_EVERY_REQUEST:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - model tables
                state[label] = cursor.fetchone()[0]
                continue
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - model tables
            digest = hashlib.sha256()
            rows = 0
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
                rows += 1
            state[label] = (rows, digest.hexdigest())
    return state


def changes(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return sorted(label for label in after if before.get(label) != after[label])

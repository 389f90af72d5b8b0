"""Benchmark aid: count the SQL queries of each request into an ``X-Query-Count`` header.

Installed first in MIDDLEWARE only when ``SUPPORTAL_QUERY_COUNT_HEADER=1`` (settings.py), so
production never pays for it; `make bench` turns it on to show queries per request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrapped = [connections[alias] for alias in connections]
        for connection in wrapped:
            connection.execute_wrappers.append(counter)
        try:
            response = self.get_response(request)
        finally:
            for connection in wrapped:
                connection.execute_wrappers.remove(counter)
        response["X-Query-Count"] = str(count)
        return response

"""Fixtures for the attack and reliability tests: committed demo data, real threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from supportal.demo.loader import Demo, load_demo
from tests.news.smtp import smtp  # noqa: F401  (fixture: a real SMTP listener on loopback)

SQLITE_SKIP = (
    "concurrency runs on PostgreSQL: the SQLite test database is in memory with a shared "
    "cache, where concurrent writers fail with 'table is locked' instead of waiting"
)


@pytest.fixture
def committed_demo(transactional_db, django_db_serialized_rollback) -> Demo:
    """The demo personas, committed so other threads (and the live server) see them."""
    return load_demo(with_tickets=False)


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(SQLITE_SKIP)


def in_threads(work: Callable[[int], Any], count: int) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # returned to the test, which asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results

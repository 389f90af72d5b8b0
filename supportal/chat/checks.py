"""Start-up checks of the chat's settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register

from supportal.core.checks import pool_size


@register()
def chat_threads_fit_the_pool(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[Error]:
    """Each chat database thread keeps one pooled connection: with as many threads as the
    pool holds, page requests would wait for a connection that never comes back."""
    return threads_against_pool(settings.SUPPORTAL_CHAT_DB_THREADS, pool_size())


def threads_against_pool(threads: int, pool_size: int) -> list[Error]:
    """``pool_size`` 0: no pool (SQLite, or pooling off), so no limit."""
    if pool_size and threads >= pool_size:
        return [
            Error(
                f"SUPPORTAL_CHAT_DB_THREADS ({threads}) must be below SUPPORTAL_DB_POOL_SIZE "
                f"({pool_size}): each chat thread keeps one connection of the pool.",
                hint="Lower SUPPORTAL_CHAT_DB_THREADS or raise SUPPORTAL_DB_POOL_SIZE.",
                id="supportal.chat.E001",
            )
        ]
    return []

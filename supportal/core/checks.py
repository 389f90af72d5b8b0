"""Start-up checks of the web process's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def http_threads_fit_the_pool(app_configs, **kwargs) -> list[Error]:
    """Each busy page thread holds one pooled connection and each chat thread keeps one: with
    more threads than the pool holds, pages would wait for a connection and then fail."""
    return http_threads_against_pool(
        settings.SUPPORTAL_HTTP_THREADS, settings.SUPPORTAL_CHAT_DB_THREADS, pool_size()
    )


def pool_size() -> int:
    """Connections each process's database pool holds; 0 when no pool is in use (SQLite,
    or pooling off), so thread counts have no such bound."""
    uses_pool = any(db.get("OPTIONS", {}).get("pool") for db in settings.DATABASES.values())
    return settings.SUPPORTAL_DB_POOL_SIZE if uses_pool else 0


def http_threads_against_pool(http: int, chat: int, pool_size: int) -> list[Error]:
    """``pool_size`` 0: no pool (SQLite, or pooling off), so no limit."""
    if pool_size and http + chat > pool_size:
        return [
            Error(
                f"SUPPORTAL_HTTP_THREADS ({http}) and SUPPORTAL_CHAT_DB_THREADS ({chat}) need "
                f"more connections than SUPPORTAL_DB_POOL_SIZE ({pool_size}) holds.",
                hint="Lower either, or raise SUPPORTAL_DB_POOL_SIZE (and PostgreSQL's "
                "max_connections to match).",
                id="supportal.core.E001",
            )
        ]
    return []

"""Start-up checks of the web process's settings."""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def http_threads_fit_the_pool(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[Error]:
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


@register()
def data_files_are_private(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Warning]:
    """The database, the job queue, attachments, backups and the keys must not be readable
    by other local users (``supportal`` creates them so; older installs may not be)."""
    return [
        Warning(
            f"{path} can be read or entered by other local users (mode {mode:04o}).",
            hint=f"chmod {'-R ' if path.is_dir() else ''}go-rwx {path}",
            id="supportal.core.W001",
        )
        for path, mode in shared_data_files()
    ]


def private_data_paths() -> list[Path]:
    """What holds customer data or secrets, when it exists: the data dir, the media dir, the
    backup dir, the SQLite database and job queue (with their journals) and the keys."""
    data_dir = Path(settings.DATA_DIR)
    candidates = [data_dir, Path(settings.MEDIA_ROOT), Path(settings.SUPPORTAL_BACKUP_DIR)]
    candidates += [data_dir / "secret_key", data_dir / "fernet_key"]
    databases = [str(db["NAME"]) for db in settings.DATABASES.values() if "sqlite" in db["ENGINE"]]
    if settings.HUEY.get("filename"):
        databases.append(str(settings.HUEY["filename"]))
    for name in databases:
        if name and not name.startswith(("file:", ":memory:")):
            candidates += [Path(name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    return [path for path in dict.fromkeys(candidates) if path.exists()]


def shared_data_files() -> list[tuple[Path, int]]:
    """Each private path that grants its group or other users any access, with its mode."""
    found = []
    for path in private_data_paths():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            found.append((path, mode))
    return found

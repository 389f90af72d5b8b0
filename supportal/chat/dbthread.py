"""Database work from the chat consumers, in Django's database thread.

Like ``channels.db.database_sync_to_async``, except that a healthy SQLite connection is
kept between calls. The settings give SQLite ``CONN_MAX_AGE = 0``, so channels' helper
would close it after every message, and closing the last connection to a WAL database
checkpoints it: that was most of the cost of a chat message. A connection that errored or
sits in a transaction is still closed, and other databases keep Django's own rules."""

from __future__ import annotations

from asgiref.sync import SyncToAsync
from django.db import connections


def _refresh_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and not conn.settings_dict.get("CONN_MAX_AGE"):
            if conn.connection is not None and (conn.errors_occurred or not conn.get_autocommit()):
                conn.close()
        else:
            conn.close_if_unusable_or_obsolete()


class _DatabaseThread(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        _refresh_connections()
        return super().thread_handler(loop, *args, **kwargs)


def in_db_thread(func):
    """Decorate a sync function so that async code can ``await`` it (in the one thread
    Django's ORM calls from async code share)."""
    return _DatabaseThread(func, thread_sensitive=True)

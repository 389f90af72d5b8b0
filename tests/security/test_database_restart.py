"""The database goes away in the middle of a request (PostgreSQL, a real server thread).

While ``POST /api/v1/tickets`` is inside ``open_ticket``'s transaction (the ticket row is
written, its hooks are running), every other backend of the test
database is terminated from a separate connection, as a restart or failover would: the
request's own connection and every idle one in the server's pool (earlier tests leave
several there). The request must fail cleanly, leave no partial rows, and the very next
requests must succeed on new connections: the failed request has the pool drop every
dead idle connection at once (``supportal.core.db_recovery``), and the pool checks each
connection it hands out (``CONN_HEALTH_CHECKS``). Without the health checks this test
fails; without the hook it fails when several idle connections are dead at once."""

from __future__ import annotations

import httpx
import psycopg
import pytest
from django.conf import settings
from django.db import connection

from supportal.demo.loader import Demo
from supportal.tickets.hooks import hooks
from supportal.tickets.models import AuditEvent, Ticket

from .world import api_token_for

LEAKS = ("Traceback", "psycopg", "OperationalError", "terminating connection", 'File "')


def _control_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.usefixtures("postgres_only")
def test_a_request_cut_off_by_a_database_restart_fails_cleanly_and_the_next_succeeds(
    committed_demo: Demo, live_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = api_token_for(committed_demo.alice)
    test_pid = _backend_pid()  # the test's own connection survives, to check and clean up
    terminated: list[int] = []

    def terminate_every_other_backend() -> None:
        with _control_connection() as control:
            rows = control.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [test_pid],
            ).fetchall()
        terminated.extend(row[0] for row in rows)

    acknowledge = hooks.acknowledge_ticket

    def acknowledge_then_restart_database(*, ticket: Ticket) -> None:
        acknowledge(ticket=ticket)
        if ticket.subject == "Cut off mid-request":
            terminate_every_other_backend()

    monkeypatch.setattr(hooks, "acknowledge_ticket", acknowledge_then_restart_database)
    # The failing request itself reconnects once (Django re-enables autocommit after the
    # failed rollback) and meets the dead idle connections one by one, with psycopg_pool's
    # back-off, until the pool's timeout: SUPPORTAL_DB_POOL_TIMEOUT (3 s by default).
    pool = connection.pool
    if pool is not None:
        assert pool.timeout == settings.SUPPORTAL_DB_POOL_TIMEOUT == 3
    tickets_before = Ticket.objects.count()
    events_before = AuditEvent.objects.count()
    body = {
        "product": "pressero",
        "kind": "question",
        "subject": "Cut off mid-request",
        "description": "The database restarts while this is being filed.",
        "admin_password": "cut-off-secret-pw",
    }
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        cut = client.post("/api/v1/tickets", json=body, headers=headers)
        assert terminated, "the hook ran and terminated the request's connection"
        assert cut.status_code in (500, 503), cut.text
        assert not any(leak in cut.text for leak in LEAKS), cut.text
        assert "cut-off-secret-pw" not in cut.text

        assert Ticket.objects.count() == tickets_before, "no partial ticket"
        assert AuditEvent.objects.count() == events_before, "no partial audit trail"
        assert not Ticket.objects.filter(subject="Cut off mid-request").exists()

        health = client.get("/healthz")
        assert health.status_code == 200, health.text
        again = client.post(
            "/api/v1/tickets",
            json=body | {"subject": "Filed after the restart"},
            headers=headers,
        )
        assert again.status_code == 201, again.text
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert Ticket.objects.filter(subject="Filed after the restart").count() == 1

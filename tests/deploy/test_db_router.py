"""The replica router: report reads go to the replica only inside replica_reads()."""

from supportal.core import db_router
from supportal.core.db_router import REPLICA, ReplicaRouter, replica_reads
from supportal.tickets.models import Ticket


def _with_replica(monkeypatch, configured=True):
    monkeypatch.setattr(db_router, "replica_configured", lambda: configured)


def test_reads_use_the_primary_outside_replica_reads(monkeypatch):
    _with_replica(monkeypatch)

    assert ReplicaRouter().db_for_read(Ticket) is None  # None: Django's default database


def test_reads_inside_replica_reads_use_the_replica(monkeypatch):
    _with_replica(monkeypatch)

    with replica_reads():
        assert ReplicaRouter().db_for_read(Ticket) == REPLICA
    assert ReplicaRouter().db_for_read(Ticket) is None


def test_replica_reads_without_a_replica_read_the_primary(monkeypatch):
    _with_replica(monkeypatch, configured=False)

    with replica_reads():
        assert ReplicaRouter().db_for_read(Ticket) is None


def test_writes_always_go_to_the_primary(monkeypatch):
    _with_replica(monkeypatch)

    with replica_reads():
        assert ReplicaRouter().db_for_write(Ticket) == "default"


def test_migrations_never_run_on_the_replica():
    router = ReplicaRouter()

    assert router.allow_migrate(REPLICA, "tickets") is False
    assert router.allow_migrate("default", "tickets") is True


def test_replica_settings_come_from_the_environment(monkeypatch):
    """DATABASE_REPLICA_URL adds the alias (a test mirror of default) and the router."""
    import importlib

    import supportal.settings as module

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.internal:5432/supportal")
    try:
        fresh = importlib.reload(module)
        assert fresh.DATABASES[REPLICA]["HOST"] == "replica.internal"
        assert fresh.DATABASES[REPLICA]["TEST"] == {"MIRROR": "default"}
        assert fresh.DATABASE_ROUTERS == ["supportal.core.db_router.ReplicaRouter"]
    finally:
        monkeypatch.delenv("DATABASE_REPLICA_URL")
        importlib.reload(module)

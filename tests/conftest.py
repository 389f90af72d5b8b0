"""Shared fixtures: the demo personas, fast hashing, jobs run inline, media in a temp dir.

The demo personas are loaded into the test database once per session, committed; each test
that asks for ``demo`` runs in a transaction over them, rolled back after it.

In CI (``CI=true``) a browser, PostgreSQL or Redis test that skips fails the run."""

from __future__ import annotations

import os
import re

import pytest
import time_machine
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from supportal.accounts.models import Organization, User
from supportal.chat.dbthread import close_chat_db_connections
from supportal.core.catalogs import compile_stale as compile_stale_catalogs
from supportal.core.refcache import forget_all as forget_reference_data
from supportal.demo.loader import Demo, load_demo
from supportal.sla.calendars import forget_calendars

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_travel: time_machine.travel | None = None

CI_REQUIRED = {
    "browser": re.compile(r"chromium|playwright", re.IGNORECASE),
    "PostgreSQL": re.compile(r"postgresql", re.IGNORECASE),
    "Redis": re.compile(r"redis", re.IGNORECASE),
    "gettext": re.compile(r"xgettext", re.IGNORECASE),
}
"""What CI must have, by the words its tests' skip reasons name it with.

The deliberate skips CI keeps: pip-audit without ``SUPPORTAL_PIP_AUDIT=1`` (it needs the
network), ``/proc`` tests off Linux, file-mode tests off POSIX, and the PostgreSQL-only
tests on SQLite when ``SUPPORTAL_TEST_POSTGRES_ELSEWHERE=1`` says another pass runs them on
PostgreSQL (``make test`` sets it on its SQLite pass when ``DATABASE_URL`` names one)."""

_ci_missing: list[str] = []


def pytest_configure(config):
    """``SUPPORTAL_TEST_NOW=2026-10-31T12:00:00+00:00`` runs the suite from that moment.

    CI runs the date-sensitive suites from a weekend and from a quarter's last day (``make
    test-dates``), so a test that silently depends on the day it runs fails in CI first.
    Time ticks on from there; tests that travel themselves still do.

    The translation catalogs are compiled first, as ``make`` does, so a Spanish page reads
    the catalogs as they are now."""
    global _travel
    compile_stale_catalogs()
    moment = os.environ.get("SUPPORTAL_TEST_NOW")
    if moment:
        _travel = time_machine.travel(moment, tick=True)
        _travel.start()


def pytest_unconfigure(config):
    if _travel is not None:
        _travel.stop()


def _missing_in_ci(report: pytest.TestReport | pytest.CollectReport) -> str | None:
    """Why this skip fails the run in CI, or None when it may skip there."""
    if not report.skipped or hasattr(report, "wasxfail"):
        return None
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return None
    longrepr = report.longrepr
    reason = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr)
    for service, named in CI_REQUIRED.items():
        if named.search(reason):
            if service == "PostgreSQL" and os.environ.get("SUPPORTAL_TEST_POSTGRES_ELSEWHERE"):
                return None
            return f"CI=true: a {service} test may not skip ({reason})"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    missing = _missing_in_ci(report)
    if missing:
        report.outcome = "failed"
        report.longrepr = missing
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A module skipped as a whole (no Chromium) is recorded and fails the run at its end;
    a failed collection would stop every other test."""
    report = yield
    missing = _missing_in_ci(report)
    if missing:
        _ci_missing.append(f"{report.nodeid}: {missing}")
    return report


def pytest_terminal_summary(terminalreporter):
    for line in _ci_missing:
        terminalreporter.write_line(f"FAILED {line}", red=True)


def pytest_sessionfinish(session):
    if _ci_missing and session.exitstatus in {
        pytest.ExitCode.OK,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    }:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header(config):
    moment = os.environ.get("SUPPORTAL_TEST_NOW")
    return f"travelled: the suite runs from {moment}" if moment else None


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # Tests travel in time with logged-in clients; tests/security turn the timeouts back on.
    settings.SUPPORTAL_SESSION_IDLE_MINUTES = settings.SUPPORTAL_SESSION_ABSOLUTE_HOURS = 0
    HUEY.immediate = True
    forget_calendars()  # a rolled-back test must not leave its calendars cached
    forget_reference_data()  # nor its products, staff or incidents
    yield
    # Sockets tested in-process (tests/chat, tests/security) leave the chat's database
    # threads holding connections; handed back, PostgreSQL can drop the test database.
    close_chat_db_connections()


@pytest.fixture(scope="session")
def _personas_committed(django_db_setup, django_db_blocker) -> None:
    """The demo organizations and personas, loaded once per session and committed.

    Only tests that ask for ``demo`` load them. pytest-django runs the tests in a
    transaction (``db``) before the transactional ones, whose flush removes them."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        load_demo(with_tickets=False)


@pytest.fixture
def demo(_personas_committed, db) -> Demo:
    """The demo organizations and personas, without sample tickets: fresh instances of the
    committed rows, so what one test changes on them is rolled back with it."""
    return personas_in_db() or load_demo(with_tickets=False)


def personas_in_db() -> Demo | None:
    """The demo personas as the database holds them; None when a transactional test's
    flush removed them (the fixture then loads them again, in the test's transaction).

    Customers hold the same organization instances as the Demo, as ``load_demo`` returns."""
    emails = _PERSONA_EMAILS.values()
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    orgs = {o.pk: o for o in Organization.objects.filter(slug__in=["acme-print", "bright-ink"])}
    if len(users) != len(emails) or len(orgs) != 2:
        return None
    for user in users.values():
        if user.organization_id is not None:
            user.organization = orgs[user.organization_id]
    by_slug = {o.slug: o for o in orgs.values()}
    return Demo(
        acme=by_slug["acme-print"],
        bright=by_slug["bright-ink"],
        **{field: users[email] for field, email in _PERSONA_EMAILS.items()},
    )


_PERSONA_EMAILS = {
    "manager": "manager@vendor.test",
    "agent": "agent@vendor.test",
    "agent_es": "agent.es@vendor.test",
    "ps": "ps@vendor.test",
    "alice": "alice@acmeprint.test",
    "bob": "bob@acmeprint.test",
    "carol": "carol@brightink.test",
}

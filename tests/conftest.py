"""Shared fixtures: the demo personas, fast hashing, jobs run inline, media in a temp dir."""

from __future__ import annotations

import os

import pytest
import time_machine
from huey.contrib.djhuey import HUEY

from supportal.chat.dbthread import close_chat_db_connections
from supportal.core.refcache import forget_all as forget_reference_data
from supportal.demo.loader import Demo, load_demo
from supportal.sla.calendars import forget_calendars

_travel: time_machine.travel | None = None


def pytest_configure(config):
    """``SUPPORTAL_TEST_NOW=2026-10-31T12:00:00+00:00`` runs the suite from that moment.

    CI runs the date-sensitive suites from a weekend and from a quarter's last day (``make
    test-dates``), so a test that silently depends on the day it runs fails in CI first.
    Time ticks on from there; tests that travel themselves still do."""
    global _travel
    moment = os.environ.get("SUPPORTAL_TEST_NOW")
    if moment:
        _travel = time_machine.travel(moment, tick=True)
        _travel.start()


def pytest_unconfigure(config):
    if _travel is not None:
        _travel.stop()


def pytest_report_header(config):
    moment = os.environ.get("SUPPORTAL_TEST_NOW")
    return f"travelled: the suite runs from {moment}" if moment else None


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


@pytest.fixture
def demo(db) -> Demo:
    """The demo organizations and personas, without sample tickets."""
    return load_demo(with_tickets=False)

"""Shared fixtures: the demo personas, fast hashing, jobs run inline, media in a temp dir."""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY

from supportal.chat.dbthread import close_chat_db_connections
from supportal.core.refcache import forget_all as forget_reference_data
from supportal.demo.loader import Demo, load_demo
from supportal.sla.calendars import forget_calendars


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

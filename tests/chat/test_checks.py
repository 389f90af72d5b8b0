"""The start-up check that keeps the chat's database threads inside the connection pool."""

from __future__ import annotations

from django.core.management import call_command

from supportal.chat.checks import threads_against_pool


def test_as_many_chat_threads_as_pooled_connections_is_an_error():
    errors = threads_against_pool(4, 4)
    assert [e.id for e in errors] == ["supportal.chat.E001"]
    assert "SUPPORTAL_CHAT_DB_THREADS (4)" in errors[0].msg


def test_fewer_threads_than_the_pool_or_no_pool_passes():
    assert threads_against_pool(4, 10) == []
    assert threads_against_pool(4, 0) == []


def test_the_default_settings_pass_the_check():
    call_command("check", "--fail-level", "ERROR")  # raises SystemCheckError on E001

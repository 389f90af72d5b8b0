"""Choice-valued settings refuse unknown values at start-up, naming the variable and what it
accepts (no silent fallback), and retired variables say where their value lives now."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from supportal.settings import env_choice

PRINT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SUPPORTAL_TRAINING_REQUIREMENT)"
)


def start(data_dir: Path, code: str = PRINT, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTAL_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="supportal.settings", SUPPORTAL_DATA_DIR=str(data_dir), **variables
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_env_choice_names_the_variable_and_the_allowed_values(monkeypatch):
    monkeypatch.setenv("SUPPORTAL_EXAMPLE", "sometimes")
    with pytest.raises(ImproperlyConfigured) as info:
        env_choice("SUPPORTAL_EXAMPLE", "always", ["always", "never"])
    assert str(info.value) == (
        "SUPPORTAL_EXAMPLE must be one of 'always', 'never'; got 'sometimes'."
    )


def test_env_choice_takes_the_default_when_unset_and_a_listed_value_when_set(monkeypatch):
    monkeypatch.delenv("SUPPORTAL_EXAMPLE", raising=False)
    assert env_choice("SUPPORTAL_EXAMPLE", "always", ["always", "never"]) == "always"
    monkeypatch.setenv("SUPPORTAL_EXAMPLE", "never")
    assert env_choice("SUPPORTAL_EXAMPLE", "always", ["always", "never"]) == "never"


def test_training_is_required_when_nothing_is_set(tmp_path: Path):
    done = start(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "block"


@pytest.mark.parametrize(
    ("variable", "allowed"),
    [
        ("SUPPORTAL_TRAINING_REQUIREMENT", "'block', 'warn'"),
        ("SUPPORTAL_SLA_COVERAGE", "'home', 'follow_the_sun'"),
        ("SUPPORTAL_BILLING_ROUNDING", "'up', 'nearest'"),
        ("SUPPORTAL_EMAIL_UNKNOWN_SENDERS", "'auto_reply', 'ignore'"),
        ("SUPPORTAL_SESSION_STORE", "'db', 'cached_db', 'cache', 'file', 'signed_cookies'"),
        ("SUPPORTAL_FREE_SUPPORT_WINDOW", "'day', 'week', 'month', 'ticket'"),
        ("LOG_LEVEL", "'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'"),
    ],
)
def test_an_unknown_value_stops_start_up_with_a_clear_message(
    tmp_path: Path, variable: str, allowed: str
):
    done = start(tmp_path, **{variable: "blok"})
    assert done.returncode != 0
    assert f"ImproperlyConfigured: {variable} must be one of {allowed}; got 'blok'." in done.stderr


@pytest.mark.parametrize("variable", ["SUPPORTAL_VENDOR_TIME_ZONE", "SUPPORTAL_STATUS_TIMEZONE"])
@pytest.mark.parametrize("value", ["America/Chicgo", "../../etc/passwd"])
def test_an_unknown_time_zone_stops_start_up_with_a_clear_message(
    tmp_path: Path, variable: str, value: str
):
    """Time zones are choices too: a typo used to start and then fail on the first page
    that read the vendor's or the status page's clock."""
    done = start(tmp_path, **{variable: value})
    assert done.returncode != 0
    assert (
        f"ImproperlyConfigured: {variable} must be a time zone name such as "
        f"'America/Chicago'; got {value!r}." in done.stderr
    )


def test_a_known_time_zone_is_taken(tmp_path: Path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SUPPORTAL_VENDOR_TIME_ZONE, settings.SUPPORTAL_STATUS_TIMEZONE)"
    )
    done = start(
        tmp_path,
        code,
        SUPPORTAL_VENDOR_TIME_ZONE=" Europe/Madrid ",
        SUPPORTAL_STATUS_TIMEZONE="Asia/Kolkata",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Europe/Madrid", "Asia/Kolkata"]


@pytest.mark.parametrize(
    ("variable", "where"),
    [
        ("SUPPORTAL_FIRST_RESPONSE_HOURS", "/admin/sla/slapolicy/"),
        ("SUPPORTAL_NEXT_REPLY_HOURS", "/admin/sla/slapolicy/"),
        ("SUPPORTAL_CHAT_MIN_PLAN", "/admin/accounts/plan/"),
    ],
)
def test_a_retired_variable_stops_start_up_and_says_where_the_value_lives(
    tmp_path: Path, variable: str, where: str
):
    done = start(tmp_path, **{variable: "2"})
    assert done.returncode != 0
    assert f"ImproperlyConfigured: {variable} is no longer read" in done.stderr
    assert where in done.stderr

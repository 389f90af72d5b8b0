"""First run: settings create SECRET_KEY and a Fernet key in the data dir, once, private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

PRINT_SECRETS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SECRET_KEY); print(','.join(settings.SUPPORTAL_FERNET_KEYS))"
)


def _settings_secrets(data_dir: Path, **extra: str) -> tuple[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "SUPPORTAL_FERNET_KEYS", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="supportal.settings", SUPPORTAL_DATA_DIR=str(data_dir), **extra
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SECRETS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    secret_key, fernet_keys = result.stdout.strip().splitlines()
    return secret_key, fernet_keys


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_run_writes_private_keys_into_the_data_dir(tmp_path: Path):
    secret_key, fernet_keys = _settings_secrets(tmp_path)

    assert _mode(tmp_path / "secret_key") == 0o600
    assert _mode(tmp_path / "fernet_key") == 0o600
    assert (tmp_path / "secret_key").read_text().strip() == secret_key
    assert (tmp_path / "fernet_key").read_text().strip() == fernet_keys
    assert len(secret_key) >= 50
    Fernet(fernet_keys.encode())  # a valid key, or this raises


def test_later_runs_reuse_the_same_keys(tmp_path: Path):
    first = _settings_secrets(tmp_path)
    second = _settings_secrets(tmp_path)

    assert first == second
    assert _mode(tmp_path / "secret_key") == 0o600
    assert _mode(tmp_path / "fernet_key") == 0o600


def test_keys_from_the_environment_win_and_nothing_is_written(tmp_path: Path):
    env_fernet = ",".join([Fernet.generate_key().decode(), Fernet.generate_key().decode()])

    secret_key, fernet_keys = _settings_secrets(
        tmp_path, SECRET_KEY="from-the-environment", SUPPORTAL_FERNET_KEYS=env_fernet
    )

    assert secret_key == "from-the-environment"
    assert fernet_keys == env_fernet
    assert not (tmp_path / "secret_key").exists()
    assert not (tmp_path / "fernet_key").exists()

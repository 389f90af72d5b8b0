"""What Supportal writes to disk is private to its user: another local user can read none
of the database, the job queue, attachments, backups or keys (issue 19, item 7).

The commands run as real processes started from a shell with the common umask 022, as an
operator's would be; the "attacker" is any other account on the machine, so every file and
directory created must grant nothing to group or others. The start-up check names what an
older install left readable."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

SAVE_ATTACHMENT = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from huey.contrib.djhuey import HUEY
print(default_storage.save("attachments/2026/12/secret.txt", ContentFile(b"a customer's file")))
HUEY.storage.enqueue(b"a job")  # the queue file exists with a job in it
"""


def _supportal() -> list[str]:
    script = Path(sys.executable).with_name("supportal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "supportal.cli"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(SUPPORTAL_DATA_DIR=str(data_dir), SUPPORTAL_BACKUP_DIR=str(data_dir / "backups"))
    return env


def _run(data_dir: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_supportal(), *command],
        env=_env(data_dir),
        preexec_fn=lambda: os.umask(0o022),  # the shell's usual umask
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def _open_to_others(root: Path) -> list[str]:
    paths = [root, *root.rglob("*")]
    return [
        f"{path.relative_to(root.parent)} {stat.S_IMODE(path.lstat().st_mode):04o}"
        for path in paths
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077
    ]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh install: migrated, an attachment stored, a job queued, a backup written."""
    data_dir = tmp_path_factory.mktemp("perm") / "var"  # created by Supportal itself
    _run(data_dir, "migrate", "--noinput", "-v", "0")
    _run(data_dir, "shell", "-c", SAVE_ATTACHMENT)
    _run(data_dir, "backup")
    return data_dir


def test_nothing_supportal_creates_is_open_to_other_local_users(installed: Path) -> None:
    assert (installed / "supportal.sqlite3").is_file()
    assert (installed / "huey.sqlite3").is_file()
    assert list((installed / "media" / "attachments").rglob("secret*.txt"))
    assert list((installed / "backups").glob("supportal-backup-*.tar.gz"))
    assert _open_to_others(installed) == []


def test_the_start_up_check_names_what_an_older_install_left_open(installed: Path) -> None:
    clean = _run(installed, "check")
    assert "supportal.core.W001" not in clean.stdout + clean.stderr
    database = installed / "supportal.sqlite3"
    try:
        installed.chmod(0o755)
        database.chmod(0o644)
        found = _run(installed, "check")
    finally:
        installed.chmod(0o700)
        database.chmod(0o600)
    report = found.stdout + found.stderr
    assert f"{installed} can be read or entered by other local users (mode 0755)" in report
    assert f"{database} can be read or entered by other local users (mode 0644)" in report
    assert report.count("supportal.core.W001") == 2, report

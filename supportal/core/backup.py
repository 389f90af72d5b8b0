"""Backups: the database, the attachments and the encryption keys in one archive.

An archive (``supportal-backup-<UTC time>.tar.gz``) holds ``manifest.json`` (format,
creation time, how the database was dumped, and the SHA-256 and size of every other
member), ``database/`` (SQLite: a copy taken with SQLite's online backup API; PostgreSQL:
``pg_dump`` custom format when a pg_dump at least as new as the server is on PATH, else
Django's ``dumpdata``), ``media/`` (DATA_DIR/media: attachments) and ``keys/`` (the secret
key and the Fernet keys, newest first). It is as secret as the database and keys together:
it is written with mode 0600.

An archive is written to a temporary file in the backup directory, flushed to disk and
then renamed into place, so a failed backup leaves nothing half-written and never touches
an earlier archive.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.management import call_command
from django.db import connections

if TYPE_CHECKING:
    from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict: Mapping[str, object]) -> dict[str, str]:
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _pg_dump_usable(connection: PostgresWrapper) -> bool:
    """pg_dump is on PATH and its major version is at least the server's."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        return False
    output = subprocess.run(  # noqa: S603
        [shutil.which("pg_dump") or "pg_dump", "--version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    connection.ensure_connection()
    return found is not None and int(found.group(1)) >= connection.pg_version // 10000


def _dump_database(directory: Path, *, using: str = "default") -> dict[str, Any]:
    """Write the database into ``directory``; return its manifest entry."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = directory / "supportal.sqlite3"
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # consistent online copy
        finally:
            destination.close()
        return {"vendor": "sqlite", "method": "sqlite-backup", "file": "database/" + target.name}
    if connection.vendor == "postgresql" and _pg_dump_usable(cast("PostgresWrapper", connection)):
        target = directory / "supportal.pgdump"
        result = subprocess.run(  # noqa: S603
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                target,
            ],
            env=_pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        return {"vendor": "postgresql", "method": "pg_dump", "file": "database/" + target.name}
    target = directory / "data.json"
    with target.open("w") as fh:
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--exclude=contenttypes",
            "--exclude=auth.permission",
            "--exclude=sessions",
            database=using,
            stdout=fh,
        )
    return {"vendor": connection.vendor, "method": "dumpdata", "file": "database/" + target.name}


@dataclass
class _Members:
    """Files going into the archive: archive name → path on disk."""

    paths: dict[str, Path] = field(default_factory=dict)

    def add(self, name: str, path: Path) -> None:
        self.paths[name] = path


def create_backup(*, directory: Path | None = None, using: str = "default") -> Path:
    """Write a new archive into ``directory`` (SUPPORTAL_BACKUP_DIR); return its path."""
    directory = Path(directory or settings.SUPPORTAL_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = directory / f"supportal-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".staging-") as staging_name:
        staging = Path(staging_name)
        (staging / "database").mkdir()
        database = _dump_database(staging / "database", using=using)
        members = _Members()
        for path in sorted((staging / "database").iterdir()):
            members.add(f"database/{path.name}", path)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    members.add("media/" + path.relative_to(media_root).as_posix(), path)
        keys = staging / "keys"
        keys.mkdir()
        (keys / "secret_key").write_text(settings.SECRET_KEY)
        (keys / "fernet_keys").write_text("\n".join(settings.SUPPORTAL_FERNET_KEYS) + "\n")
        members.add("keys/secret_key", keys / "secret_key")
        members.add("keys/fernet_keys", keys / "fernet_keys")

        files = {
            name: {"sha256": _sha256_file(path), "size": path.stat().st_size}
            for name, path in members.paths.items()
        }
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "database": database,
            "files": files,
        }
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".tar.gz")
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(data)
                    info.mode = 0o600
                    archive.addfile(info, io.BytesIO(data))
                    for name, path in members.paths.items():
                        archive.add(path, arcname=name, recursive=False)
                raw.flush()
                os.fsync(raw.fileno())
            os.chmod(temp_name, 0o600)
            os.replace(temp_name, final)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself is durable
    finally:
        os.close(dir_fd)
    return final


def verify_backup(archive_path: Path) -> dict[str, Any]:
    """Check every member against the manifest; return the manifest. Raises BackupError."""
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            names = archive.getnames()
            if MANIFEST not in names:
                raise BackupError("the archive has no manifest.json")
            manifest_file = archive.extractfile(MANIFEST)
            assert manifest_file is not None
            manifest: dict[str, Any] = json.load(manifest_file)
            if manifest.get("format") != FORMAT:
                raise BackupError(f"unknown archive format {manifest.get('format')!r}")
            expected = manifest["files"]
            present = set(names) - {MANIFEST}
            if missing := sorted(set(expected) - present):
                raise BackupError(f"missing from the archive: {', '.join(missing[:5])}")
            if extra := sorted(present - set(expected)):
                raise BackupError(f"not in the manifest: {', '.join(extra[:5])}")
            for member in archive.getmembers():
                if member.name == MANIFEST:
                    continue
                if not member.isfile():
                    raise BackupError(f"{member.name} is not a regular file")
                fh = archive.extractfile(member)
                assert fh is not None
                digest = hashlib.sha256()
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                entry = expected[member.name]
                if digest.hexdigest() != entry["sha256"] or member.size != entry["size"]:
                    raise BackupError(f"{member.name} does not match its checksum")
    except (tarfile.TarError, OSError, EOFError, ValueError, KeyError) as exc:
        raise BackupError(f"unreadable archive: {exc}") from exc
    return manifest


def _write_atomically(target: Path, data: bytes, *, mode: int = 0o600) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _refuse_overwrite(target: Path, data: bytes, *, force: bool) -> None:
    if target.exists() and not force and target.read_bytes() != data:
        raise BackupError(f"{target} exists and differs: use --force to replace it")


def _sqlite_target(database_url: str | None, data_dir: Path | None) -> Path:
    if database_url:
        import dj_database_url

        parsed = dj_database_url.parse(database_url)
        if parsed["ENGINE"] != "django.db.backends.sqlite3":
            raise BackupError("this archive holds a SQLite database: give a sqlite:/// URL")
        return Path(parsed["NAME"])
    if data_dir is not None:
        return data_dir / "supportal.sqlite3"
    current = connections["default"].settings_dict
    if current["ENGINE"] != "django.db.backends.sqlite3":
        raise BackupError("this archive holds a SQLite database: give --database-url")
    return Path(current["NAME"])


def _restore_database(
    manifest: dict[str, Any],
    staging: Path,
    *,
    database_url: str | None,
    data_dir: Path | None,
    force: bool,
) -> str:
    database = manifest["database"]
    source = staging / database["file"]
    if database["method"] == "sqlite-backup":
        target = _sqlite_target(database_url, data_dir)
        if target.exists() and not force:
            raise BackupError(f"{target} exists: use --force to replace it (stop Supportal)")
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        _write_atomically(target, source.read_bytes())
        return str(target)
    if database["method"] == "pg_dump":
        import dj_database_url

        settings_dict = (
            dj_database_url.parse(database_url)
            if database_url
            else connections["default"].settings_dict
        )
        command = [
            shutil.which("pg_restore") or "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        command += ["--dbname", str(settings_dict["NAME"]), str(source)]
        result = subprocess.run(  # noqa: S603
            command, env=_pg_env(settings_dict), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        return str(settings_dict["NAME"])
    if database_url:
        raise BackupError(
            "a dumpdata archive restores into the configured database: set DATABASE_URL"
        )
    from django.contrib.auth import get_user_model

    call_command("migrate", interactive=False, verbosity=0)
    if get_user_model().objects.exists():
        if not force:
            raise BackupError("the database is not empty: use --force to replace its rows")
        call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(source), verbosity=0)
    return str(connections["default"].settings_dict["NAME"])


def restore_backup(
    archive_path: Path,
    *,
    data_dir: Path | None = None,
    database_url: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Restore an archive (verified first): database, attachments, keys. Returns a summary.

    ``data_dir``: where media and keys go (and the SQLite file, unless ``database_url``);
    default: this installation's DATA_DIR and database. Run it with Supportal stopped."""
    manifest = verify_backup(archive_path)
    target_dir = Path(data_dir) if data_dir else Path(settings.DATA_DIR)
    media_root = target_dir / "media" if data_dir else Path(settings.MEDIA_ROOT)
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".restore-") as staging_name:
        staging = Path(staging_name)
        with tarfile.open(archive_path, mode="r:gz") as archive:
            archive.extractall(staging, filter="data")  # no absolute paths, links or ..
        fernet_keys = (staging / "keys/fernet_keys").read_text().split()
        secret_key = (staging / "keys/secret_key").read_bytes()
        newest_key = (fernet_keys[0] + "\n").encode()
        _refuse_overwrite(target_dir / "secret_key", secret_key, force=force)
        _refuse_overwrite(target_dir / "fernet_key", newest_key, force=force)
        media = [name for name in manifest["files"] if name.startswith("media/")]
        for name in media:
            data = (staging / name).read_bytes()
            _refuse_overwrite(media_root / name.removeprefix("media/"), data, force=force)
        database = _restore_database(
            manifest,
            staging,
            database_url=database_url,
            data_dir=Path(data_dir) if data_dir else None,
            force=force,
        )
        for name in media:
            _write_atomically(
                media_root / name.removeprefix("media/"), (staging / name).read_bytes(), mode=0o640
            )
        _write_atomically(target_dir / "secret_key", secret_key)
        _write_atomically(target_dir / "fernet_key", newest_key)
        if len(fernet_keys) > 1:
            _write_atomically(target_dir / "fernet_keys_all", "\n".join(fernet_keys).encode())
    return {
        "database": database,
        "media_files": len(media),
        "fernet_keys": len(fernet_keys),
        "data_dir": str(target_dir),
    }

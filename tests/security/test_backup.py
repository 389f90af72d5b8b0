"""`supportal backup` / `supportal restore`: a round trip on a populated instance restores
every row and every attachment byte for byte, and the credentials still decrypt; a failed
backup leaves the last good archive alone; `--verify` catches a damaged archive."""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from supportal.core.backup import create_backup, verify_backup
from supportal.demo.loader import load_demo
from supportal.tickets.models import Ticket
from tests.factories import make_ticket

PASSWORD = "correct horse battery staple"  # the demo's urgent ticket holds it

DUMP_SCRIPT = """
import io, json, django
django.setup()
from django.core.management import call_command
from supportal.tickets.models import Ticket
out = io.StringIO()
call_command("dumpdata", stdout=out)
ticket = Ticket.objects.exclude(admin_password="").get()
print(json.dumps({"rows": json.loads(out.getvalue()), "password": ticket.admin_password}))
"""


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def populated(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    """The demo with its sample tickets, plus a screenshot and a large video attached."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo = load_demo(with_tickets=True)
    video = b"\x00\x00\x00\x18ftypmp42" + os.urandom(3 * 1024 * 1024)
    make_ticket(
        demo.alice,
        kind="bug",
        subject="Broken",
        description="See the files",
        uploads=[
            SimpleUploadedFile("shot.png", _png(), content_type="image/png"),
            SimpleUploadedFile("clip.mp4", video, content_type="video/mp4"),
        ],
    )
    return demo


def _dump_here() -> list:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return json.loads(out.getvalue())


def _dump_restored(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "SUPPORTAL_FERNET_KEYS", "SECRET_KEY")}  # fmt: skip
    env["SUPPORTAL_DATA_DIR"] = str(data_dir)
    env.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-c", DUMP_SCRIPT], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_round_trip_restores_every_row_and_byte_and_the_keys(populated, settings, tmp_path):
    assert Ticket.objects.filter(attachments__isnull=False).exists()
    call_command("backup", output_dir=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("supportal-backup-*.tar.gz")
    call_command("backup", verify=str(archive))
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    fresh = tmp_path / "fresh"
    database_url = None
    restored_db = None
    if connection.vendor == "postgresql":
        restored_db = f"supportal_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored_db}"')
        s = connection.settings_dict
        database_url = (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{restored_db}"
        )
    try:
        call_command("restore", str(archive), data_dir=str(fresh), database_url=database_url)
        restored = _dump_restored(fresh, database_url)
    finally:
        if restored_db:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')

    assert restored["rows"] == _dump_here()
    assert restored["password"] == PASSWORD  # decrypted with the restored key
    original_media = _files(Path(settings.MEDIA_ROOT))
    assert len(original_media) == 2
    assert _files(fresh / "media") == original_media
    assert (fresh / "secret_key").read_text() == settings.SECRET_KEY


def test_restore_refuses_to_overwrite_without_force(populated, tmp_path):
    archive = create_backup(directory=tmp_path / "backups")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "fernet_key").write_text("someone else's key\n")
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), data_dir=str(fresh),
                     database_url=f"sqlite:///{fresh / 'db.sqlite3'}")  # fmt: skip
    assert (fresh / "fernet_key").read_text() == "someone else's key\n"


def test_a_failed_backup_keeps_the_last_good_one(populated, tmp_path):
    backups = tmp_path / "backups"
    good = create_backup(directory=backups)
    good_bytes = good.read_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # "Disk full" past 2 MB, or just past the SQLite file as it grows with the schema: in
    # any case while the 3 MB video is written, after the database copy.
    limit = 2 * 1024 * 1024
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
        limit = max(limit, pages * page_size + 512 * 1024)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        with pytest.raises(OSError):
            create_backup(directory=backups)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert sorted(p.name for p in backups.iterdir()) == [good.name]  # no partial file left
    assert good.read_bytes() == good_bytes
    verify_backup(good)


def test_verify_catches_a_damaged_or_incomplete_archive(populated, tmp_path):
    archive = create_backup(directory=tmp_path / "backups")
    members = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            members[member.name] = (member, tar.extractfile(member).read())

    def rewrite(path: Path, changes: dict[str, bytes | None]) -> Path:
        with tarfile.open(path, "w:gz") as tar:
            for name, (member, data) in members.items():
                data = changes.get(name, data)
                if data is None:
                    continue
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
        return path

    key = "keys/fernet_keys"
    flipped = rewrite(tmp_path / "flipped.tar.gz", {key: members[key][1][:-2] + b"x\n"})
    missing = rewrite(tmp_path / "missing.tar.gz", {key: None})
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-5000])
    for bad in (flipped, missing, truncated):
        with pytest.raises(CommandError):
            call_command("backup", verify=str(bad))

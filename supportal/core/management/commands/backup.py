"""``supportal backup``: database, attachments and keys into one verified archive.

``supportal backup [--output-dir DIR]`` writes a new archive; ``supportal backup --verify
ARCHIVE`` checks an archive against its manifest (exit status 1 when it does not hold)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supportal.core.backup import BackupError, create_backup, verify_backup


class Command(BaseCommand):
    help = "Back up the database, attachments and encryption keys into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", help="Default: SUPPORTAL_BACKUP_DIR.")
        parser.add_argument("--verify", metavar="ARCHIVE", help="Check an archive instead.")

    def handle(
        self,
        *args: Any,
        output_dir: str | None = None,
        verify: str | None = None,
        **options: Any,
    ) -> None:
        try:
            if verify:
                manifest = verify_backup(Path(verify))
                self.stdout.write(
                    f"OK: {len(manifest['files'])} files match the manifest "
                    f"(database: {manifest['database']['method']}, "
                    f"made {manifest['created_at']})."
                )
                return
            archive = create_backup(directory=Path(output_dir) if output_dir else None)
            manifest = verify_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{archive} ({len(manifest['files'])} files, verified)")

"""``supportal restore ARCHIVE``: put a backup back (stop Supportal first).

The archive is verified first. Without options it restores into this installation (its
database, DATA_DIR/media and key files) and refuses to overwrite anything that differs
unless ``--force``. ``--data-dir DIR`` restores media, keys and a SQLite database into a
fresh directory; ``--database-url`` names the database to restore into."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supportal.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive made by `supportal backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--data-dir", help="Restore media, keys (and SQLite) here.")
        parser.add_argument("--database-url", help="The database to restore into.")
        parser.add_argument("--force", action="store_true", help="Replace what exists.")

    def handle(
        self,
        *args: Any,
        archive: str,
        data_dir: str | None = None,
        database_url: str | None = None,
        force: bool = False,
        **options: Any,
    ) -> None:
        try:
            summary = restore_backup(
                Path(archive),
                data_dir=Path(data_dir) if data_dir else None,
                database_url=database_url,
                force=force,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored database {summary['database']}, {summary['media_files']} attachment "
            f"files and the keys into {summary['data_dir']}."
        )
        if summary["fernet_keys"] > 1:
            self.stdout.write(
                "The archive held several Fernet keys (rotation): set SUPPORTAL_FERNET_KEYS "
                "to the contents of fernet_keys_all (comma-separated, newest first)."
            )

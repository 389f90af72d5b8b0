import imaplib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from supportal.intake.imap import poll_mailbox


class Command(BaseCommand):
    help = "Fetch new mail from the IMAP mailbox (SUPPORTAL_IMAP_URL) into the pipeline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=None, help="imaps://user:password@host/INBOX")

    def handle(self, *args: Any, url: str | None = None, **options: Any) -> None:
        url = url or settings.SUPPORTAL_IMAP_URL
        if not url:
            raise CommandError("Set SUPPORTAL_IMAP_URL (or pass --url).")
        try:
            stored = poll_mailbox(url=url)
        except (OSError, ValueError, imaplib.IMAP4.error) as exc:
            raise CommandError(f"Could not fetch mail: {exc}") from exc
        self.stdout.write(f"{stored} new message(s) stored.")

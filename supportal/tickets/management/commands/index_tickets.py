"""Index every ticket for search again: after upgrading to the version with ticket search
(tickets filed before it are not in the index), a bulk load, or a change of
SUPPORTAL_TICKET_SEARCH_LANGUAGE. Safe to run while people work: each batch commits."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supportal.tickets.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the ticket search index from the tickets and their replies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=20_000, help="tickets per statement")

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_index(batch=options["batch"], log=self.stdout.write)
        self.stdout.write(f"Indexed {count:,} tickets.")

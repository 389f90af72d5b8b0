from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supportal.reports import services


class Command(BaseCommand):
    help = (
        "Compute the business-hours response and resolution times of every ticket that lacks them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        written = services.refresh_stale_timings(batch=batch)
        self.stdout.write(f"{written} ticket timings written.")

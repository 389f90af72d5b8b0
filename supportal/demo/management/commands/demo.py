import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supportal.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, database_is_empty, load_demo

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Load the demo organizations, logins and sample tickets into an empty database, "
        "with twelve weeks of history so every dashboard chart shows something."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) when the database already has users.",
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Only today's sample tickets, without the twelve weeks of history.",
        )

    def handle(
        self, *args: Any, if_empty: bool = False, no_history: bool = False, **options: Any
    ) -> None:
        if not database_is_empty() and if_empty:
            self.stdout.write("Database already has data; demo data not loaded.")
            return
        started = time.perf_counter()
        load_demo(with_history=not no_history, progress=self._progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s. Logins (password '{DEMO_PASSWORD}'):"
            )
        )
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {what}")

    def _progress(self, done: int, total: int) -> None:
        """A bar for the history's weeks, redrawn in place on a terminal."""
        filled = BAR_WIDTH * done // total
        bar = f"History [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] week {done}/{total}"
        if sys.stdout.isatty():
            self.stdout.write("\r" + bar, ending="\n" if done == total else "")
            self.stdout.flush()
        elif done == total:
            self.stdout.write(bar)

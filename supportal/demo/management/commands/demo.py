from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supportal.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, database_is_empty, load_demo


class Command(BaseCommand):
    help = "Load the demo organizations, logins and sample tickets into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) when the database already has users.",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if not database_is_empty() and if_empty:
            self.stdout.write("Database already has data; demo data not loaded.")
            return
        load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Logins (password '{DEMO_PASSWORD}'):")
        )
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {what}")

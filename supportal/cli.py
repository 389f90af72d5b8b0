"""The ``supportal`` console script: Django's management commands under one name.

``supportal demo`` loads the demo data, ``supportal serve`` starts the web server and a job
consumer together, and every other Django command works as with manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""The ``supportal`` console script: Django's management commands under one name.

``supportal demo`` loads the demo data, ``supportal serve`` starts the web server and a job
consumer together, and every other Django command works as with manage.py."""

import os
import sys

# Files this process creates (the database, the job queue, attachments, backups, keys) are
# for its own user only: 0600 files and 0700 directories whatever the shell's umask.
PRIVATE_UMASK = 0o077


def main() -> None:
    os.umask(PRIVATE_UMASK)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

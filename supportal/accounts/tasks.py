"""Jobs of the accounts app."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task()
def send_password_reset_task(email: str, *_queued_before: object) -> None:
    # Jobs queued by an older version also carry the asker's domain and scheme: ignored,
    # the link is built on the public URL.
    services.send_password_reset_mail(email=email)

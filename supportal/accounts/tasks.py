"""Jobs of the accounts app."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task()
def send_password_reset_task(email: str, domain: str, use_https: bool) -> None:
    services.send_password_reset_mail(email=email, domain=domain, use_https=use_https)

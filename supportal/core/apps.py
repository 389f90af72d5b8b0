from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "supportal.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the start-up checks
        from .sessions import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="supportal.core.sessions.mark_login")

        from django.core.signals import got_request_exception

        from .db_recovery import after_request_exception

        got_request_exception.connect(after_request_exception, dispatch_uid="supportal.core.db")

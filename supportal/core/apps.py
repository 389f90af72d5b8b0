from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "supportal.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="supportal.core.sessions.mark_login")

from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "supportal.ideas"
    label = "ideas"
    verbose_name = "Ideas board"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (mails followers on status changes)

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "supportal.chat"
    label = "chat"
    verbose_name = "Live chat"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the settings check

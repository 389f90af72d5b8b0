from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "supportal.chat"
    label = "chat"
    verbose_name = "Live chat"

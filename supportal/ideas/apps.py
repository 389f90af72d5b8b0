from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "supportal.ideas"
    label = "ideas"
    verbose_name = "Ideas board"

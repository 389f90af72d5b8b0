from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "supportal.kb"
    label = "kb"
    verbose_name = "Knowledge base, documentation and training"

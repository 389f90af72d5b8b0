from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "supportal.status"
    label = "status"
    verbose_name = "Status page"

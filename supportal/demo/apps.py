from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every app. It sits at the top of the imports: it may use them all."""

    name = "supportal.demo"
    label = "demo"

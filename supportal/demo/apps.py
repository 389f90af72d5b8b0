from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every app, and ``supportal serve``. It sits at the top of the imports: it
    may use them all."""

    name = "supportal.demo"
    label = "demo"

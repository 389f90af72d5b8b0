from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "supportal.tickets"
    label = "tickets"

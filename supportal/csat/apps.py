from django.apps import AppConfig


class CsatConfig(AppConfig):
    """The satisfaction survey after a ticket is resolved: its links are in the mail that
    says so (intake's status mail loads them) and on the customer's ticket page."""

    name = "supportal.csat"
    label = "csat"
    verbose_name = "Satisfaction survey"

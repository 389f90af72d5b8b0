from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supportal.accounts"
    label = "accounts"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supportal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from .sockets import close_sockets_of_ended_session

        # Every logout (the portal's, the admin's): the sockets of that session close.
        user_logged_out.connect(
            close_sockets_of_ended_session, dispatch_uid="supportal.accounts.sockets.logout"
        )

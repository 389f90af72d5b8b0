from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The agent's workspace around a ticket: who else is on it, mentions, assignment."""

    name = "supportal.workspace"
    label = "workspace"
    verbose_name = "Agent workspace"

    def ready(self) -> None:
        from supportal.tickets.hooks import hooks

        from . import hooks as workspace_hooks

        hooks.fill(
            assign_new_ticket=workspace_hooks.assign_new_ticket,
            record_mentions=workspace_hooks.record_mentions,
        )

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The agent's workspace around a ticket: who else is on it, mentions, assignment."""

    name = "supportal.workspace"
    label = "workspace"
    verbose_name = "Agent workspace"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (mentions in notes, assignment of new tickets)

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import AgentProfile, Mention


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin[AgentProfile]):
    """Marking an agent on leave here returns their open tickets to the pool."""

    list_display = ["user", "on_leave", "works_from", "works_until", "open_ticket_cap"]
    list_filter = ["on_leave"]
    filter_horizontal = ["products"]
    readonly_fields = ["last_auto_assigned_at"]

    def save_model(self, request: HttpRequest, obj: AgentProfile, form: Any, change: bool) -> None:
        leave_changed = "on_leave" in form.changed_data
        on_leave = obj.on_leave
        if leave_changed:
            obj.on_leave = not on_leave  # set_on_leave makes the change, with its effects
        super().save_model(request, obj, form, change)
        if leave_changed:
            services.set_on_leave(agent=obj.user, actor=request.user, on_leave=on_leave)  # type: ignore[arg-type]
            obj.refresh_from_db()


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin[Mention]):
    list_display = ["mentioned", "author", "ticket", "created_at", "read_at"]
    raw_id_fields = ["ticket", "reply", "mentioned", "author"]

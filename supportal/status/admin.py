from django.contrib import admin

from .models import Component, Incident, IncidentSubscriber, IncidentUpdate, StatusChange


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin[Component]):
    """Names and order here; statuses change through incidents (the status desk)."""

    list_display = ["name", "slug", "position", "status", "product"]
    readonly_fields = ["status", "updated_at"]


class IncidentUpdateInline(admin.TabularInline[IncidentUpdate, Incident]):
    model = IncidentUpdate
    extra = 0
    fields = ["created_at", "status", "body"]
    readonly_fields = fields  # type: ignore[assignment]  # fields may nest; these do not
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin[Incident]):
    list_display = ["name", "kind", "status", "impact", "created_at", "resolved_at"]
    list_filter = ["kind", "status", "impact"]
    readonly_fields = ["status", "started_at", "monitoring_at", "resolved_at", "notified_at"]
    inlines = [IncidentUpdateInline]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin[StatusChange]):
    list_display = ["component", "status", "at"]
    list_filter = ["component"]


@admin.register(IncidentSubscriber)
class IncidentSubscriberAdmin(admin.ModelAdmin[IncidentSubscriber]):
    list_display = ["email", "confirmed_at", "unsubscribed_at"]
    readonly_fields = ["token"]

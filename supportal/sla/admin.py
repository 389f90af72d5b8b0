from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Closure,
    OnCallMember,
    OnCallOverride,
    OnCallRotation,
    Page,
    SlaPolicy,
    WebhookDelivery,
    WorkingHours,
)


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin[WorkingHours]):
    list_display = ["region", "weekday", "opens", "closes"]
    list_filter = ["region"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin[Closure]):
    list_display = ["date", "region", "name"]
    list_filter = ["region"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = [
        "name",
        "plan",
        "kind",
        "first_response_minutes",
        "next_reply_minutes",
        "resolution_minutes",
    ]


class OnCallMemberInline(admin.TabularInline[OnCallMember, OnCallRotation]):
    model = OnCallMember
    extra = 1


class OnCallOverrideInline(admin.TabularInline[OnCallOverride, OnCallRotation]):
    model = OnCallOverride
    extra = 0


@admin.register(OnCallRotation)
class OnCallRotationAdmin(admin.ModelAdmin[OnCallRotation]):
    list_display = [
        "name", "priority", "region", "product", "active",
        "timezone", "starts_on", "handover_time", "shift_days",
    ]  # fmt: skip
    list_filter = ["active", "region", "product"]
    fieldsets = [
        (None, {"fields": ["name", "active"]}),
        (
            _("Which urgent tickets it pages for"),
            {
                "fields": ["priority", "region", "product"],
                "description": _(
                    "Of the active rotations that cover a ticket (blank region or product "
                    "covers all), the lowest priority number pages; at equal numbers the "
                    "more specific one. Two active rotations may not share a scope and a "
                    "priority."
                ),
            },
        ),
        (_("Shifts"), {"fields": ["timezone", "starts_on", "handover_time", "shift_days"]}),
    ]
    inlines = [OnCallMemberInline, OnCallOverrideInline]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin[Page]):
    list_display = ["ticket", "state", "current_user", "attempts", "escalation_level", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["ack_token"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["page", "attempts", "delivered_at", "last_error", "created_at"]

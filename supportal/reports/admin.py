from django.contrib import admin

from .models import ReportDelivery, ReportSubscription, TicketTiming


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin[ReportSubscription]):
    list_display = ["user", "active", "created_at"]
    list_filter = ["active"]
    raw_id_fields = ["user"]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin[ReportDelivery]):
    list_display = ["subscription", "week", "sent_at"]
    readonly_fields = ["subscription", "week", "created_at", "sent_at"]


@admin.register(TicketTiming)
class TicketTimingAdmin(admin.ModelAdmin[TicketTiming]):
    list_display = ["ticket", "received_at", "first_response_seconds", "resolution_seconds"]
    readonly_fields = [
        "ticket",
        "organization",
        "received_at",
        "first_response_seconds",
        "resolution_seconds",
        "computed_at",
    ]

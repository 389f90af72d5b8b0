from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["number", "subject", "organization", "status", "urgent", "received_at"]
    list_filter = ["status", "urgent", "product", "kind", "channel"]
    search_fields = ["number", "subject"]
    # Credentials never appear in the admin; staff reveal them on the ticket page (audited).
    exclude = ["admin_username", "admin_password", "site_user_username", "site_user_password"]
    raw_id_fields = ["requester", "assignee", "follow_up_of"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["ticket", "action", "actor", "created_at"]
    list_filter = ["action"]

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, CustomField, Macro, Ticket


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


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin[CustomField]):
    """Managers define the extra questions tickets ask, per product."""

    list_display = ["label", "key", "kind", "required", "staff_only", "active", "position"]
    list_filter = ["kind", "active", "staff_only", "products"]
    filter_horizontal = ["products"]
    search_fields = ["label", "key"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: CustomField | None = None
    ) -> list[str]:
        # The key is in searches, exports and API clients: set once.
        return ["key"] if obj is not None else []


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin[Macro]):
    list_display = ["name", "owner", "set_status", "assignee_action"]
    list_filter = ["set_status", "assignee_action"]
    search_fields = ["name", "body"]
    raw_id_fields = ["owner", "assignee"]

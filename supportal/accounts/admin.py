from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .forms import AdminLoginForm
from .models import (
    AccountEvent,
    ApiToken,
    Invitation,
    Organization,
    Plan,
    Product,
    SupportRegion,
    TrainingAttendance,
    TrainingSession,
    User,
)
from .services import revoke_api_token


def _managers_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.is_manager)


# The admin is for managers, whatever their is_staff flag says.
admin.site.has_permission = _managers_only
admin.site.login_form = AdminLoginForm  # throttled; second-factor users use the portal
admin.site.site_header = "Supportal administration"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "organization", "support_region", "is_active"]
    list_filter = ["role", "organization", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "role", "organization", "support_region")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "otp_exempt")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "name", "role", "organization", "password1", "password2")}),
    )
    filter_horizontal = ()


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "support_region"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["products"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "expert_hours_per_quarter", "chat_included"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "chat_available", "active"]


@admin.register(SupportRegion)
class SupportRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "timezone"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "product", "starts_at", "seats"]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "attended_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    readonly_fields = ["user", "key_hash", "scope", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens come from POST /api/v1/auth/token; the raw key is never stored

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            revoke_api_token(token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the portal (the raw link exists only in the mail)."""

    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "organization"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The accounts audit trail: read only."""

    list_display = ["created_at", "action", "organization", "actor", "subject"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

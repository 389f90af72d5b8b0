from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

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
from .services import end_credentials, revoke_api_token


# type-arg: generic in django-stubs only; django-stubs-ext does not make it subscriptable.
class PasswordChangeForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
    """A manager setting someone's password ends that person's tokens and sockets too."""

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=commit)
        if commit:
            end_credentials(user_ids=[user.pk])
        return user


def _managers_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and isinstance(user, User) and user.is_manager)


# The admin is for managers, whatever their is_staff flag says.
# Assigned, not subclassed: the default site (and every app's admin.register) stays.
admin.site.has_permission = _managers_only  # type: ignore[method-assign]
admin.site.login_form = AdminLoginForm  # throttled; second-factor users use the portal
admin.site.site_header = "Supportal administration"


@admin.register(User)
# type-var: Django's UserAdmin is typed for AbstractUser; ours is AbstractBaseUser with the
# fields this class lists.
class UserAdmin(BaseUserAdmin[User]):  # type: ignore[type-var]
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
    change_password_form = PasswordChangeForm

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The deactivation itself is stamped by User.save; this revokes and closes now.
        if change and "is_active" in form.changed_data and not obj.is_active:
            end_credentials(user_ids=[obj.pk])


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "plan", "support_region", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["products"]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            end_credentials(user_ids=list(obj.users.values_list("pk", flat=True)))


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["name", "rank", "expert_hours_per_quarter", "chat_included"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ["name", "slug", "chat_available", "active"]


@admin.register(SupportRegion)
class SupportRegionAdmin(admin.ModelAdmin[SupportRegion]):
    list_display = ["name", "code", "timezone"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin[TrainingSession]):
    list_display = ["title", "product", "starts_at", "seats"]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin[TrainingAttendance]):
    list_display = ["user", "session", "attended_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    readonly_fields = ["user", "key_hash", "scope", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens come from POST /api/v1/auth/token; the raw key is never stored

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke_api_token(token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Invitations are sent from the portal (the raw link exists only in the mail)."""

    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "organization"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin[AccountEvent]):
    """The accounts audit trail: read only."""

    list_display = ["created_at", "action", "organization", "actor", "subject"]
    list_filter = ["action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccountEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccountEvent | None = None) -> bool:
        return False

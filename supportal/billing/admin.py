"""The admin shows billing records; it never writes money or consent.

Time entries, ledger rows, notices and statements are read-only here: the only way to
create a time entry is ``services.log_time``, which enforces prior consent. Managers edit
rates (work categories) and plan terms."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AllowanceExtension,
    CustomCodeException,
    Delivery,
    ExpertHoursEntry,
    Notice,
    PlanTerms,
    Statement,
    StatementLine,
    TicketBilling,
    TimeEntry,
    WorkCategory,
)


@admin.register(WorkCategory)
class WorkCategoryAdmin(admin.ModelAdmin[WorkCategory]):
    list_display = [
        "code",
        "name",
        "billable",
        "rate",
        "rate_max",
        "fixed_fee",
        "uses_expert_hours",
    ]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: WorkCategory | None = None) -> bool:
        return False


@admin.register(PlanTerms)
class PlanTermsAdmin(admin.ModelAdmin[PlanTerms]):
    list_display = ["plan", "expert_hours_carry_over"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "work_date", "category", "minutes", "billable", "amount", "author"]
    list_filter = ["billable", "category"]


@admin.register(ExpertHoursEntry)
class ExpertHoursEntryAdmin(ReadOnlyAdmin):
    list_display = ["organization", "quarter", "kind", "minutes", "ticket", "created_at"]
    list_filter = ["kind", "quarter"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "status", "created_by", "decided_by", "decided_at"]
    list_filter = ["status", "kind"]


@admin.register(TicketBilling)
class TicketBillingAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket",
        "professional_services",
        "ps_reason",
        "suggested_category",
        "confirmed_bug_at",
    ]


@admin.register(AllowanceExtension)
class AllowanceExtensionAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "minutes", "granted_by", "created_at"]


@admin.register(CustomCodeException)
class CustomCodeExceptionAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "reason", "decided_by", "rate", "customer_notified_at"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "notice", "accepted_at", "due_at", "rush", "delivered_at"]


class StatementLineInline(admin.TabularInline[StatementLine, Statement]):
    model = StatementLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Statement | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["organization", "period", "total", "finalised_at"]
    inlines = [StatementLineInline]

from django.contrib import admin
from django.http import HttpRequest

from .models import DataExport, Erasure


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin[DataExport]):
    list_display = ["organization", "person", "status", "requested_by", "created_at", "size"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in DataExport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin[Erasure]):
    list_display = ["person", "erased_by", "created_at", "reason"]
    readonly_fields = [field.name for field in Erasure._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Erasure | None = None) -> bool:
        return False

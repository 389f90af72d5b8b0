from django.contrib import admin
from django.http import HttpRequest

from .models import CannedAnswer, Chat, ChatExtension, ChatMessage


class ChatMessageInline(admin.TabularInline[ChatMessage, Chat]):
    model = ChatMessage
    extra = 0
    readonly_fields = ("seq", "author", "kind", "body", "file", "created_at")
    can_delete = False


class ChatExtensionInline(admin.TabularInline[ChatExtension, Chat]):
    model = ChatExtension
    extra = 0
    readonly_fields = (
        "agent",
        "minutes",
        "reason",
        "deadline_before",
        "deadline_after",
        "created_at",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Chat | None = None) -> bool:
        return False


@admin.register(Chat)
class ChatAdmin(admin.ModelAdmin[Chat]):
    list_display = (
        "id",
        "subject",
        "customer",
        "organization",
        "product",
        "agent",
        "status",
        "queued_at",
    )
    list_filter = ("status", "product")
    search_fields = ("subject", "messages__body", "customer__email")
    readonly_fields = ("last_seq", "started_at", "deadline_at", "warned_at")
    inlines = [ChatExtensionInline, ChatMessageInline]


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin[CannedAnswer]):
    list_display = ("title", "product")

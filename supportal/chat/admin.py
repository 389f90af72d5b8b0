from django.contrib import admin

from .models import CannedAnswer, Chat, ChatMessage


class ChatMessageInline(admin.TabularInline):
    model = ChatMessage
    extra = 0
    readonly_fields = ("seq", "author", "kind", "body", "file", "created_at")
    can_delete = False


@admin.register(Chat)
class ChatAdmin(admin.ModelAdmin):
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
    readonly_fields = ("last_seq",)
    inlines = [ChatMessageInline]


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ("title", "product")

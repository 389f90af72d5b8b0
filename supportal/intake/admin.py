from django.contrib import admin

from .models import ContactPhone, InboundEmail, NotificationMute, OutboundEmail, Voicemail


@admin.register(ContactPhone)
class ContactPhoneAdmin(admin.ModelAdmin[ContactPhone]):
    list_display = ["number", "user", "verified_at", "verified_by"]
    list_filter = [("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "user__email"]
    raw_id_fields = ["user", "verified_by"]


@admin.register(NotificationMute)
class NotificationMuteAdmin(admin.ModelAdmin[NotificationMute]):
    list_display = ["user", "kind"]
    raw_id_fields = ["user"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin[OutboundEmail]):
    list_display = ["subject", "to_address", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to_address", "subject", "message_id"]
    raw_id_fields = ["user", "ticket"]


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin[InboundEmail]):
    list_display = ["sender", "subject", "source", "status", "received_at"]
    list_filter = ["status", "source"]
    search_fields = ["sender", "subject", "message_id"]
    raw_id_fields = ["ticket", "reply"]
    exclude = ["raw"]


@admin.register(Voicemail)
class VoicemailAdmin(admin.ModelAdmin[Voicemail]):
    list_display = ["from_number", "called_at", "status", "recording_status", "ticket"]
    list_filter = ["status", "recording_status"]
    raw_id_fields = ["caller", "ticket"]

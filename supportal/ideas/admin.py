from django.contrib import admin

from .models import Comment, Follower, Idea, StatusChange, TicketLink, Vote


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin[Idea]):
    """Counts, merges and statuses change on the ideas board (services), not here."""

    list_display = ["title", "status", "org_count", "user_count", "trend_count", "merged_into"]
    list_filter = ["status", "product"]
    search_fields = ["title"]
    readonly_fields = ["status", "status_note", "status_changed_at", "merged_into"]


for model in (Vote, TicketLink, Follower, Comment, StatusChange):
    admin.site.register(model)

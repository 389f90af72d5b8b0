from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from supportal.accounts.models import User

from . import services
from .models import Post, Subscription
from .tasks import publish_due_posts_task


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["title", "kind", "product", "api_change", "publish_at", "published_at"]
    list_filter = ["kind", "api_change", "product"]
    search_fields = ["title", "tags"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["published_at", "api_announced_at", "guid"]
    actions = ["publish_now"]

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = cast(User, request.user)  # the admin lets in logged-in managers only
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish now")
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset.filter(published_at=None):
            services.schedule_now(post=post)
        publish_due_posts_task()
        messages.success(request, "Published. API-change subscribers are being mailed.")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ["email", "blog_digest", "api_changes", "confirmed_at", "unsubscribed_at"]
    list_filter = ["blog_digest", "api_changes"]
    search_fields = ["email"]
    readonly_fields = ["token", "confirmed_at", "last_digest_at"]

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from supportal.accounts.models import User

from . import services
from .models import Post, PostTranslation, Subscription
from .tasks import publish_due_posts_task


def _other_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class TranslationForm(forms.ModelForm[PostTranslation]):
    language = forms.ChoiceField(choices=_other_languages)

    class Meta:
        model = PostTranslation
        fields = ["language", "title", "summary", "body"]


class TranslationInline(admin.StackedInline[PostTranslation, Post]):
    """The post in another language: readers of that language see it."""

    model = PostTranslation
    form = TranslationForm
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["title", "kind", "product", "api_change", "publish_at", "published_at"]
    list_filter = ["kind", "api_change", "product"]
    search_fields = ["title", "tags"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["published_at", "api_announced_at", "guid"]
    actions = ["publish_now"]
    inlines = [TranslationInline]

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

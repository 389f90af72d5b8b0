"""Admin for KB content. Articles are written in the portal (/kb/, with preview and
history); here they can be listed and deleted. Saves go through the services so the
search index follows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin

from . import services
from .embeds import embed_url_problem
from .models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    Category,
    DocPage,
    SearchDocument,
    SearchGap,
    TrainingRegistration,
    TrainingVideo,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RevisionInline(admin.TabularInline[ArticleRevision, Article]):
    model = ArticleRevision
    fields = ["number", "title", "status", "editor", "note", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]  # fields may nest; these do not
    extra = 0
    can_delete = False


def _other_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class TranslationForm(forms.ModelForm[ArticleTranslation]):
    language = forms.ChoiceField(choices=_other_languages)

    class Meta:
        model = ArticleTranslation
        fields = ["language", "title", "body"]


class TranslationInline(admin.StackedInline[ArticleTranslation, Article]):
    model = ArticleTranslation
    form = TranslationForm
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    """Translations are edited here too (inline); the index follows on save."""

    list_display = ["title", "product", "status", "author", "updated_at"]
    list_filter = ["status", "product", "category"]
    search_fields = ["title", "tags"]
    readonly_fields = [f.name for f in Article._meta.fields]
    inlines = [TranslationInline, RevisionInline]

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.sync_article(form.instance)

    def has_add_permission(self, request: Any) -> bool:
        return False  # authored in the portal, where revisions and preview live

    def delete_model(self, request: Any, obj: Article) -> None:
        services.remove_from_index(kind=SearchDocument.Kind.ARTICLE, object_id=obj.pk)
        super().delete_model(request, obj)


@admin.register(DocPage)
class DocPageAdmin(admin.ModelAdmin[DocPage]):
    list_display = ["title", "product", "parent", "position", "published"]
    list_filter = ["product", "published"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request: Any, obj: DocPage, form: Any, change: bool) -> None:
        services.save_doc_page(page=obj)

    def delete_model(self, request: Any, obj: DocPage) -> None:
        services.remove_from_index(kind=SearchDocument.Kind.DOC, object_id=obj.pk)
        super().delete_model(request, obj)


class TrainingVideoForm(forms.ModelForm[TrainingVideo]):
    embed_url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = TrainingVideo
        fields = [
            "title",
            "slug",
            "product",
            "embed_url",
            "duration_seconds",
            "transcript",
            "published",
        ]

    def clean_embed_url(self) -> str:
        url: str = self.cleaned_data["embed_url"]
        problem = embed_url_problem(url, settings.SUPPORTAL_KB_VIDEO_HOSTS)
        if problem:
            raise forms.ValidationError(problem)
        return url


@admin.register(TrainingVideo)
class TrainingVideoAdmin(admin.ModelAdmin[TrainingVideo]):
    form = TrainingVideoForm
    list_display = ["title", "product", "duration_seconds", "published"]
    list_filter = ["product", "published"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request: Any, obj: TrainingVideo, form: Any, change: bool) -> None:
        services.save_video(video=obj)

    def delete_model(self, request: Any, obj: TrainingVideo) -> None:
        services.remove_from_index(kind=SearchDocument.Kind.VIDEO, object_id=obj.pk)
        super().delete_model(request, obj)


@admin.register(SearchGap)
class SearchGapAdmin(admin.ModelAdmin[SearchGap]):
    list_display = ["query", "product_slug", "count", "last_seen"]


@admin.register(TrainingRegistration)
class TrainingRegistrationAdmin(admin.ModelAdmin[TrainingRegistration]):
    list_display = ["session", "user", "registered_at"]
    list_filter = ["session"]

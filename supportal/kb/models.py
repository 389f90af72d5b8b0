"""Knowledge-base content (articles, documentation, training videos), its search index,
deflection and helpfulness records, and training registrations.

The search index is one table, ``SearchDocument``, that the services keep in step with the
content. On SQLite an FTS5 table mirrors it (created by migration 0002); on PostgreSQL its
``search_vector`` column carries the weighted tsvector under a GIN index."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A question and its answer. The slug is set once, so links survive title changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    product = models.ForeignKey(
        "accounts.Product", on_delete=models.PROTECT, related_name="kb_articles"
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    tags = models.CharField(max_length=300, blank=True, help_text=_("Comma-separated."))
    body = models.TextField(help_text=_("Markdown."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kb_articles"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:article", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class ArticleTranslation(models.Model):
    """An article in another language than the site's own (LANGUAGE_CODE), one row per
    language, so a language is added without touching the article table. Readers in that
    language see it; where there is none they see the article itself."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown."))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="kb_one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.language}]"


class ArticleRevision(models.Model):
    """What an article looked like after one save, and who saved it. Appended, never edited."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.CharField(max_length=300, blank=True)
    product_slug = models.CharField(max_length=30)
    category_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Article.Status.choices)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.article} r{self.number}"


class DocPage(models.Model):
    """A documentation page; pages form a tree per product."""

    product = models.ForeignKey(
        "accounts.Product", on_delete=models.PROTECT, related_name="doc_pages"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    body = models.TextField(blank=True, help_text=_("Markdown."))
    position = models.PositiveIntegerField(default=0)
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["product", "slug"], name="kb_doc_slug_per_product")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:doc", kwargs={"product": self.product.slug, "slug": self.slug})


class TrainingVideo(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    product = models.ForeignKey(
        "accounts.Product", on_delete=models.PROTECT, related_name="training_videos"
    )
    embed_url = models.URLField(
        max_length=500, help_text=_("A player URL on one of SUPPORTAL_KB_VIDEO_HOSTS.")
    )
    duration_seconds = models.PositiveIntegerField(default=0)
    transcript = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:video", kwargs={"slug": self.slug})

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class SearchDocument(models.Model):
    """One searchable thing (article, doc page or video transcript), as the index sees it,
    in one language: the site's own (LANGUAGE_CODE), or an article translation's."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        DOC = "doc", _("Documentation")
        VIDEO = "video", _("Video")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    product = models.ForeignKey(
        "accounts.Product", on_delete=models.CASCADE, related_name="+", null=True
    )
    title = models.CharField(max_length=200)
    tags = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    published = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    # PostgreSQL only (GIN index created by migration 0002); NULL on SQLite, where the
    # FTS5 table ``kb_search_fts`` holds the index instead.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="kb_one_document_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class SearchGap(models.Model):
    """A search that found nothing, counted: the articles to write next."""

    query = models.CharField(max_length=200)
    product_slug = models.CharField(max_length=30, blank=True)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-count", "-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["query", "product_slug"], name="kb_one_gap_per_query")
        ]

    def __str__(self) -> str:
        return f"{self.query!r} ×{self.count}"


class DeflectionEvent(models.Model):
    """A customer opened a suggested article while writing a ticket.

    It is a deflection when they say it solved their question (``solved_at``), or when no
    ticket followed from them within SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES. Computed at
    report time from their tickets (``queries.followed_by_ticket``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kb_deflections"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    query = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    solved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "opened_at"], name="kb_deflection_user_opened")]

    def __str__(self) -> str:
        return f"{self.user} opened {self.article}"


class ArticleVote(models.Model):
    """One "was this helpful?" answer per reader and article; answering again changes it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="kb_one_vote_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.user} {'+' if self.helpful else '-'} {self.article}"


class TrainingRegistration(models.Model):
    """A seat reserved in a group training session."""

    session = models.ForeignKey(
        "accounts.TrainingSession", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="kb_one_seat_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.session}"

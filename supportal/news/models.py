from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product
from supportal.core.models import EmailSubscription, new_token


class Post(models.Model):
    """A news item or blog post. It appears once the publishing job sets ``published_at``."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        BLOG = "blog", _("Blog post")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text=_("Markdown."))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="posts"
    )
    tags = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated."))
    api_change = models.BooleanField(
        default=False,
        help_text=_("Announces a change to the API; API-change subscribers are mailed."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When to publish. Empty: a draft.")
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    api_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="post_published"),
            models.Index(fields=["publish_at"], name="post_publish_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class PostTranslation(models.Model):
    """A post in another language than the site's own (LANGUAGE_CODE), one row per
    language. Readers in that language see it; where there is none they see the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text=_("Markdown."))

    class Meta:
        ordering = ["post", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "language"], name="news_one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} [{self.language}]"


class Subscription(EmailSubscription):
    """A news subscription: the periodic digest, API changes, or both."""

    blog_digest = models.BooleanField(default=True, help_text=_("The periodic digest."))
    api_changes = models.BooleanField(
        default=False, help_text=_("Mailed as soon as an API change is published.")
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def start_again(self) -> None:
        """Back after an unsubscribe: only the topics asked for now, a new unsubscribe link,
        and digests from now on."""
        super().start_again()
        self.blog_digest = self.api_changes = False
        self.token = new_token()
        self.last_digest_at = None

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Organization, Product
from supportal.tickets.models import Ticket


class Idea(models.Model):
    """A feature request on the ideas board.

    ``user_count``/``org_count``/``trend_count`` are recounted from the votes and linked
    tickets (never incremented), so a merge or a duplicate ask cannot count anyone twice."""

    class Status(models.TextChoices):
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        DECLINED = "declined", _("Declined")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="ideas"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNDER_REVIEW)
    status_note = models.TextField(blank=True, help_text=_("Public: why, when, what next."))
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    user_count = models.PositiveIntegerField(default=0, editable=False)
    org_count = models.PositiveIntegerField(default=0, editable=False)
    trend_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-org_count", "-user_count", "-id"]
        indexes = [
            models.Index(fields=["-org_count", "-user_count", "-id"], name="idea_popular"),
            models.Index(fields=["-trend_count", "-org_count", "-id"], name="idea_trend"),
            models.Index(fields=["-created_at", "-id"], name="idea_new"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.pk])

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Vote(models.Model):
    """One vote per user per idea (a unique constraint, so concurrent clicks cannot double)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_vote_per_user")]
        indexes = [models.Index(fields=["idea", "created_at"], name="vote_idea_time")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class TicketLink(models.Model):
    """A feature-request ticket counted for an idea. A ticket counts for one idea only."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="idea_link")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="ticket_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"ticket {self.ticket_id} → idea {self.idea_id}"


class Follower(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_follow_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.idea_id}"


class StatusChange(models.Model):
    """Append-only: each status change with its public note; followers are mailed once."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    new_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.old_status} → {self.new_status}"

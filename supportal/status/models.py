from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product
from supportal.core.models import EmailSubscription


class ComponentStatus(models.TextChoices):
    """Values are the status-page summary format's, so the JSON needs no mapping."""

    OPERATIONAL = "operational", _("Operational")
    DEGRADED = "degraded_performance", _("Degraded performance")
    PARTIAL_OUTAGE = "partial_outage", _("Partial outage")
    MAJOR_OUTAGE = "major_outage", _("Major outage")
    MAINTENANCE = "under_maintenance", _("Under maintenance")


class Component(models.Model):
    """Something customers depend on: a product, the API, the portal."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    product = models.OneToOneField(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="status_component"
    )
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=30, choices=ComponentStatus.choices, default=ComponentStatus.OPERATIONAL
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """Append-only log of a component's status: the daily history is computed from it."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=30, choices=ComponentStatus.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["component", "at"], name="status_change_time")]

    def __str__(self) -> str:
        return f"{self.component} {self.status} at {self.at:%Y-%m-%d %H:%M}"


class Incident(models.Model):
    """An incident, or a scheduled maintenance (``kind``), with its timeline of updates."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        MAINTENANCE = "maintenance", _("Scheduled maintenance")

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        MONITORING = "monitoring", _("Monitoring")
        RESOLVED = "resolved", _("Resolved")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        VERIFYING = "verifying", _("Verifying")
        COMPLETED = "completed", _("Completed")

    class Impact(models.TextChoices):
        NONE = "none", _("None")
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")
        MAINTENANCE = "maintenance", _("Maintenance")

    CLOSED_STATUSES = (Status.RESOLVED, Status.COMPLETED)
    INCIDENT_STATUSES = (
        Status.INVESTIGATING,
        Status.IDENTIFIED,
        Status.MONITORING,
        Status.RESOLVED,
    )
    MAINTENANCE_STATUSES = (
        Status.SCHEDULED,
        Status.IN_PROGRESS,
        Status.VERIFYING,
        Status.COMPLETED,
    )

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INCIDENT)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices)
    impact = models.CharField(max_length=20, choices=Impact.choices, default=Impact.MINOR)
    components = models.ManyToManyField["Component", "AffectedComponent"](
        Component, through="AffectedComponent", blank=True
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    scheduled_until = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    monitoring_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "resolved_at"], name="incident_open"),
            models.Index(fields=["-updated_at"], name="incident_recent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("status:incident", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES


class AffectedComponent(models.Model):
    """A component an incident affects, and the status the incident puts it in."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=30, choices=ComponentStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "component"], name="one_row_per_component")
        ]

    def __str__(self) -> str:
        return f"{self.component} in {self.incident}: {self.status}"


class IncidentUpdate(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=Incident.Status.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affected_components = models.JSONField(
        default=list, blank=True, help_text=_("[{code, name, old_status, new_status}]")
    )
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident}: {self.status}"


class IncidentSubscriber(EmailSubscription):
    """Email subscription to incident updates; rows exist only once confirmed."""

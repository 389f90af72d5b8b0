from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import events


class SupportRegion(models.Model):
    """Where a support team sits. Its calendar (hours, holidays) lives in ``sla``."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    timezone = models.CharField(max_length=64)
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("What the region's customers and staff read unless they choose another."),
    )
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text=_("ISO country code for public holidays, e.g. US.")
    )
    holiday_subdivision = models.CharField(
        max_length=10, blank=True, help_text=_("Regional holidays too, e.g. VC for Valencia.")
    )
    lead = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Warned with the assignee before a ticket breaches its SLA."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A subscription tier. ``rank`` orders tiers so "HV and above" is ``rank >= hv.rank``."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(unique=True)
    expert_hours_per_quarter = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("0")
    )
    chat_included = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name

    def is_at_least(self, other: Plan) -> bool:
        return self.rank >= other.rank


class Product(models.Model):
    slug = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    chat_available = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _announce_rename(instance: Organization | User, save_kwargs: dict[str, Any]) -> None:
    """Tell whoever keeps a copy of the name (the ticket search index) that a saved name
    changed, whatever saved it (the admin, a service, an erasure)."""
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None and "name" not in update_fields:
        return
    loaded = getattr(instance, "_loaded_name", None)
    instance._loaded_name = instance.name
    if loaded is not None and loaded != instance.name:
        events.renamed.send(sender=type(instance), instance=instance)


def _stamp_deactivation(
    instance: Organization | User, field: str, save_kwargs: dict[str, Any]
) -> None:
    """Record, on the row itself, the moment it goes from active to inactive.

    Whatever deactivates it (the admin, a service, a plain ``is_active = False; save()``),
    the stamp is written with it, and a credential issued before the stamp stays refused
    even after the row is made active again (``accounts.credentials``). Only
    ``QuerySet.update()`` passes it by; the services never use that to deactivate."""
    if instance.is_active or not getattr(instance, "_was_active", False):
        return
    setattr(instance, field, timezone.now())
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None:
        save_kwargs["update_fields"] = {*update_fields, field}


class Organization(models.Model):
    """A customer company."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="organizations")
    products = models.ManyToManyField(Product, related_name="organizations", blank=True)
    support_region = models.ForeignKey(
        SupportRegion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(
        default=True,
        help_text=_("Unticked, nobody of the organization can log in or use an API token."),
    )
    deactivated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Last deactivation: API tokens and chat links issued before it stay dead."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    _was_active: bool | None  # is_active as loaded, for _stamp_deactivation
    _loaded_name: str | None  # the name as loaded, for _announce_rename

    def save(self, *args: Any, **kwargs: Any) -> None:
        _stamp_deactivation(self, "deactivated_at", kwargs)
        super().save(*args, **kwargs)
        self._was_active = self.is_active
        _announce_rename(self, kwargs)

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._was_active = instance.__dict__.get("is_active")  # for _stamp_deactivation
        instance._loaded_name = instance.__dict__.get("name")  # for _announce_rename
        return instance

    def product_list(self) -> list[Product]:
        """The products it subscribes to (active or not), read once per instance: the
        ticket form, its validation and the pages around it all ask."""
        if not hasattr(self, "_product_list"):
            self._product_list = list(Product.objects.filter(organizations=self.pk))
        return self._product_list


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", User.Role.CUSTOMER)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(role=User.Role.MANAGER, is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        CUSTOMER_ADMIN = "customer_admin", _("Customer admin")
        AGENT = "agent", _("Support agent")
        PROFESSIONAL_SERVICES = "professional_services", _("Professional services")
        MANAGER = "manager", _("Manager")
        AUDITOR = "auditor", _("Read-only staff")

    # Staff who work tickets. Read-only staff (auditors) are not among them, so every check
    # of is_support_staff refuses them; reads open to them check is_staff_or_auditor.
    STAFF_ROLES = frozenset({Role.AGENT, Role.PROFESSIONAL_SERVICES, Role.MANAGER})
    CUSTOMER_ROLES = frozenset({Role.CUSTOMER, Role.CUSTOMER_ADMIN})

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.CUSTOMER)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    support_region = models.ForeignKey(
        SupportRegion, on_delete=models.PROTECT, null=True, blank=True, related_name="agents"
    )
    # Blank: the region's (staff: their own region; customers: their organization's).
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May use the Django admin."))
    otp_exempt = models.BooleanField(
        default=False,
        help_text=_(
            "Support staff who may log in without a second factor even when "
            "SUPPORTAL_STAFF_2FA_REQUIRED is on (demo logins)."
        ),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    credentials_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Last password change or deactivation: API tokens and chat links issued before "
            "it no longer work."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        # Staff are a few dozen among thousands of customers: the assignee lists and
        # filters read them by role on every queue and ticket page.
        indexes = [models.Index(fields=["role", "name"], name="user_role_name")]
        constraints = [
            models.CheckConstraint(
                name="customer_has_organization",
                condition=~models.Q(role__in=["customer", "customer_admin"])
                | models.Q(organization__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    _was_active: bool | None  # is_active as loaded, for _stamp_deactivation
    _loaded_name: str | None  # the name as loaded, for _announce_rename
    # Remembered by accounts.services.has_attended_training.
    _trained_product_ids: frozenset[int]

    def save(self, *args: Any, **kwargs: Any) -> None:
        _stamp_deactivation(self, "credentials_changed_at", kwargs)
        super().save(*args, **kwargs)
        self._was_active = self.is_active
        _announce_rename(self, kwargs)

    @property
    def is_support_staff(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def is_auditor(self) -> bool:
        return self.role == self.Role.AUDITOR

    @property
    def is_staff_or_auditor(self) -> bool:
        """May read what support staff read (every ticket, internal notes, the queue)."""
        return self.is_support_staff or self.is_auditor

    @property
    def is_customer(self) -> bool:
        return self.role in self.CUSTOMER_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._was_active = instance.__dict__.get("is_active")  # for _stamp_deactivation
        instance._loaded_name = instance.__dict__.get("name")  # for _announce_rename
        return instance

    def set_password(self, raw_password: str | None) -> None:
        """A new password ends the credentials issued under the old one (API tokens, chat
        links); Django's session hash already ends the sessions. Not on creation."""
        super().set_password(raw_password)
        if not self._state.adding:
            self.credentials_changed_at = timezone.now()

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        if not self._state.adding:
            self.credentials_changed_at = timezone.now()

    def has_perm(self, perm: str, obj: Model | None = None) -> bool:
        # Managers run the admin; other roles only what they were granted.
        if self.is_active and self.is_manager:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_manager:
            return True
        return super().has_module_perms(app_label)

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.name or self.email


class TrainingSession(models.Model):
    """A scheduled group training; attending one meets the support training requirement."""

    title = models.CharField(max_length=200)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="trainings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=60)
    seats = models.PositiveIntegerField(default=20)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class TrainingAttendance(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_attendance")
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    attended_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="one_attendance_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} attended {self.session}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored.

    A "read" token may only read (GET); a "write" token may do what its user may do."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.WRITE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.scope} token for {self.user} (expires {self.expires_at:%Y-%m-%d})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @staticmethod
    def new_raw_key() -> str:
        return secrets.token_urlsafe(32)


class PasswordResetRequest(models.Model):
    """One request of the password-reset form, kept to throttle them (per email, per address).

    The email is stored as a hash: the table must not become a list of who asked."""

    email_hash = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent = models.BooleanField(default=False, help_text=_("False when the throttle held it back."))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"password reset request at {self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An emailed invitation to join an organization. Only the token's SHA-256 is stored;
    it is claimed once (accepted_at set by a conditional UPDATE) before its expiry."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(
        max_length=30,
        choices=[
            (User.Role.CUSTOMER, User.Role.CUSTOMER.label),
            (User.Role.CUSTOMER_ADMIN, User.Role.CUSTOMER_ADMIN.label),
        ],
        default=User.Role.CUSTOMER,
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="invitation_org")]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organization_id}"

    def is_pending(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class AccountEvent(models.Model):
    """Append-only trail of changes to organizations and their people."""

    class Action(models.TextChoices):
        ORGANIZATION_CREATED = "organization_created", _("Organization created")
        INVITED = "invited", _("Invitation sent")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation withdrawn")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        DEACTIVATED = "deactivated", _("User deactivated")
        REACTIVATED = "reactivated", _("User reactivated")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person the change is about, when there is one."),
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="account_event_org")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d})"

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Organization, Product
from supportal.core.crypto import EncryptedTextField
from supportal.core.models import StoredFile


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING_CUSTOMER = "pending_customer", _("Pending customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        QUESTION = "question", _("How-to question")
        BUG = "bug", _("Bug or error")
        FEATURE_REQUEST = "feature_request", _("Feature request")
        PROFESSIONAL_SERVICES = "professional_services", _("Professional services")
        TRAINING_REQUEST = "training_request", _("Training request")
        CALCULATOR_PASSWORD = "calculator_password", _("Calculator password")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        API = "api", _("API")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        CHAT = "chat", _("Chat")

    class UrgentReason(models.TextChoices):
        CANNOT_ORDER = "cannot_order", _("My customers cannot place an order")
        CANNOT_PRODUCE = "cannot_produce", _("We cannot produce the job")

    OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER)
    # Asking for training, or for paid work, is not asking for support: the training
    # requirement does not stand in the way (the policy sends training requests here).
    TRAINING_EXEMPT_KINDS = frozenset({Kind.TRAINING_REQUEST, Kind.PROFESSIONAL_SERVICES})

    number = models.CharField(max_length=30, unique=True, null=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tickets")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_tickets"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="tickets")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.QUESTION)
    subject = models.CharField(max_length=200)
    description = models.TextField()
    site_name = models.CharField(max_length=200, blank=True)
    site_url = models.URLField(max_length=500, blank=True)
    admin_username = EncryptedTextField(blank=True, default="")
    admin_password = EncryptedTextField(blank=True, default="")
    site_user_username = EncryptedTextField(blank=True, default="")
    site_user_password = EncryptedTextField(blank=True, default="")
    has_credentials = models.BooleanField(default=False)
    credentials_purged_at = models.DateTimeField(null=True, blank=True)
    steps = models.TextField(blank=True)
    urgent = models.BooleanField(default=False)
    urgent_reason = models.CharField(max_length=20, choices=UrgentReason.choices, blank=True)
    urgent_impact = models.TextField(
        blank=True, help_text=_("What the customer cannot do, in their words.")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
        help_text=_("The ticket this duplicate was merged into; its address leads there."),
    )
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="split_tickets",
        help_text=_("The ticket whose reply asked this question (one question per ticket)."),
    )
    split_from_reply = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="split_tickets"
    )
    tags: models.ManyToManyField[Tag, Any] = models.ManyToManyField(
        "Tag", blank=True, related_name="tickets"
    )
    requester_untrained = models.BooleanField(
        default=False, help_text=_("Filed by a customer who had not attended training.")
    )
    received_at = models.DateTimeField(default=timezone.now)
    engineering_escalated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Since when the ticket waits on the programming staff; empty otherwise."),
    )
    first_response_due = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    sla_breached = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived by the database from status, so the queue's WHERE is one equality an index
    # can serve in order (a partial index on "status IN (...)" is not used with parameters).
    in_queue = models.GeneratedField(
        expression=models.ExpressionWrapper(
            models.Q(status__in=["new", "open", "pending_customer"]),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The agent queue: open tickets, urgent first, then first in first out; the
            # ORDER BY ... LIMIT walks this index instead of sorting every open ticket.
            models.Index(
                fields=["in_queue", "-urgent", "received_at", "id"], name="ticket_open_queue"
            ),
            models.Index(fields=["status", "-urgent", "received_at", "id"], name="ticket_queue"),
            models.Index(fields=["-received_at", "-id"], name="ticket_recent"),
            models.Index(fields=["organization", "-received_at", "-id"], name="ticket_org_recent"),
            # A customer's list filters requester AND organization (tickets_visible_to);
            # with both in the index the newest-first LIMIT is a plain index walk, where
            # the planner otherwise intersects two indexes and sorts all of a big
            # customer's tickets (it assumes the two columns are independent).
            models.Index(
                fields=["requester", "organization", "-received_at", "-id"],
                name="ticket_requester_org_recent",
            ),
            models.Index(fields=["status", "resolved_at"], name="ticket_resolved"),
        ]
        constraints = [
            models.CheckConstraint(
                name="urgent_needs_reason",
                condition=models.Q(urgent=False) | ~models.Q(urgent_reason=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_with_engineering(self) -> bool:
        return self.engineering_escalated_at is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Reply(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    internal = models.BooleanField(default=False, help_text=_("Internal notes: staff only."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="reply_ticket_time")]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"reply {self.pk} on {self.ticket_id}"


class Attachment(StoredFile):
    upload_dir = "attachments"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )

    def get_absolute_url(self) -> str:
        return reverse("tickets:attachment", args=[self.ticket_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in {"image/png", "image/jpeg", "image/gif", "image/webp"}


class AuditEvent(models.Model):
    """Append-only trail of everything that happens to a ticket."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        REPLIED = "replied", _("Replied")
        NOTE_ADDED = "note_added", _("Internal note added")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        CREDENTIALS_VIEWED = "credentials_viewed", _("Credentials viewed")
        CREDENTIALS_PURGED = "credentials_purged", _("Credentials purged")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        FOLLOW_UP_CREATED = "follow_up_created", _("Follow-up ticket created")
        REOPENED = "reopened", _("Reopened")
        AUTO_CLOSED = "auto_closed", _("Closed automatically")
        URGENCY_DOWNGRADED = "urgency_downgraded", _("Urgency downgraded")
        URGENCY_RAISED = "urgency_raised", _("Marked urgent by staff")
        SLA_WARNED = "sla_warned", _("SLA warning sent")
        SLA_BREACHED = "sla_breached", _("SLA breached")
        PAGED = "paged", _("On-call paged")
        PAGE_ESCALATED = "page_escalated", _("Page escalated")
        PAGE_ACKNOWLEDGED = "page_acknowledged", _("Page acknowledged")
        # Written by the billing app through tickets.services.record_event.
        TIME_LOGGED = "time_logged", _("Time logged")
        BILLING_NOTICE_SENT = "billing_notice_sent", _("Professional-services notice sent")
        BILLING_NOTICE_ACCEPTED = "billing_notice_accepted", _("Notice accepted by the customer")
        BILLING_NOTICE_DECLINED = "billing_notice_declined", _("Notice declined by the customer")
        CONFIRMED_BUG = "confirmed_bug", _("Confirmed as a bug (no charge)")
        ALLOWANCE_EXTENDED = "allowance_extended", _("Free support extended")
        CUSTOM_CODE_EXCEPTION = "custom_code_exception", _("Custom-code fix approved by a manager")
        RUSH_QUOTE_REQUESTED = "rush_quote_requested", _("Rush quote requested")
        CALCULATOR_WARNING_ACCEPTED = (
            "calculator_warning_accepted",
            _("Calculator warning accepted"),
        )
        CALCULATOR_PASSWORD_RELEASED = (
            "calculator_password_released",
            _("Calculator password released"),
        )
        ENGINEERING_ESCALATED = "engineering_escalated", _("Escalated to engineering")
        ENGINEERING_RETURNED = "engineering_returned", _("Back from engineering")
        CALCULATOR_PASSWORD_REVEALED = (
            "calculator_password_revealed",
            _("Calculator password shown to the customer"),
        )
        MERGED_INTO = "merged_into", _("Merged into another ticket")
        MERGED_FROM = "merged_from", _("Another ticket merged into this one")
        SPLIT_OFF = "split_off", _("A reply split into a new ticket")
        SPLIT_FROM = "split_from", _("Split from a reply on another ticket")
        FIELDS_CHANGED = "fields_changed", _("Custom fields changed")
        MACRO_APPLIED = "macro_applied", _("Macro applied")
        TAGGED = "tagged", _("Tag added")
        UNTAGGED = "untagged", _("Tag removed")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="audit_ticket_time")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.ticket_id}"


class CustomField(models.Model):
    """An extra question on the ticket form, defined by a manager for some products (or all).

    Values are stored as canonical text (numbers without trailing zeros, dates as
    YYYY-MM-DD), so one index serves ``field:key=value`` searches of every kind."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")

    key = models.SlugField(
        max_length=50,
        unique=True,
        help_text=_("Short name used in searches (field:key=value), exports and the API."),
    )
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="custom_fields",
        help_text=_("The products whose tickets ask this; none chosen: every product."),
    )
    choices = models.TextField(blank=True, help_text=_("Choice fields: one option per line."))
    help_text = models.CharField(max_length=200, blank=True)
    required = models.BooleanField(
        default=False, help_text=_("Customers must answer it when they file a ticket.")
    )
    staff_only = models.BooleanField(
        default=False, help_text=_("Filled and seen by support staff only, never customers.")
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "label", "id"]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and not self.choice_list():
            raise ValidationError({"choices": _("List the options, one per line.")})


class TicketFieldValue(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="field_values")
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(max_length=500)

    class Meta:
        ordering = ["field__position", "field__label", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "field"], name="field_value_once")]
        # filter_by_field: the tickets with this value of this field.
        indexes = [models.Index(fields=["field", "value"], name="field_value_lookup")]

    def __str__(self) -> str:
        return f"{self.field_id}={self.value} on {self.ticket_id}"


class Macro(models.Model):
    """A canned reply with placeholders and actions. Shared (no owner) or one agent's own."""

    class AssigneeAction(models.TextChoices):
        KEEP = "", _("Leave the assignee")
        ME = "me", _("Assign to me")
        NOBODY = "nobody", _("Unassign")
        USER = "user", _("Assign to a colleague")

    name = models.CharField(max_length=100)
    body = models.TextField(
        blank=True,
        help_text=_(
            "Placeholders: {{ customer_name }}, {{ customer_first_name }}, "
            "{{ ticket_number }}, {{ ticket_subject }}, {{ agent_name }}, "
            "{{ kb:article-slug }} (a link to that knowledge-base article)."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        help_text=_("Empty: shared with every agent."),
    )
    set_status = models.CharField(
        max_length=20, choices=Ticket.Status.choices, blank=True, help_text=_("Empty: unchanged.")
    )
    assignee_action = models.CharField(
        max_length=10, choices=AssigneeAction.choices, blank=True, default=AssigneeAction.KEEP
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For 'Assign to a colleague'."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None


class Tag(models.Model):
    """A label support staff put on tickets (``tag:dns`` in search). Staff only: customers
    never see tags. Names are lowercase slugs, made by ``tags.normalize_tag``."""

    name = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def copied_key(to: type[models.Model] | str) -> models.ForeignKey[Any, Any]:
    """A copy of a ticket's key in its search document: no constraint, no index."""
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        null=True,
        editable=False,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class TicketSearchDocument(models.Model):
    """A ticket's text as the PostgreSQL full-text index sees it (``tickets.search``).

    ``vector`` holds everything staff may search (subject, description, every reply and
    internal note, requester and organization names) under a GIN index; ``public_vector``
    the part a customer may read (no internal notes), checked on the rows the index found.
    SQLite keeps the same text in the FTS5 table ``tickets_search_fts`` instead."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    vector = SearchVectorField(null=True, editable=False)
    public_vector = SearchVectorField(null=True, editable=False)
    # Copies of the ticket's sort key and filter columns (``tickets.search``), so that one
    # statement on this table answers "the newest matches the user may see" and counts
    # them, without reading the matching tickets. The services keep them in step
    # (``search.index_ticket_columns``). No constraint or index of their own on the copied
    # keys: the document goes with its ticket.
    received_at = models.DateTimeField(null=True, editable=False)
    status = models.CharField(max_length=20, blank=True, default="", editable=False)
    in_queue = models.BooleanField(default=False, editable=False)
    urgent = models.BooleanField(default=False, editable=False)
    sla_breached = models.BooleanField(default=False, editable=False)
    engineering_escalated_at = models.DateTimeField(null=True, editable=False)
    product = copied_key(Product)
    organization = copied_key(Organization)
    requester = copied_key(settings.AUTH_USER_MODEL)
    assignee = copied_key(settings.AUTH_USER_MODEL)

    class Meta:
        indexes = [
            # Matches newest (or oldest) first: for a word in many tickets the planner
            # walks this index and stops after one page.
            models.Index(fields=["received_at", "ticket"], name="ticket_search_received"),
            # A customer's (or their organization's) tickets, newest first.
            models.Index(
                fields=["organization", "received_at", "ticket"],
                name="ticket_search_org_received",
            ),
        ]

    def __str__(self) -> str:
        return f"search document of {self.ticket_id}"


class SavedView(models.Model):
    """A search an agent keeps (its query string, ``tickets.query_syntax``), shown with a
    live count; personal, or shared with the whole support team."""

    class Visibility(models.TextChoices):
        PERSONAL = "personal", _("Only me")
        TEAM = "team", _("The support team")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=500)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PERSONAL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_owner_name")
        ]
        indexes = [models.Index(fields=["visibility", "name"], name="saved_view_visibility")]

    def __str__(self) -> str:
        return self.name

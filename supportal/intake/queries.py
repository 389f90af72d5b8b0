"""Reads for the staff intake pages. Callers check can_work_tickets first."""

from django.db.models import QuerySet

from supportal.accounts.models import User

from .models import ContactPhone, InboundEmail, OutboundEmail, Voicemail

LIST_LIMIT = 100


def mail_needing_staff() -> QuerySet[InboundEmail]:
    return InboundEmail.objects.filter(status__in=InboundEmail.NEEDS_STAFF).defer("raw")[
        :LIST_LIMIT
    ]


def recent_mail() -> QuerySet[InboundEmail]:
    return InboundEmail.objects.select_related("ticket").defer("raw")[:25]


def notifications_needing_staff() -> QuerySet[OutboundEmail]:
    """Failed notifications, and pending ones that have already failed once."""
    return (
        OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
        | OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, attempts__gt=0)
    ).select_related("ticket")[:LIST_LIMIT]


def voicemail_triage() -> QuerySet[Voicemail]:
    return Voicemail.objects.filter(status=Voicemail.Status.TRIAGE).order_by("called_at", "id")[
        :LIST_LIMIT
    ]


def voicemail_recording_failures() -> QuerySet[Voicemail]:
    return Voicemail.objects.filter(recording_status=Voicemail.Recording.FAILED).select_related(
        "ticket"
    )[:LIST_LIMIT]


def phones_to_verify() -> QuerySet[ContactPhone]:
    """Claimed numbers that open no ticket yet (staff)."""
    return ContactPhone.objects.filter(verified_at=None).select_related(
        "user", "user__organization", "verified_by"
    )[:LIST_LIMIT]


def organization_phones(admin: User) -> QuerySet[ContactPhone]:
    """The numbers a customer admin's colleagues (and they) claimed."""
    if admin.role != User.Role.CUSTOMER_ADMIN or admin.organization_id is None:
        return ContactPhone.objects.none()
    return ContactPhone.objects.filter(
        user__organization_id=admin.organization_id, user__is_active=True
    ).select_related("user", "verified_by")

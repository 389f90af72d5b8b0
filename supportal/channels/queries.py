"""Reads for the staff intake pages. Callers check can_work_tickets first."""

from django.db.models import QuerySet

from .models import InboundEmail, OutboundEmail, Voicemail

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

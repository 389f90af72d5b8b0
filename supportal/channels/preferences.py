"""A user's notification choices and the phone number they call from."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput

from .models import ContactPhone, NotificationKind, NotificationMute
from .phone import normalize_phone


def received_kinds(user: User) -> set[str]:
    muted = set(NotificationMute.objects.filter(user=user).values_list("kind", flat=True))
    return set(NotificationKind.values) - muted


def update_preferences(*, user: User, receive: Iterable[str], phone: str) -> None:
    """Keep exactly the kinds in ``receive``; set (or clear) the user's phone number.

    Raises InvalidInput for a number that is not E.164 or belongs to someone else."""
    wanted = set(receive)
    unknown = wanted - set(NotificationKind.values)
    if unknown:
        raise InvalidInput({"receive": f"Unknown notification kinds: {sorted(unknown)}"})
    number = normalize_phone(phone) if phone.strip() else ""
    if number is None:
        raise InvalidInput(
            {"phone": "Enter the number with its country code, e.g. +1 312 555 0100."}
        )
    if number and ContactPhone.objects.filter(number=number).exclude(user=user).exists():
        raise InvalidInput({"phone": "This number belongs to another account; ask support."})
    with transaction.atomic():
        NotificationMute.objects.filter(user=user).exclude(
            kind__in=set(NotificationKind.values) - wanted
        ).delete()
        for kind in set(NotificationKind.values) - wanted:
            NotificationMute.objects.get_or_create(user=user, kind=kind)
        ContactPhone.objects.filter(user=user).exclude(number=number).delete()
        if number:
            ContactPhone.objects.get_or_create(user=user, number=number)


def phone_of(user: User) -> str:
    return ContactPhone.objects.filter(user=user).values_list("number", flat=True).first() or ""

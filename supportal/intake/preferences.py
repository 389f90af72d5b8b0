"""A user's notification choices and the phone number they call from, and its verification.

Voicemail becomes a ticket on a user's account only from a verified number. A code by SMS
or a call-back would prove it without a person, but Supportal sends no SMS and places no
calls: support staff verify a number (the voicemail triage does it when staff give a
caller's voicemail to a customer), or the customer's organization admin confirms it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from .models import ContactPhone, NotificationKind, NotificationMute
from .phone import normalize_phone


def received_kinds(user: User) -> set[str]:
    muted = set(NotificationMute.objects.filter(user=user).values_list("kind", flat=True))
    return set(NotificationKind.values) - muted


def update_preferences(*, user: User, receive: Iterable[str], phone: str) -> None:
    """Keep exactly the kinds in ``receive``; set (or clear) the user's phone number.

    Raises InvalidInput for a number that is not E.164. A new number waits for verification;
    whether anyone else claimed it, or has it verified, changes nothing here: the answer
    is the same, so a claim tells nothing about other accounts."""
    wanted = set(receive)
    unknown = wanted - set(NotificationKind.values)
    if unknown:
        raise InvalidInput(
            {"receive": _("Unknown notification kinds: %(kinds)s") % {"kinds": sorted(unknown)}}
        )
    number = normalize_phone(phone) if phone.strip() else ""
    if number is None:
        raise InvalidInput(
            {"phone": _("Enter the number with its country code, e.g. +1 312 555 0100.")}
        )
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


def phone_claim_of(user: User) -> ContactPhone | None:
    return ContactPhone.objects.filter(user=user).first()


def may_verify_phone(actor: User, phone: ContactPhone) -> bool:
    """Support staff verify any number; a customer admin confirms those of their own
    organization's users."""
    if actor.is_support_staff:
        return True
    return (
        actor.role == User.Role.CUSTOMER_ADMIN
        and actor.organization_id is not None
        and phone.user.organization_id == actor.organization_id
    )


def verify_phone(*, phone: ContactPhone, actor: User) -> bool:
    """Vouch that the number is its user's. True when voicemail from it now opens tickets
    on their account.

    A number verified for another account stays there: staff are told (they see every
    account); a customer admin's confirmation is recorded and left for support to decide,
    and they are told the same as when it took effect (nothing about the other account)."""
    if not may_verify_phone(actor, phone):
        raise NotPermitted(_("Only support staff or the organization's admin verify numbers."))
    with transaction.atomic():
        phone = ContactPhone.objects.select_for_update().select_related("user").get(pk=phone.pk)
        if phone.is_verified:
            return True
        taken = (
            ContactPhone.objects.filter(number=phone.number, verified_at__isnull=False)
            .exclude(pk=phone.pk)
            .select_related("user")
            .first()
        )
        if taken is None:
            try:
                with transaction.atomic():
                    ContactPhone.objects.filter(pk=phone.pk).update(
                        verified_at=timezone.now(), verified_by=actor
                    )
                return True
            except IntegrityError:  # verified for someone else at this very moment
                taken = ContactPhone.objects.filter(
                    number=phone.number, verified_at__isnull=False
                ).first()
        if actor.is_support_staff:
            owner = taken.user.email if taken is not None else "another account"
            raise RuleViolation(
                "number_verified_elsewhere",
                f"{phone.number} is verified for {owner}: remove it there first.",
            )
        ContactPhone.objects.filter(pk=phone.pk).update(verified_by=actor)
        return False

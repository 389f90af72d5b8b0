"""Exports asked for and made, and erasure.

Who may: an organization's customer admins and the support staff export the
organization's data or one of its people's (``accounts.access.can_manage_people``);
managers erase a customer. Views check first and answer 404; the services check again."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts import services as account_services
from supportal.accounts.access import can_manage_people
from supportal.accounts.models import ApiToken, Invitation, Organization, User
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.ideas.models import Follower
from supportal.intake.models import (
    ContactPhone,
    InboundEmail,
    NotificationMute,
    OutboundEmail,
    Voicemail,
)
from supportal.news.models import Subscription
from supportal.status.models import IncidentSubscriber

from . import exporting, tasks
from .models import DataExport, Erasure

log = logging.getLogger(__name__)

PROGRESS_EVERY = 25  # items between progress writes


def export_dir() -> Path:
    path = Path(settings.SUPPORTAL_EXPORT_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def export_path(export: DataExport) -> Path:
    return export_dir() / export.file_name


def request_export(
    *, actor: User, organization: Organization, person: User | None = None
) -> DataExport:
    """Queue an export of ``organization`` (or of one of its people). Asking again while
    one is queued or being made returns that one."""
    if not can_manage_people(actor, organization):
        raise RuleViolation("not_allowed", _("Only the organization's admins or support staff."))
    if person is not None and person.organization_id != organization.pk:
        raise InvalidInput({"person": _("Not a person of this organization.")})
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)  # one at a time
        pending = DataExport.objects.filter(
            organization=organization,
            person=person,
            status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING],
        ).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(
            organization=organization, person=person, requested_by=actor
        )
        transaction.on_commit(lambda: tasks.make_export_task(export.pk))
    return export


def make_export(export_id: int) -> bool:
    """Make one queued export. Safe to call twice: only the call that claims it works."""
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.RUNNING
    )
    if claimed != 1:
        return False
    export = DataExport.objects.select_related("organization", "person").get(pk=export_id)
    name = f"export-{export.pk}-{secrets.token_hex(8)}.zip"
    final = export_dir() / name
    partial = final.with_suffix(".partial")
    done = 0

    def progress(items: int) -> None:
        nonlocal done
        done += items
        if done % PROGRESS_EVERY < items:
            DataExport.objects.filter(pk=export_id).update(items_done=done)

    try:
        total = exporting.count_items(exporting.contents_of(export))
        DataExport.objects.filter(pk=export_id).update(items_total=total)
        exporting.write_export(export, str(partial), progress)
        os.chmod(partial, 0o600)
        os.replace(partial, final)
    except Exception:
        log.exception("export %s failed", export_id)
        partial.unlink(missing_ok=True)
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED,
            error="The export could not be made; support has the details. Ask again later.",
            finished_at=timezone.now(),
        )
        return False
    now = timezone.now()
    DataExport.objects.filter(pk=export_id).update(
        status=DataExport.Status.READY,
        file_name=name,
        size=final.stat().st_size,
        items_done=F("items_total"),
        finished_at=now,
        expires_at=now + timedelta(days=settings.SUPPORTAL_EXPORT_KEEP_DAYS),
    )
    return True


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their time."""
    now = now or timezone.now()
    expired = 0
    for export in DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now):
        export_path(export).unlink(missing_ok=True)
        expired += DataExport.objects.filter(pk=export.pk, status=DataExport.Status.READY).update(
            status=DataExport.Status.EXPIRED, file_name=""
        )
    return expired


def can_erase(actor: User, person: User) -> bool:
    return actor.is_active and actor.is_manager and person.is_customer and actor.pk != person.pk


@transaction.atomic
def erase_person(*, actor: User, person: User, reason: str) -> Erasure:
    """Remove a customer's personal data, keeping the records the law requires.

    The account is pseudonymised (no name, an address that cannot receive mail), cannot log
    in, and every session, token and socket of it ends. Their phone numbers, mutes,
    subscriptions, follows and invitations are deleted; mail to or from their address in
    the outbox and inbox is re-addressed to the pseudonym and unsent mail to them is
    dropped; voicemail keeps no caller number. Tickets, replies, chats, time, notices and
    statements stay: they are the vendor's business and accounting records."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": _("Say why (the request, its date and who made it).")})
    person = User.objects.select_for_update().get(pk=person.pk)
    if not can_erase(actor, person):
        raise RuleViolation("not_allowed", _("Managers erase customers' data."))
    old_email = person.email
    pseudonym = f"erased-{person.pk}@erased.invalid"
    counts = {
        "phones": ContactPhone.objects.filter(user=person).delete()[0],
        "mutes": NotificationMute.objects.filter(user=person).delete()[0],
        "api_tokens": ApiToken.objects.filter(user=person).delete()[0],
        "invitations": Invitation.objects.filter(email__iexact=old_email).delete()[0],
        "news_subscriptions": Subscription.objects.filter(email__iexact=old_email).delete()[0],
        "status_subscriptions": IncidentSubscriber.objects.filter(email__iexact=old_email).delete()[
            0
        ],
        "idea_follows": Follower.objects.filter(user=person).delete()[0],
        "unsent_mail": OutboundEmail.objects.filter(
            to_address__iexact=old_email, status=OutboundEmail.Status.PENDING
        ).update(status=OutboundEmail.Status.SKIPPED),
        "mail_out": OutboundEmail.objects.filter(to_address__iexact=old_email).update(
            to_address=pseudonym
        ),
        "mail_in": InboundEmail.objects.filter(sender__iexact=old_email).update(
            sender=pseudonym, raw=b""
        ),
        "voicemail": Voicemail.objects.filter(caller=person).update(from_number=""),
    }
    person.name = ""
    person.email = pseudonym
    person.is_active = False
    person.set_unusable_password()
    person.save()
    account_services.end_credentials(user_ids=[person.pk])
    return Erasure.objects.create(person=person, erased_by=actor, reason=reason, counts=counts)

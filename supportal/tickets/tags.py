"""Tags on tickets: support staff add and remove them (one audit row each); ``tag:name``
finds them. Customers never see tags.

A tag's name is a lowercase slug ("DNS problems" → "dns-problems"); a tag is created the
first time someone uses its name, and stays (empty tags cost nothing and keep the names
people chose)."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted

from .models import AuditEvent, Tag, Ticket

MAX_TAG_LENGTH = 50
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def normalize_tag(name: str) -> str:
    """A tag's name as stored: lowercase letters, digits and single hyphens."""
    return _NOT_SLUG.sub("-", (name or "").lower()).strip("-")[:MAX_TAG_LENGTH].strip("-")


def tags_of(ticket: Ticket) -> QuerySet[Tag]:
    return ticket.tags.order_by("name")


def known_tags(limit: int = 200) -> list[str]:
    """Tag names in use, for the ticket page's suggestions."""
    return list(Tag.objects.order_by("name").values_list("name", flat=True)[:limit])


def _check_actor(actor: User) -> None:
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff tag tickets.")


def add_tag(*, ticket: Ticket, actor: User, name: str) -> Tag:
    """Put the tag ``name`` on the ticket (creating the tag if new). Adding a tag the
    ticket already has changes nothing and writes no audit row.

    Preconditions: the actor is support staff who can see the ticket."""
    _check_actor(actor)
    slug = normalize_tag(name)
    if not slug:
        raise InvalidInput({"name": gettext("Name the tag with letters or digits.")})
    with transaction.atomic():
        tag, _ = Tag.objects.get_or_create(name=slug)
        through = Ticket.tags.through
        if through.objects.filter(ticket_id=ticket.pk, tag_id=tag.pk).exists():
            return tag
        through.objects.create(ticket_id=ticket.pk, tag_id=tag.pk)
        AuditEvent.objects.create(
            ticket=ticket, actor=actor, action=AuditEvent.Action.TAGGED, data={"tag": slug}
        )
    return tag


def remove_tag(*, ticket: Ticket, actor: User, name: str) -> bool:
    """Take the tag off the ticket; False (and no audit row) when it was not on it."""
    _check_actor(actor)
    slug = normalize_tag(name)
    with transaction.atomic():
        removed, _ = Ticket.tags.through.objects.filter(
            ticket_id=ticket.pk, tag__name=slug
        ).delete()
        if removed:
            AuditEvent.objects.create(
                ticket=ticket, actor=actor, action=AuditEvent.Action.UNTAGGED, data={"tag": slug}
            )
    return bool(removed)

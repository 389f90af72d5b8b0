"""Custom fields: which apply to a ticket, checking values by type, storing and filtering.

A manager defines the fields in the admin (``CustomField``); customers answer the ones
that apply to their product when they file, staff fill and change them on the ticket
page. Values are kept as canonical text (see ``normalize``) so that ``filter_by_field``
compares like with like whatever the kind."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from supportal.accounts.models import Product, User
from supportal.core.errors import InvalidInput, NotPermitted
from supportal.core.refcache import Reference

from .models import AuditEvent, CustomField, Ticket, TicketFieldValue

MAX_VALUE_LENGTH = 500

# Whether any field is active, kept a few seconds (core/refcache.py): most help desks define
# none, and then filing and the ticket page skip the fields' queries. Filing read them three
# times (the form, its answers, open_ticket's check): 28 % of its instructions with no field
# defined (bench/RESULTS.md, "Filing"). A field made active shows in other processes
# within SUPPORTAL_REFERENCE_CACHE_SECONDS; the fields themselves are always read fresh.
fields_in_use = Reference(
    "custom fields in use",
    lambda: CustomField.objects.filter(active=True).exists(),
    changed_by=[CustomField],
)


def fields_for(product: Product | int, *, staff: bool) -> list[CustomField]:
    """The active fields asked for tickets of this product (fields listing no product
    apply to all), in form order. Customers get no staff-only fields."""
    if not fields_in_use.get():
        return []
    product_id = product if isinstance(product, int) else product.pk
    qs = CustomField.objects.filter(active=True).filter(
        Q(products__isnull=True) | Q(products=product_id)
    )
    if not staff:
        qs = qs.filter(staff_only=False)
    return list(qs.distinct().order_by("position", "label", "id"))


def normalize(field: CustomField, raw: str) -> str:
    """The canonical text of a value, or ValueError with a sentence for the user.
    An empty value normalizes to ""."""
    value = (raw or "").strip()
    if not value:
        return ""
    if len(value) > MAX_VALUE_LENGTH:
        raise ValueError(
            _("Keep %(label)s under %(count)s characters.")
            % {"label": field.label, "count": MAX_VALUE_LENGTH}
        )
    if field.kind == CustomField.Kind.NUMBER:
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("%(label)s must be a number.") % {"label": field.label}) from None
        if not number.is_finite():
            raise ValueError(_("%(label)s must be a number.") % {"label": field.label})
        text = format(number.normalize(), "f")
        return "0" if text in {"-0", ""} else text
    if field.kind == CustomField.Kind.DATE:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(
                _("%(label)s must be a date (YYYY-MM-DD).") % {"label": field.label}
            ) from None
    if field.kind == CustomField.Kind.CHOICE:
        options = {option.casefold(): option for option in field.choice_list()}
        chosen = options.get(value.casefold())
        if chosen is None:
            raise ValueError(_("Choose one of the options for %(label)s.") % {"label": field.label})
        return chosen
    return value


def clean_values(
    fields: list[CustomField], raw: Mapping[str, str], *, enforce_required: bool
) -> dict[str, str]:
    """Check submitted values (by field key) against the fields that apply; return the
    canonical values by key. Unknown keys are refused. Raises InvalidInput keyed
    ``field_<key>`` (the form fields' names)."""
    by_key = {field.key: field for field in fields}
    errors: dict[str, str] = {}
    for key in raw:
        if key not in by_key:
            errors[f"field_{key}"] = _("There is no field %(key)r for this ticket.") % {"key": key}
    cleaned: dict[str, str] = {}
    for field in fields:
        if field.key not in raw:
            if enforce_required and field.required and not field.staff_only:
                errors[f"field_{field.key}"] = _("%(label)s is required.") % {"label": field.label}
            continue
        try:
            value = normalize(field, raw[field.key])
        except ValueError as exc:
            errors[f"field_{field.key}"] = str(exc)
            continue
        if not value and enforce_required and field.required and not field.staff_only:
            errors[f"field_{field.key}"] = _("%(label)s is required.") % {"label": field.label}
            continue
        cleaned[field.key] = value
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _store(ticket: Ticket, fields: list[CustomField], values: Mapping[str, str]) -> dict[str, Any]:
    """Write canonical values; "" deletes. Returns {key: [old, new]} for what changed."""
    by_key = {field.key: field for field in fields}
    stored = TicketFieldValue.objects.filter(ticket=ticket).select_related("field")
    current = {v.field.key: v for v in stored}
    changes: dict[str, list[str]] = {}
    for key, value in values.items():
        field = by_key[key]
        existing = current.get(key)
        old = existing.value if existing else ""
        if old == value:
            continue
        if not value:
            assert existing is not None
            existing.delete()
        elif existing is None:
            TicketFieldValue.objects.create(ticket=ticket, field=field, value=value)
        else:
            existing.value = value
            existing.save(update_fields=["value"])
        changes[key] = [old, value]
    return changes


def record_initial_values(*, ticket: Ticket, values: Mapping[str, str]) -> None:
    """Store the answers given when the ticket was filed (already cleaned by
    ``clean_values`` for the ticket's product). Call inside the filing's transaction."""
    fields = fields_for(ticket.product_id, staff=True)
    _store(ticket, fields, {k: v for k, v in values.items() if v})


def set_field_values(*, ticket: Ticket, actor: User, values: Mapping[str, str]) -> dict[str, Any]:
    """Staff change a ticket's custom fields (only those given; "" clears one). Audited
    with the old and new values. Returns the changes as {key: [old, new]}."""
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff change a ticket's fields.")
    fields = fields_for(ticket.product_id, staff=True)
    cleaned = clean_values(fields, values, enforce_required=False)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        changes = _store(ticket, fields, cleaned)
        if changes:
            ticket.save(update_fields=["updated_at"])
            AuditEvent.objects.create(
                ticket=ticket,
                actor=actor,
                action=AuditEvent.Action.FIELDS_CHANGED,
                data={"changes": changes},
            )
    return changes


def values_for(ticket: Ticket, *, staff: bool) -> list[tuple[CustomField, str]]:
    """The ticket's answered fields, in form order (customers see no staff-only ones)."""
    qs = TicketFieldValue.objects.filter(ticket=ticket).select_related("field")
    if not staff:
        qs = qs.filter(field__staff_only=False)
    return [(v.field, v.value) for v in qs.order_by("field__position", "field__label", "id")]


def filter_by_field(
    queryset: QuerySet[Ticket], key: str, value: str, *, staff: bool = False
) -> QuerySet[Ticket]:
    """Tickets whose field ``key`` holds ``value`` (search's ``field:key=value``); an
    empty value: tickets without one.

    The value is compared in canonical form: ``1.50`` finds ``1.5``, ``2026-1-5`` is not a
    date and finds nothing; text and choices match case-insensitively. An unknown key or
    an invalid value finds nothing, and so does a staff-only field unless ``staff`` (pass
    ``user.is_staff_or_auditor``): a customer learns nothing from searching one."""
    field = CustomField.objects.filter(key=key).first()
    if field is None or (field.staff_only and not staff):
        return queryset.none()
    try:
        canonical = normalize(field, value)
    except ValueError:
        return queryset.none()
    if not canonical:
        has_value = TicketFieldValue.objects.filter(ticket=OuterRef("pk"), field=field)
        return queryset.filter(~Exists(has_value))
    matches = TicketFieldValue.objects.filter(ticket=OuterRef("pk"), field=field)
    if field.kind in {CustomField.Kind.TEXT, CustomField.Kind.CHOICE}:
        matches = matches.filter(value__iexact=canonical)
    else:
        matches = matches.filter(value=canonical)
    return queryset.filter(Exists(matches))


def export_values(ticket_ids: list[int], fields: list[CustomField]) -> dict[int, dict[int, str]]:
    """{ticket_id: {field_id: value}} for a batch of tickets (reports' exports)."""
    found: dict[int, dict[int, str]] = {}
    rows = TicketFieldValue.objects.filter(
        ticket_id__in=ticket_ids, field_id__in=[f.pk for f in fields]
    ).values_list("ticket_id", "field_id", "value")
    for ticket_id, field_id, value in rows:
        found.setdefault(ticket_id, {})[field_id] = value
    return found

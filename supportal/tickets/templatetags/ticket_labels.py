"""Human labels for values stored in audit events."""

from __future__ import annotations

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from supportal.tickets.models import AuditEvent, Ticket

register = template.Library()
# Looked up once: a ticket page labels every audit event.
STATUS_LABELS = dict(Ticket.Status.choices)
ACTION_LABELS = dict(AuditEvent.Action.choices)
KIND_LABELS = dict(Ticket.Kind.choices)


@register.filter
def status_label(value: str | None) -> str:
    """'pending_customer' → 'Pending customer'; unknown values are shown as they are."""
    return str(STATUS_LABELS.get(value, value or ""))


@register.filter
def kind_label(value: str | None) -> str:
    return str(KIND_LABELS.get(value, value or ""))


@register.simple_tag
def status_badge(ticket: Ticket) -> SafeString:
    """The status as a coloured badge (a tag, not an include: lists show one per row)."""
    return format_html(
        '<span class="badge badge--{}">{}</span>', ticket.status, status_label(ticket.status)
    )


def audit_what(event: AuditEvent) -> str:
    """What happened, with the detail the event's data holds (never its secrets: the audit
    trail records none)."""
    data = event.data or {}
    what = str(ACTION_LABELS.get(event.action, event.action))
    if data.get("to") and event.action in {"status_changed", "auto_closed"}:
        what += f": {status_label(data.get('from'))} → {status_label(data['to'])}"
    if data.get("name"):
        what += f": {data['name']}"
    if data.get("follow_up_number"):
        what += f": {data['follow_up_number']}"
    return what


@register.simple_tag
def audit_item(event: AuditEvent) -> SafeString:
    """One line of the audit trail (a tag: a ticket page lists every event)."""
    when = timezone.localtime(event.created_at)
    who = event.actor.get_full_name() if event.actor else "System"
    return format_html(
        '<li class="audit__item"><time datetime="{}">{}</time> '
        '<span class="audit__what">{}</span> <span class="audit__who muted">{}</span></li>',
        dateformat.format(when, "c"),
        dateformat.format(when, "M j, H:i"),
        audit_what(event),
        who,
    )

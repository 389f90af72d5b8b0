"""Human labels for values stored in audit events."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from supportal.core import dates
from supportal.core.markdown import render_markdown
from supportal.tickets.models import Attachment, AuditEvent, Reply, Ticket

register = template.Library()
# Looked up once: a ticket page labels every audit event.
STATUS_LABELS = dict(Ticket.Status.choices)
ACTION_LABELS = dict(AuditEvent.Action.choices)
KIND_LABELS = dict(Ticket.Kind.choices)


@register.filter
def status_label(value: str | None) -> str:
    """'pending_customer' → 'Pending customer'; unknown values are shown as they are."""
    return str(STATUS_LABELS.get(value or "", value or ""))


@register.filter
def kind_label(value: str | None) -> str:
    return str(KIND_LABELS.get(value or "", value or ""))


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
    if data.get("tag"):
        what += f": {data['tag']}"
    if data.get("follow_up_number"):
        what += f": {data['follow_up_number']}"
    if data.get("ticket_number"):
        what += f": {data['ticket_number']}"
    if isinstance(data.get("changes"), dict) and data["changes"]:
        what += ": " + ", ".join(sorted(data["changes"]))
    return what


@register.simple_tag
def audit_items(events: Iterable[AuditEvent]) -> SafeString:
    """The audit trail's lines, built in one tag: a ticket page lists every event, and a
    template loop costs more per event than the line itself."""
    return mark_safe("".join(audit_item(event) for event in events))  # noqa: S308


def audit_item(event: AuditEvent) -> SafeString:
    """One line of the audit trail."""
    who = event.actor.get_full_name() if event.actor else _("System")
    return format_html(
        '<li class="audit__item"><time datetime="{}">{}</time> '
        '<span class="audit__what">{}</span> <span class="audit__who muted">{}</span></li>',
        dates.iso(event.created_at),
        dates.short_no_year(event.created_at),
        audit_what(event),
        who,
    )


# --- Rows of the ticket lists --------------------------------------------------------------
# Built here rather than in the templates' loops: a list page shows fifty rows, and each
# template variable costs far more to resolve than a format_html argument.


def _urgent_badge() -> SafeString:
    return format_html('<span class="badge badge--urgent">{}</span>', _("Urgent"))


def _unassigned() -> SafeString:
    return format_html('<span class="muted">{}</span>', _("Unassigned"))


def _column_labels() -> dict[str, str]:
    """The cells' data-label (the column's name where the table stacks on narrow screens)."""
    return {
        "l_select": _("Select"),
        "l_ticket": _("Ticket"),
        "l_subject": _("Subject"),
        "l_requester": _("Requester"),
        "l_organization": _("Organization"),
        "l_product": _("Product"),
        "l_status": _("Status"),
        "l_assignee": _("Assignee"),
        "l_waiting": _("Waiting"),
        "l_urgent": _("Urgent"),
        "l_received": _("Received"),
        "l_last_update": _("Last update"),
    }


def _row_open(ticket: Ticket) -> SafeString:
    return mark_safe('<tr class="is-urgent">' if ticket.urgent else "<tr>")  # noqa: S308


@register.simple_tag
def queue_row_start(ticket: Ticket, select_form: str = "") -> SafeString:
    """A queue row up to its last cell (the SLA clock, which the template adds from the
    sla app, then closes the row). With ``select_form``, a first cell holds a checkbox
    that belongs to that form (the queue's bulk actions, tickets/bulk.py)."""
    url = ticket.get_absolute_url()
    organization = ticket.organization
    region = organization.support_region
    labels = _column_labels()
    select = (
        format_html(
            '<td data-label="{}"><input type="checkbox" name="tickets" value="{}" '
            'form="{}" aria-label="{}"></td>',
            labels["l_select"],
            ticket.pk,
            select_form,
            _("Select %(number)s") % {"number": ticket.number},
        )
        if select_form
        else ""
    )
    return format_html(
        "{}{}"
        '<td data-label="{l_ticket}" class="nowrap"><a class="ticket-link" href="{}">{}</a>{}</td>'
        '<td data-label="{l_subject}" class="cell-subject"><a href="{}">{}</a>'
        ' <span class="cell-sub">{} · {}</span></td>'
        '<td data-label="{l_organization}">{}{}</td>'
        '<td data-label="{l_product}">{}</td>'
        '<td data-label="{l_status}">{}</td>'
        '<td data-label="{l_assignee}">{}</td>'
        '<td data-label="{l_waiting}" class="nowrap">'
        '<time datetime="{}" title="{}">{}</time></td>',
        _row_open(ticket),
        select,
        url,
        ticket.number,
        format_html(" {}", _urgent_badge()) if ticket.urgent else "",
        url,
        ticket.subject,
        kind_label(ticket.kind),
        ticket.requester.get_full_name(),
        organization.name,
        format_html(' <span class="cell-sub">{}</span>', region.name) if region else "",
        ticket.product.name,
        status_badge(ticket),
        ticket.assignee.get_full_name() if ticket.assignee else _unassigned(),
        dates.iso(ticket.received_at),
        _("Received %(when)s") % {"when": dates.short(ticket.received_at)},
        timesince(ticket.received_at),
        **labels,
    )


@register.simple_tag
def ticket_row(
    ticket: Ticket, show_requester: bool, show_organization: bool, select_form: str = ""
) -> SafeString:
    """One row of the ticket list (a customer's, an organization's or staff's). With
    ``select_form`` (a form's id) the row starts with a checkbox for that form's bulk
    action."""
    url = ticket.get_absolute_url()
    labels = _column_labels()
    return format_html(
        "{}{}"
        '<td data-label="{l_ticket}" class="nowrap"><a class="ticket-link" href="{}">{}</a></td>'
        '<td data-label="{l_subject}" class="cell-subject"><a href="{}">{}</a></td>'
        "{}{}"
        '<td data-label="{l_product}">{}</td>'
        '<td data-label="{l_status}">{}</td>'
        '<td data-label="{l_urgent}">{}</td>'
        '<td data-label="{l_received}" class="nowrap"><time datetime="{}">{}</time></td>'
        '<td data-label="{l_last_update}" class="nowrap">'
        '<time datetime="{}" title="{}">{}</time></td>'
        "</tr>",
        _row_open(ticket),
        format_html(
            '<td class="cell-select"><input type="checkbox" name="ticket_ids" value="{}" '
            'form="{}" aria-label="{}"></td>',
            ticket.pk,
            select_form,
            _("Select %(number)s") % {"number": ticket.number},
        )
        if select_form
        else "",
        url,
        ticket.number,
        url,
        ticket.subject,
        format_html(
            '<td data-label="{}">{}</td>', labels["l_requester"], ticket.requester.get_full_name()
        )
        if show_requester
        else "",
        format_html(
            '<td data-label="{}">{}</td>', labels["l_organization"], ticket.organization.name
        )
        if show_organization
        else "",
        ticket.product.name,
        status_badge(ticket),
        _urgent_badge() if ticket.urgent else mark_safe('<span class="muted">—</span>'),  # noqa: S308
        dates.iso(ticket.received_at),
        dates.short(ticket.received_at),
        dates.iso(ticket.updated_at),
        dates.short(ticket.updated_at),
        _("%(time)s ago") % {"time": timesince(ticket.updated_at)},
        **labels,
    )


# --- The conversation on a ticket page ------------------------------------------------------


@register.simple_tag
def file_list(files: Iterable[Attachment]) -> SafeString:
    """Downloads with their sizes: the ticket's attachments, or a reply's."""
    if not files:
        return mark_safe("")  # noqa: S308
    items = format_html_join(
        "",
        '<li><a href="{}" download>{}</a> <span class="muted">{}</span></li>',
        ((f.get_absolute_url(), f.original_name, filesizeformat(f.size)) for f in files),
    )
    return format_html('<ul class="files">{}</ul>', items)


def _no_replies() -> SafeString:
    return format_html('<p class="muted conversation__empty">{}</p>', _("No replies yet."))


@register.simple_tag
def reply_articles(replies: Iterable[Reply]) -> SafeString:
    """The conversation, built in one tag: a ticket page may show hundreds of replies."""
    html = "".join(reply_article(reply) for reply in replies)
    return mark_safe(html) if html else _no_replies()  # noqa: S308


def reply_article(reply: Reply) -> SafeString:
    """One reply of the conversation."""
    author = reply.author
    name = author.get_full_name()
    staff = author.is_support_staff
    if reply.internal:
        kind = " reply--internal"
    elif staff:
        kind = " reply--staff"
    else:
        kind = ""
    return format_html(
        '<article class="reply{}" id="reply-{}"><header class="reply__head">'
        '<span class="avatar" aria-hidden="true">{}</span> <strong>{}</strong>{}{}'
        ' <time class="reply__time" datetime="{}">{}</time></header>'
        '<div class="prose">{}</div>{}</article>',
        kind,
        reply.pk,
        name[:1].upper(),
        name,
        format_html(' <span class="tag">{}</span>', _("Support")) if staff else "",
        format_html(' <span class="badge badge--internal">{}</span>', _("Internal note"))
        if reply.internal
        else "",
        dates.iso(reply.created_at),
        dates.short(reply.created_at),
        render_markdown(reply.body),
        file_list(reply.attachments.all()),
    )

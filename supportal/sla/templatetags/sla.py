"""SLA pieces for pages of other apps: ``{% load sla %}`` then the tags below.

Templates may use the SLA app without the tickets app importing it."""

from datetime import datetime
from typing import Any

from django import template
from django.template import Context
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from supportal.accounts.models import Organization
from supportal.core.dates import format_date
from supportal.sla import paging, services
from supportal.sla.models import Page
from supportal.tickets.models import Ticket

register = template.Library()


def _local(value: datetime | None, style: str) -> str:
    return format_date(timezone.localtime(value), style)


def clock_html(clock: services.ClockView, ticket: Ticket, compact: bool) -> SafeString:
    """The clock as a coloured span (built here, not by an include: the queue shows one
    per row)."""
    if clock.state == "met":
        text = _("Answered in time")
    elif clock.state == "breached" and ticket.first_responded_at:
        text = _("Answered late")
    elif clock.state == "breached":
        text = _("Overdue")
        if clock.due_at and not compact:
            text = _("Overdue since %(due)s") % {"due": _local(clock.due_at, "day_time")}
    elif clock.state == "paused":
        text = _("Paused (pending customer)")
    elif clock.state == "none":
        text = _("No target")
    else:
        text = _("%(remaining)s left") % {"remaining": clock.remaining_label}
        if not compact:
            text = _("%(remaining)s left · due %(due)s") % {
                "remaining": clock.remaining_label,
                "due": _local(clock.due_at, "weekday_day_time_zone"),
            }
    title = (
        format_html(
            ' title="{}"', _("Due %(due)s") % {"due": _local(clock.due_at, "weekday_day_time_zone")}
        )
        if clock.due_at
        else ""
    )
    return format_html('<span class="sla sla--{}"{}>{}</span>', clock.state, title, text)


@register.simple_tag
def sla_clock(ticket: Ticket, compact: bool = False) -> SafeString:
    """The first-response clock, colour-coded: ok, warning, breached, paused or met."""
    return clock_html(services.clock_view(ticket=ticket, now=timezone.now()), ticket, compact)


@register.inclusion_tag("sla/_expectation.html")
def sla_expectation(organization: Organization | None) -> dict[str, Any]:
    """What a customer filing now should expect, in their region's time."""
    if organization is None:
        return {"expectation": None}
    return {"expectation": services.expectation_for(organization=organization)}


@register.inclusion_tag("sla/_page_panel.html", takes_context=True)
def oncall_page(context: Context, ticket: Ticket) -> dict[str, Any]:
    """The on-call page of an urgent ticket, with the acknowledge button while it pages."""
    page = Page.objects.select_related("current_user", "acknowledged_by").filter(ticket=ticket)
    return {"page": page.first(), "request": context.get("request")}


@register.inclusion_tag("sla/_oncall_warning.html")
def oncall_coverage_warning() -> dict[str, Any]:
    """Warns staff when no on-call rotation can page after hours (the lead is paged instead)."""
    return {"uncovered": paging.paging_uncovered()}


@register.inclusion_tag("sla/_engineering_notice.html")
def engineering_notice(ticket: Ticket) -> dict[str, Any]:
    """For everyone who reads the ticket: it waits on the programming staff, and until when."""
    return {"expectation": services.engineering_expectation(ticket=ticket)}

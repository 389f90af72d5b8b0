"""SLA pieces for pages of other apps: ``{% load sla %}`` then the tags below.

Templates may use the SLA app without the tickets app importing it."""

from django import template
from django.utils import timezone

from supportal.sla import services
from supportal.sla.models import Page

register = template.Library()


@register.inclusion_tag("sla/_clock.html")
def sla_clock(ticket, compact=False):
    """The first-response clock, colour-coded: ok, warning, breached, paused or met."""
    return {"clock": services.clock_view(ticket=ticket, now=timezone.now()), "compact": compact,
            "ticket": ticket}  # fmt: skip


@register.inclusion_tag("sla/_expectation.html")
def sla_expectation(organization):
    """What a customer filing now should expect, in their region's time."""
    if organization is None:
        return {"expectation": None}
    return {"expectation": services.expectation_for(organization=organization)}


@register.inclusion_tag("sla/_page_panel.html", takes_context=True)
def oncall_page(context, ticket):
    """The on-call page of an urgent ticket, with the acknowledge button while it pages."""
    page = Page.objects.select_related("current_user", "acknowledged_by").filter(ticket=ticket)
    return {"page": page.first(), "request": context.get("request")}

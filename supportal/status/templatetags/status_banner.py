"""``{% load status_banner %}{% status_banner %}``: the portal header's incident banner."""

from typing import Any

from django import template

from supportal.status.queries import banner_incidents

register = template.Library()


@register.inclusion_tag("status/_banner.html")
def status_banner() -> dict[str, Any]:
    """Open incidents, shown on every page while any is open (one indexed query)."""
    return {"incidents": banner_incidents()}

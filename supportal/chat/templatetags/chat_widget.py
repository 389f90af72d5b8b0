"""``{% chat_widget %}``: the portal's live-chat invitation for customers whose plan has chat."""

from __future__ import annotations

from typing import Any

from django import template

from ..eligibility import chat_products_for, check_products, plan_allows_chat

register = template.Library()


@register.inclusion_tag("chat/_widget.html", takes_context=True)
def chat_widget(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not plan_allows_chat(user):
        return {"show": False}
    checks = check_products(user=user, products=chat_products_for(user))
    if not checks:
        return {"show": False}
    return {
        "show": True,
        "open": any(check.eligible for check in checks),
        "reason": next((check.reason for check in checks if check.reason), ""),
    }

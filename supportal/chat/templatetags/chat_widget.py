"""``{% chat_widget %}``: the portal's live-chat invitation for customers whose plan has chat."""

from __future__ import annotations

from django import template

from ..eligibility import chat_products_for, check_eligibility, plan_allows_chat

register = template.Library()


@register.inclusion_tag("chat/_widget.html", takes_context=True)
def chat_widget(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not plan_allows_chat(user):
        return {"show": False}
    checks = [(p, check_eligibility(user=user, product=p)) for p in chat_products_for(user)]
    if not checks:
        return {"show": False}
    return {
        "show": True,
        "open": any(check.eligible for _, check in checks),
        "reason": next((c.reason for _, c in checks if c.reason), ""),
    }

"""Who may chat now: a plan with chat included, the product, training for it, business
hours and an available agent."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import Product, User
from supportal.accounts.queries import all_plans, plans_with_chat
from supportal.accounts.services import has_attended_training
from supportal.sla.business_time import is_open
from supportal.sla.calendars import calendar_for_organization

from . import presence


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    plan_eligible: bool
    product_eligible: bool
    open_now: bool
    agent_available: bool
    reason: str | None
    # Attended a training session for the product (required when the setting is "block").
    training_attended: bool = True

    def as_dict(self) -> dict[str, bool | str | None]:
        return asdict(self)


def plan_allows_chat(user: User) -> bool:
    """The organization's plan has "chat included" ticked (the policy's "HV and above": the
    reference plans HV and Enterprise have it; managers change it per plan in the admin)."""
    if not (user.is_authenticated and user.is_customer and user.organization):
        return False
    return user.organization.plan.chat_included


def plans_offering_chat() -> str:
    """The plans with chat, in words: "the HV plan and above" when they are the top tiers."""
    chat_plans = plans_with_chat()
    if not chat_plans:
        return _("no plan at present")
    lowest = chat_plans[0]
    if len(chat_plans) == 1:
        return _("the %(plan)s plan") % {"plan": lowest.name}
    if [p.pk for p in chat_plans] == [p.pk for p in all_plans() if p.rank >= lowest.rank]:
        return _("the %(plan)s plan and above") % {"plan": lowest.name}
    names = ", ".join(p.name for p in chat_plans[:-1])
    return _("the %(plans)s and %(last)s plans") % {"plans": names, "last": chat_plans[-1].name}


def product_allows_chat(user: User, product: Product) -> bool:
    if not (product.active and product.chat_available):
        return False
    organization = user.organization if user.is_authenticated else None
    if organization is None:
        return False
    subscribed = organization.product_list()
    return not subscribed or any(p.pk == product.pk for p in subscribed)


def check_eligibility(*, user: User, product: Product, now: datetime | None = None) -> Eligibility:
    """Every condition is evaluated, so the answer says all that is missing; ``reason``
    names the first one in the order a customer can act on."""
    return check_products(user=user, products=[product], now=now)[0]


def check_products(
    *, user: User, products: list[Product], now: datetime | None = None
) -> list[Eligibility]:
    """:func:`check_eligibility` for several products, reading what they share once."""
    now = now or timezone.now()
    plan_ok = plan_allows_chat(user)
    training_blocks = settings.SUPPORTAL_TRAINING_REQUIREMENT == "block"
    agent_ok = presence.any_agent_available()
    organization = user.organization if user.is_authenticated and user.organization_id else None
    open_now = organization is not None and is_open(now, calendar_for_organization(organization))
    answers = []
    for product in products:
        product_ok = product_allows_chat(user, product)
        trained = has_attended_training(user, product) if user.is_authenticated else False
        training_ok = trained or not training_blocks
        known = plan_ok or product_ok  # the hours of an organization we know something of
        reason: str | None = None
        if not (user.is_authenticated and user.is_customer):
            reason = _("Live chat is for customers of a subscribing organization.")
        elif not plan_ok:
            reason = _("Live chat comes with %(plans)s.") % {"plans": plans_offering_chat()}
        elif not product_ok:
            reason = _("Live chat is not offered for %(product)s.") % {"product": product.name}
        elif not training_ok:
            reason = _(
                "Support for %(product)s requires training attendance: please attend "
                "a training session for %(product)s first."
            ) % {"product": product.name}
        elif not open_now:
            reason = _("Live chat is open during support hours; it is closed now.")
        elif not agent_ok:
            reason = _("No agent is free to chat right now.")
        eligible = plan_ok and product_ok and training_ok and open_now and agent_ok
        answers.append(
            Eligibility(
                eligible=eligible,
                plan_eligible=plan_ok,
                product_eligible=product_ok,
                open_now=open_now and known,
                agent_available=agent_ok,
                reason=None if eligible else reason,
                training_attended=trained,
            )
        )
    return answers


def chat_products_for(user: User) -> list[Product]:
    """The products this customer could chat about (ignoring hours and agents)."""
    if not (user.is_authenticated and user.is_customer and user.organization):
        return []
    subscribed = user.organization.product_list()
    candidates = subscribed or Product.objects.filter(active=True, chat_available=True)
    return [p for p in candidates if p.active and p.chat_available]

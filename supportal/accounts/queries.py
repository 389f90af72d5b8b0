"""Reads of accounts data that pages need: who can be assigned work, upcoming trainings."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from supportal.core.refcache import Reference

from .models import Organization, Plan, Product, SupportRegion, TrainingSession, User

Choices = tuple[tuple[str, str], ...]


def active_support_staff() -> QuerySet[User]:
    """Everyone a ticket can be assigned to, by name."""
    staff = User.objects.filter(is_active=True, role__in=sorted(User.STAFF_ROLES))
    return staff.order_by("name", "email")


def support_regions() -> QuerySet[SupportRegion]:
    return SupportRegion.objects.order_by("name")


# Choices of the selects on the queue and ticket pages, kept per process (core.refcache).
_staff_choices: Reference[Choices] = Reference(
    "support staff",
    lambda: tuple((str(user.pk), str(user)) for user in active_support_staff()),
    changed_by=[User],
)
_product_choices: Reference[Choices] = Reference(
    "products",
    lambda: tuple((p.slug, p.name) for p in Product.objects.order_by("name")),
    changed_by=[Product],
)
_region_choices: Reference[Choices] = Reference(
    "regions",
    lambda: tuple((r.code, r.name) for r in support_regions()),
    changed_by=[SupportRegion],
)
_plans: Reference[dict[str, Plan]] = Reference(
    "plans", lambda: {plan.code: plan for plan in Plan.objects.all()}, changed_by=[Plan]
)


def support_staff_choices() -> Choices:
    """(id, name) of everyone a ticket can be assigned to, by name."""
    return _staff_choices.get()


def product_choices() -> Choices:
    """(slug, name) of every product, by name."""
    return _product_choices.get()


def region_choices() -> Choices:
    """(code, name) of every support region, by name."""
    return _region_choices.get()


def plan_by_code(code: str) -> Plan | None:
    """The plan with this code (plans are a handful of rows, read on every portal page that
    offers chat)."""
    return _plans.get().get(code)


def plans_with_chat() -> list[Plan]:
    """The plans whose "chat included" box is ticked, lowest rank first."""
    return sorted((plan for plan in _plans.get().values() if plan.chat_included), key=_rank)


def all_plans() -> list[Plan]:
    return sorted(_plans.get().values(), key=_rank)


def _rank(plan: Plan) -> int:
    return plan.rank


def upcoming_training_sessions(
    organization: Organization | None,
    *,
    limit: int = 5,
    products: list[Product] | None = None,
) -> list[TrainingSession]:
    """Sessions still to come: for ``products`` when given, else for the organization's
    products when it has any."""
    qs = TrainingSession.objects.select_related("product").filter(starts_at__gte=timezone.now())
    if products is not None:
        qs = qs.filter(product__in=products)
    elif organization is not None and organization.products.exists():
        qs = qs.filter(product__in=organization.products.all())
    return list(qs.order_by("starts_at")[:limit])

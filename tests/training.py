"""Training attendance for tests about something other than the training requirement:
untrained customers may not file support tickets by default (tests/tickets/
test_training_requirement.py holds that rule), so a test that has carol file one trains her
first, as a customer would."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from supportal.accounts.models import Product, TrainingAttendance, TrainingSession, User


def train(user: User, *products: str) -> None:
    """Record that ``user`` attended a past training session for each product (slugs)."""
    for slug in products:
        product = Product.objects.get(slug=slug)
        session, _ = TrainingSession.objects.get_or_create(
            title=f"{product.name} essentials (tests)",
            product=product,
            defaults={"starts_at": timezone.now() - timedelta(days=30)},
        )
        TrainingAttendance.objects.get_or_create(user=user, session=session)

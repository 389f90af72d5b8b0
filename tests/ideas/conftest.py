from __future__ import annotations

import pytest

from supportal.ideas import services
from supportal.ideas.models import Idea
from supportal.tickets.models import Ticket
from tests.factories import make_ticket
from tests.training import train


@pytest.fixture
def make_idea(demo):
    def _make(title: str = "Bulk export", **fields) -> Idea:
        return services.create_idea(actor=demo.agent, title=title, **fields)

    return _make


@pytest.fixture
def file_request(demo):
    """``file_request(user, subject=..., kind=...)``: a ticket filed through the service."""

    def _file(user, subject: str = "Please add bulk export", kind=Ticket.Kind.FEATURE_REQUEST):
        product = "pressero" if user.organization == demo.acme else "pjm"
        train(user, product)  # support requires training for the product (not the point here)
        return make_ticket(
            user, product=product, kind=kind, subject=subject, description="We would love this."
        )

    return _file

"""Reference data kept per process: fresh after a change made here, after the expiry for a
change made elsewhere, and never kept when the setting is 0."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.accounts.models import Product, User
from supportal.accounts.queries import product_choices, support_staff_choices
from supportal.core import refcache
from supportal.core.errors import InvalidInput
from supportal.status.models import Incident
from supportal.status.queries import banner_incidents
from supportal.tickets import services
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(refcache.time, "monotonic", ticking)
    return ticking


def test_a_save_in_this_process_shows_at_once(demo, settings):
    settings.SUPPORTAL_REFERENCE_CACHE_SECONDS = 3600
    before = product_choices()
    Product.objects.create(slug="storefront", name="Storefront Designer")
    assert ("storefront", "Storefront Designer") in product_choices()
    assert ("storefront", "Storefront Designer") not in before


def test_a_change_made_elsewhere_shows_after_the_expiry(demo, settings, clock):
    settings.SUPPORTAL_REFERENCE_CACHE_SECONDS = 10
    staff = dict(support_staff_choices())
    # An update that sends no signal stands for another process's write.
    User.objects.filter(pk=demo.agent.pk).update(name="Renamed Agent")
    assert dict(support_staff_choices())[str(demo.agent.pk)] == staff[str(demo.agent.pk)]
    clock.now += 11
    assert dict(support_staff_choices())[str(demo.agent.pk)] == "Renamed Agent"


def test_zero_seconds_reads_every_time(demo, settings):
    settings.SUPPORTAL_REFERENCE_CACHE_SECONDS = 0
    product_choices()
    Product.objects.filter(slug="pressero").update(name="Pressero 2")
    assert ("pressero", "Pressero 2") in product_choices()


def test_the_incident_banner_shows_a_new_incident_on_the_next_page(demo, client, settings):
    settings.SUPPORTAL_REFERENCE_CACHE_SECONDS = 3600
    page = reverse("tickets:list")
    client.force_login(demo.bob)
    assert "status-banner" not in client.get(page).content.decode()
    Incident.objects.create(
        kind=Incident.Kind.INCIDENT, name="Checkout is slow", impact="major", status="investigating"
    )
    assert [i.name for i in banner_incidents()] == ["Checkout is slow"]
    assert "Checkout is slow" in client.get(page).content.decode()


def test_a_deactivated_agent_cannot_be_assigned_even_if_a_list_still_shows_them(
    demo, settings, clock
):
    """The lists are for display; assigning checks the database."""
    settings.SUPPORTAL_REFERENCE_CACHE_SECONDS = 3600
    ticket = make_ticket(demo.bob)
    assert str(demo.agent.pk) in dict(support_staff_choices())
    User.objects.filter(pk=demo.agent.pk).update(is_active=False)  # as another process would
    assert str(demo.agent.pk) in dict(support_staff_choices())  # still listed here
    with pytest.raises(InvalidInput):
        services.assign_ticket(ticket=ticket, actor=demo.manager, assignee_id=demo.agent.pk)

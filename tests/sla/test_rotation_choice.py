"""Which on-call rotation pages for an urgent ticket is a rule, not the oldest row."""

from datetime import date

import pytest

from supportal.accounts.models import Product, SupportRegion
from supportal.sla import paging
from supportal.sla.models import OnCallMember, OnCallRotation
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def make_rotation(demo, name, **scope):
    rotation = OnCallRotation.objects.create(name=name, starts_on=date(2026, 1, 5), **scope)
    OnCallMember.objects.create(rotation=rotation, user=demo.agent, position=0)
    return rotation


@pytest.fixture
def ticket(demo):
    """An urgent Pressero ticket of Acme Print, supported from the USA."""
    return Ticket(
        organization=demo.acme,
        requester=demo.bob,
        product=Product.objects.get(slug="pressero"),
        subject="Checkout down",
        urgent=True,
    )


@pytest.fixture
def usa():
    return SupportRegion.objects.get(code="usa")


def test_the_lowest_priority_number_pages_whichever_row_is_older(demo, ticket):
    OnCallRotation.objects.update(active=False)  # the demo's own rotation
    make_rotation(demo, "A backup", priority=50)
    preferred = make_rotation(demo, "Z primary", priority=5)
    assert paging.rotation_for(ticket) == preferred


def test_a_rotation_for_the_tickets_region_comes_before_one_for_all(demo, ticket, usa):
    OnCallRotation.objects.update(active=False)
    make_rotation(demo, "A everyone", priority=10)
    chicago = make_rotation(demo, "Z Chicago desk", priority=10, region=usa)
    assert paging.rotation_for(ticket) == chicago


def test_a_rotation_for_the_product_comes_before_one_for_the_region(demo, ticket, usa):
    OnCallRotation.objects.update(active=False)
    make_rotation(demo, "A Chicago desk", priority=10, region=usa)
    pressero = make_rotation(
        demo, "Z Pressero", priority=10, product=Product.objects.get(slug="pressero")
    )
    both = make_rotation(demo, "Z Pressero USA", priority=10, region=usa, product=pressero.product)
    assert paging.rotation_for(ticket) == both
    both.delete()
    assert paging.rotation_for(ticket) == pressero


def test_priority_outranks_scope(demo, ticket, usa):
    OnCallRotation.objects.update(active=False)
    make_rotation(demo, "Chicago desk", priority=20, region=usa)
    everyone = make_rotation(demo, "Everyone", priority=1)
    assert paging.rotation_for(ticket) == everyone


def test_rotations_for_another_region_or_product_or_inactive_never_page(demo, ticket):
    OnCallRotation.objects.update(active=False)
    make_rotation(demo, "Spain desk", priority=1, region=SupportRegion.objects.get(code="spain"))
    make_rotation(demo, "PJM", priority=1, product=Product.objects.get(slug="pjm"))
    make_rotation(demo, "Retired", priority=1, active=False)
    assert paging.rotation_for(ticket) is None
    fallback = make_rotation(demo, "Everyone", priority=100)
    assert paging.rotation_for(ticket) == fallback


def test_the_demo_rotation_pages_when_it_is_the_only_one(demo, ticket):
    assert paging.rotation_for(ticket).name == "After-hours on-call"


def test_the_admin_refuses_two_active_rotations_with_one_scope_and_priority(client, demo):
    """Equal rank would leave the choice to row order, so the admin says which to change."""
    client.force_login(demo.manager)
    form = {
        "name": "Second catch-all", "active": "on", "priority": "100", "region": "",
        "product": "", "timezone": "America/Chicago", "starts_on": "2026-01-05",
        "handover_time": "09:00", "shift_days": "7",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
        "overrides-TOTAL_FORMS": "0", "overrides-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post("/admin/sla/oncallrotation/add/", form)
    assert response.status_code == 200
    assert "Another active rotation (After-hours on-call)" in response.content.decode()
    assert not OnCallRotation.objects.filter(name="Second catch-all").exists()
    form["priority"] = "200"
    response = client.post("/admin/sla/oncallrotation/add/", form)
    assert response.status_code == 302
    assert OnCallRotation.objects.get(name="Second catch-all").priority == 200


def test_the_admin_lists_rotations_in_the_order_they_page(client, demo, usa):
    make_rotation(demo, "Chicago desk", priority=10, region=usa)
    client.force_login(demo.manager)
    page = client.get("/admin/sla/oncallrotation/").content.decode()
    assert page.index("Chicago desk") < page.index("After-hours on-call")

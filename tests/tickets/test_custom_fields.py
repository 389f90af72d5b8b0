"""Custom fields: per product, checked by type, stored canonically, filtered, audited."""

from __future__ import annotations

import pytest

from supportal.accounts.models import Product
from supportal.core.errors import InvalidInput, NotPermitted
from supportal.tickets import custom_fields, services
from supportal.tickets.models import AuditEvent, CustomField, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(demo):
    """Pressero asks for the order volume (a number) and the storefront (a choice, required);
    every product asks for the go-live date; staff note a CRM reference customers never see."""
    pressero = Product.objects.get(slug="pressero")
    volume = CustomField.objects.create(key="orders", label="Orders per day", kind="number")
    volume.products.add(pressero)
    storefront = CustomField.objects.create(
        key="storefront",
        label="Storefront",
        kind="choice",
        choices="B2B\nB2C\n",
        required=True,
        position=1,
    )
    storefront.products.add(pressero)
    go_live = CustomField.objects.create(key="go_live", label="Go-live date", kind="date")
    crm = CustomField.objects.create(key="crm", label="CRM reference", staff_only=True)
    return {"orders": volume, "storefront": storefront, "go_live": go_live, "crm": crm}


def test_fields_apply_per_product_and_staff_only_fields_are_hidden_from_customers(fields):
    pressero = Product.objects.get(slug="pressero")
    tflow = Product.objects.get(slug="tflow")
    # In form order: position, then label.
    assert [f.key for f in custom_fields.fields_for(pressero, staff=False)] == [
        "go_live",
        "orders",
        "storefront",
    ]
    assert [f.key for f in custom_fields.fields_for(tflow, staff=False)] == ["go_live"]
    assert "crm" in [f.key for f in custom_fields.fields_for(tflow, staff=True)]


@pytest.mark.parametrize(
    ("key", "raw", "stored"),
    [
        ("orders", " 1,250.50 ", "1250.5"),
        ("orders", "1e3", "1000"),
        ("go_live", "2027-01-05", "2027-01-05"),
        ("storefront", "b2c", "B2C"),
    ],
)
def test_values_are_stored_in_canonical_form(demo, fields, key, raw, stored):
    ticket = make_ticket(demo.bob, custom_fields={"storefront": "B2B", key: raw})
    assert ticket.field_values.get(field__key=key).value == stored


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("orders", "many", "Orders per day must be a number."),
        ("go_live", "next week", "Go-live date must be a date (YYYY-MM-DD)."),
        ("storefront", "Kiosk", "Choose one of the options for Storefront."),
        ("crm", "X-1", "There is no field 'crm' for this ticket."),
        ("nope", "1", "There is no field 'nope' for this ticket."),
    ],
)
def test_invalid_values_are_refused_by_field(demo, fields, key, raw, message):
    answers = {"storefront": "B2B", key: raw}
    with pytest.raises(InvalidInput) as refused:
        make_ticket(demo.bob, custom_fields=answers)
    assert refused.value.errors == {f"field_{key}": message}
    assert not Ticket.objects.exists()


def test_required_field_is_enforced_on_the_portal_but_not_on_mail(demo, fields):
    with pytest.raises(InvalidInput) as refused:
        make_ticket(demo.bob)
    assert refused.value.errors == {"field_storefront": "Storefront is required."}
    by_mail = services.open_ticket(
        requester=demo.bob,
        draft=services.TicketDraft(
            product="pressero", kind="question", subject="By mail", description="Hi"
        ),
        channel=Ticket.Channel.EMAIL,
    )
    assert not by_mail.field_values.exists()


def test_staff_change_fields_and_each_change_is_audited(demo, fields):
    ticket = make_ticket(demo.bob, custom_fields={"storefront": "B2B", "orders": "40"})
    changes = custom_fields.set_field_values(
        ticket=ticket, actor=demo.agent, values={"orders": "45", "crm": "CRM-7", "go_live": ""}
    )
    assert changes == {"orders": ["40", "45"], "crm": ["", "CRM-7"]}
    event = ticket.audit_events.get(action=AuditEvent.Action.FIELDS_CHANGED)
    assert event.actor == demo.agent and event.data["changes"] == changes
    custom_fields.set_field_values(ticket=ticket, actor=demo.agent, values={"orders": ""})
    assert not ticket.field_values.filter(field__key="orders").exists()
    with pytest.raises(NotPermitted):
        custom_fields.set_field_values(ticket=ticket, actor=demo.bob, values={"orders": "1"})


def test_customers_do_not_see_staff_only_values(demo, fields):
    ticket = make_ticket(demo.bob, custom_fields={"storefront": "B2B"})
    custom_fields.set_field_values(ticket=ticket, actor=demo.agent, values={"crm": "CRM-7"})
    assert [f.key for f, _ in custom_fields.values_for(ticket, staff=True)] == [
        "crm",
        "storefront",
    ]
    assert [f.key for f, _ in custom_fields.values_for(ticket, staff=False)] == ["storefront"]


def test_filter_by_field_compares_canonical_values(demo, fields):
    b2b = make_ticket(demo.bob, custom_fields={"storefront": "B2B", "orders": "1.50"})
    b2c = make_ticket(demo.bob, custom_fields={"storefront": "B2C", "go_live": "2027-01-05"})
    everything = Ticket.objects.all()

    def found(key: str, value: str) -> set[int]:
        matching = custom_fields.filter_by_field(everything, key, value)
        return set(matching.values_list("pk", flat=True))

    assert found("storefront", "b2b") == {b2b.pk}
    assert found("orders", "1.5") == {b2b.pk}
    assert found("go_live", "2027-01-05") == {b2c.pk}
    assert found("go_live", "") == {b2b.pk}  # no value
    assert found("orders", "lots") == set()
    assert found("unknown", "x") == set()


def test_filter_by_staff_only_field_finds_nothing_for_customers(demo, fields):
    ticket = make_ticket(demo.bob, custom_fields={"storefront": "B2B"})
    custom_fields.set_field_values(ticket=ticket, actor=demo.agent, values={"crm": "CRM-7"})
    everything = Ticket.objects.all()
    assert list(custom_fields.filter_by_field(everything, "crm", "crm-7", staff=True)) == [ticket]
    assert not custom_fields.filter_by_field(everything, "crm", "CRM-7").exists()

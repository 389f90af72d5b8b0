"""The workspace endpoints: custom fields, merge, split, links and macros."""

from __future__ import annotations

import pytest

from supportal.accounts.models import Product
from supportal.tickets import macros, merge, services
from supportal.tickets.models import CustomField, Ticket
from tests.factories import make_ticket

from .client import error_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(demo):
    orders = CustomField.objects.create(key="orders", label="Orders per day", kind="number")
    orders.products.add(Product.objects.get(slug="pressero"))
    CustomField.objects.create(key="crm", label="CRM reference", staff_only=True)
    return orders


def test_customer_files_with_custom_fields_and_reads_them_back(api, demo, fields):
    response = api.post(
        "/tickets",
        {
            "product": "pressero",
            "kind": "question",
            "subject": "Volume",
            "description": "How many orders can we take?",
            "custom_fields": {"orders": "1,200"},
        },
        user=demo.bob,
    )
    assert response.status_code == 201, response.content
    ticket_id = response.json()["id"]
    assert "custom_fields" not in response.json()  # the ticket object stays as contracted
    body = api.get(f"/tickets/{ticket_id}/fields", user=demo.bob).json()
    assert body == {
        "ticket_id": ticket_id,
        "items": [{"key": "orders", "label": "Orders per day", "kind": "number", "value": "1200"}],
    }


def test_invalid_custom_field_is_a_422_naming_it(api, demo, fields):
    response = api.post(
        "/tickets",
        {
            "product": "pressero",
            "kind": "question",
            "subject": "Volume",
            "description": "?",
            "custom_fields": {"orders": "many"},
        },
        user=demo.bob,
    )
    assert error_fields(response) == {"field_orders"}


def test_field_definitions_hide_staff_only_fields_from_customers(api, demo, fields):
    customer = api.get("/fields", user=demo.bob, product="pressero").json()["items"]
    assert [f["key"] for f in customer] == ["orders"]
    assert customer[0]["products"] == ["pressero"]
    staff = api.get("/fields", user=demo.agent).json()["items"]
    assert {f["key"] for f in staff} == {"orders", "crm"}


def test_staff_set_fields_customers_may_not_and_other_orgs_get_404(api, demo, fields):
    ticket = make_ticket(demo.bob)
    path = f"/tickets/{ticket.pk}/fields"
    changed = api.post(path, {"values": {"crm": "CRM-1", "orders": "5"}}, user=demo.agent)
    assert changed.status_code == 200
    assert {i["key"]: i["value"] for i in changed.json()["items"]} == {
        "crm": "CRM-1",
        "orders": "5",
    }
    assert [i["key"] for i in api.get(path, user=demo.bob).json()["items"]] == ["orders"]
    assert api.post(path, {"values": {"orders": "6"}}, user=demo.alice).status_code == 403
    assert api.get(path, user=demo.carol).status_code == 404
    assert api.post(path, {"values": {"orders": "6"}}, user=demo.carol).status_code == 404
    assert error_fields(api.post(path, {"values": {"orders": "x"}}, user=demo.agent)) == {
        "field_orders"
    }


def test_merge_answers_the_kept_ticket_and_links_show_both_sides(api, demo):
    kept = make_ticket(demo.bob, subject="Kept")
    duplicate = make_ticket(demo.bob, subject="Duplicate")
    response = api.post(f"/tickets/{duplicate.pk}/merge", {"into": kept.pk}, user=demo.agent)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == kept.pk
    links = api.get(f"/tickets/{duplicate.pk}/links", user=demo.bob).json()
    assert links["merged_into"] == kept.pk
    assert api.get(f"/tickets/{kept.pk}/links", user=demo.bob).json()["merged_from"] == [
        duplicate.pk
    ]
    assert api.get(f"/tickets/{duplicate.pk}", user=demo.bob).json()["status"] == "closed"


def test_merge_refusals_over_the_api(api, demo):
    acme = make_ticket(demo.bob)
    other = make_ticket(demo.bob)
    bright = make_ticket(demo.carol, product="tflow", kind="training_request")
    cross = api.post(f"/tickets/{bright.pk}/merge", {"into": acme.pk}, user=demo.agent)
    assert cross.status_code == 409 and cross.json()["code"] == "different_organization"
    assert (
        api.post(f"/tickets/{other.pk}/merge", {"into": acme.pk}, user=demo.bob).status_code == 403
    )
    # A customer of another organization: 404 on either side, never 403.
    assert (
        api.post(f"/tickets/{other.pk}/merge", {"into": acme.pk}, user=demo.carol).status_code
        == 404
    )
    assert (
        api.post(f"/tickets/{bright.pk}/merge", {"into": acme.pk}, user=demo.carol).status_code
        == 404
    )
    assert api.get(f"/tickets/{acme.pk}/links", user=demo.carol).status_code == 404
    missing = api.post(f"/tickets/{other.pk}/merge", {"into": 999999}, user=demo.agent)
    assert missing.status_code == 404
    assert Ticket.objects.get(pk=other.pk).merged_into is None


def test_split_over_the_api(api, demo):
    ticket = make_ticket(demo.bob, subject="Shipping")
    asked = services.add_reply(ticket=ticket, author=demo.bob, body="Also the logo?").reply
    path = f"/tickets/{ticket.pk}/replies/{asked.pk}/split"
    assert api.post(path, {}, user=demo.carol).status_code == 404
    assert api.post(path, {}, user=demo.bob).status_code == 403
    response = api.post(path, {"subject": "Logo"}, user=demo.agent)
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["subject"] == "Logo" and new["requester_id"] == demo.bob.pk
    assert api.get(f"/tickets/{new['id']}/links", user=demo.bob).json()["split_from"] == ticket.pk
    again = api.post(path, {}, user=demo.agent)
    assert again.status_code == 409 and again.json()["code"] == "already_split"
    other = make_ticket(demo.bob)
    wrong_ticket = api.post(f"/tickets/{other.pk}/replies/{asked.pk}/split", {}, user=demo.agent)
    assert wrong_ticket.status_code == 404


def test_macros_over_the_api(api, demo):
    created = api.post(
        "/macros",
        {"name": "Pending", "body": "Hi {{ customer_name }}", "set_status": "pending_customer"},
        user=demo.agent,
    )
    assert created.status_code == 201, created.content
    macro_id = created.json()["id"]
    assert created.json()["shared"] is False
    assert [m["id"] for m in api.get("/macros", user=demo.agent).json()["items"]] == [macro_id]
    assert api.get("/macros", user=demo.agent_es).json()["items"] == []
    assert api.get("/macros", user=demo.bob).status_code == 403
    shared = api.post("/macros", {"name": "All", "body": "x", "shared": True}, user=demo.agent)
    assert shared.status_code == 403

    ticket = make_ticket(demo.bob)
    text = api.get(f"/tickets/{ticket.pk}/macros/{macro_id}", user=demo.agent).json()
    assert text["body"] == f"Hi {demo.bob.get_full_name()}"
    assert api.get(f"/tickets/{ticket.pk}/macros/{macro_id}", user=demo.agent_es).status_code == 404
    applied = api.post(f"/tickets/{ticket.pk}/macros/{macro_id}/apply", {}, user=demo.agent)
    assert applied.status_code == 200, applied.content
    body = applied.json()
    assert body["ticket"]["status"] == "pending_customer"
    assert body["reply_id"] == ticket.replies.get().pk
    assert ticket.replies.get().body == f"Hi {demo.bob.get_full_name()}"


def test_apply_macro_for_another_organizations_customer_is_404(api, demo):
    macro = macros.save_macro(actor=demo.agent, name="M", body="x")
    ticket = make_ticket(demo.bob)
    response = api.post(f"/tickets/{ticket.pk}/macros/{macro.pk}/apply", {}, user=demo.carol)
    assert response.status_code == 404


def test_merged_ticket_over_the_api_stays_404_for_other_organizations(api, demo):
    kept = make_ticket(demo.bob)
    duplicate = make_ticket(demo.bob)
    merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    assert api.get(f"/tickets/{duplicate.pk}", user=demo.carol).status_code == 404
    assert api.get(f"/tickets/{duplicate.pk}/fields", user=demo.carol).status_code == 404

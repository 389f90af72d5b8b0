"""Pages of the agent's workspace: merge, split, custom fields, macros and bulk merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.accounts.models import Product
from supportal.tickets import macros, merge, services
from supportal.tickets.models import CustomField, Macro, Ticket
from tests.factories import make_ticket

from .pages import assert_csp_clean

pytestmark = pytest.mark.django_db


# --- Merge ------------------------------------------------------------------------------


def test_agent_merges_from_the_ticket_page_and_lands_on_the_kept_ticket(demo, client_for):
    kept = make_ticket(demo.bob, subject="Checkout fails")
    duplicate = make_ticket(demo.bob, subject="Card error", description="Same problem")
    agent = client_for(demo.agent)
    page = agent.get(duplicate.get_absolute_url())
    assert b"Merge into another ticket" in page.content
    response = agent.post(
        reverse("tickets:merge", args=[duplicate.pk]), {"target": kept.number}, follow=True
    )
    assert response.redirect_chain[-1][0] == kept.get_absolute_url()
    html = response.content.decode()
    assert f"{duplicate.number} merged into {kept.number}" in html
    assert "Same problem" in html and f"Merged from {duplicate.number}" in html
    assert Ticket.objects.get(pk=duplicate.pk).merged_into == kept


def test_merge_refusal_is_shown_on_the_ticket(demo, client_for):
    acme = make_ticket(demo.bob)
    bright = make_ticket(demo.carol, product="tflow", kind="training_request")
    response = client_for(demo.agent).post(
        reverse("tickets:merge", args=[bright.pk]), {"target": acme.number}, follow=True
    )
    assert response.redirect_chain[-1][0] == bright.get_absolute_url()
    assert "Only tickets of the same organization can be merged" in response.content.decode()


@pytest.mark.parametrize("who", ["bob", "alice", "agent"])
def test_merged_ticket_address_leads_to_the_kept_ticket(demo, client_for, who):
    kept = make_ticket(demo.bob)
    duplicate = make_ticket(demo.bob)
    merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    response = client_for(getattr(demo, who)).get(duplicate.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()


def test_merged_ticket_stays_404_for_another_organization(demo, client_for):
    kept = make_ticket(demo.bob)
    duplicate = make_ticket(demo.bob)
    merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    carol = client_for(demo.carol)
    assert carol.get(duplicate.get_absolute_url()).status_code == 404
    assert carol.get(kept.get_absolute_url()).status_code == 404


def test_customers_cannot_merge_or_split(demo, client_for):
    kept = make_ticket(demo.bob)
    duplicate = make_ticket(demo.bob)
    alice = client_for(demo.alice)
    url = reverse("tickets:merge", args=[duplicate.pk])
    assert alice.post(url, {"target": kept.number}).status_code == 404
    assert alice.post(reverse("tickets:split", args=[duplicate.pk])).status_code == 404
    assert Ticket.objects.get(pk=duplicate.pk).merged_into is None


# --- Split ------------------------------------------------------------------------------


def test_agent_splits_a_customer_reply_into_a_new_ticket(demo, client_for):
    ticket = make_ticket(demo.bob, subject="Shipping")
    asked = services.add_reply(ticket=ticket, author=demo.bob, body="And the invoice logo?").reply
    agent = client_for(demo.agent)
    assert b"Split a reply into a new ticket" in agent.get(ticket.get_absolute_url()).content
    response = agent.post(
        reverse("tickets:split", args=[ticket.pk]),
        {"reply_id": asked.pk, "subject": "Invoice logo"},
        follow=True,
    )
    new = Ticket.objects.get(split_from=ticket)
    assert f"The reply is now ticket {new.number}" in response.content.decode()
    html = agent.get(ticket.get_absolute_url()).content.decode()
    assert f'Split off: <a href="{new.get_absolute_url()}">{new.number}</a>' in html
    bob_view = client_for(demo.bob).get(new.get_absolute_url()).content.decode()
    assert f'Split from <a href="{ticket.get_absolute_url()}">{ticket.number}</a>' in bob_view


# --- Custom fields ----------------------------------------------------------------------


@pytest.fixture
def storefront(demo):
    field = CustomField.objects.create(
        key="storefront", label="Storefront", kind="choice", choices="B2B\nB2C", required=True
    )
    field.products.add(Product.objects.get(slug="pressero"))
    CustomField.objects.create(key="crm", label="CRM reference", staff_only=True)
    return field


def _new_ticket_post(**extra: str) -> dict[str, str]:
    data = {
        "product": "pressero",
        "kind": "question",
        "subject": "Where is the shipping setup?",
        "description": "We want next-day delivery.",
    }
    data.update(extra)
    return data


def test_customer_form_asks_the_products_fields_and_checks_them(demo, client_for, storefront):
    bob = client_for(demo.bob)
    form = bob.get(reverse("tickets:new")).content.decode()
    assert "Storefront (required)" in form and "For Pressero tickets." in form
    assert "CRM reference" not in form
    refused = bob.post(reverse("tickets:new"), _new_ticket_post())
    assert refused.status_code == 200 and "Storefront is required." in refused.content.decode()
    assert not Ticket.objects.exists()
    filed = bob.post(reverse("tickets:new"), _new_ticket_post(field_storefront="B2C"))
    ticket = Ticket.objects.get()
    assert filed["Location"] == ticket.get_absolute_url()
    assert ticket.field_values.get().value == "B2C"


def test_ticket_page_shows_values_and_staff_edit_them(demo, client_for, storefront):
    ticket = make_ticket(demo.bob, custom_fields={"storefront": "B2B"})
    agent = client_for(demo.agent)
    response = agent.post(
        reverse("tickets:fields", args=[ticket.pk]),
        {"field_storefront": "B2C", "field_crm": "CRM-9"},
        follow=True,
    )
    html = response.content.decode()
    assert "Fields saved" in html
    assert '<dd data-field="storefront">B2C</dd>' in html
    assert '<dd data-field="crm">CRM-9</dd>' in html
    assert "Custom fields changed: crm, storefront" in html  # the audit trail
    bob_view = client_for(demo.bob).get(ticket.get_absolute_url()).content.decode()
    assert '<dd data-field="storefront">B2C</dd>' in bob_view and "CRM-9" not in bob_view
    bad = agent.post(reverse("tickets:fields", args=[ticket.pk]), {"field_storefront": "Kiosk"})
    assert bad.status_code == 302
    assert ticket.field_values.get(field=storefront).value == "B2C"


# --- Macros -----------------------------------------------------------------------------


@pytest.fixture
def pending_macro(demo):
    return macros.save_macro(
        actor=demo.agent,
        name="Need more info",
        body="Hello {{ customer_first_name }}, which browser shows {{ ticket_number }}?",
        set_status=Ticket.Status.PENDING_CUSTOMER,
        assignee_action=Macro.AssigneeAction.ME,
    )


def test_reply_box_offers_macros_and_insert_works_without_javascript(
    demo, client_for, pending_macro
):
    ticket = make_ticket(demo.bob)
    agent = client_for(demo.agent)
    page = agent.get(ticket.get_absolute_url())
    html = page.content.decode()
    assert "Need more info (mine)" in html and "js/macros.js" in html
    assert_csp_clean(page)
    filled = agent.get(ticket.get_absolute_url(), {"macro": pending_macro.pk}).content.decode()
    first = demo.bob.get_full_name().split()[0]
    assert f"Hello {first}, which browser shows {ticket.number}?</textarea>" in filled
    assert f'name="macro" value="{pending_macro.pk}"' in filled


def test_macro_text_for_the_select_is_json_for_staff_only(demo, client_for, pending_macro):
    ticket = make_ticket(demo.bob)
    url = reverse("tickets:macro_text", args=[ticket.pk, pending_macro.pk])
    body = client_for(demo.agent).get(url).json()
    assert body["id"] == pending_macro.pk and ticket.number in body["body"]
    assert client_for(demo.bob).get(url).status_code == 404
    assert client_for(demo.agent_es).get(url).status_code == 404  # a colleague's own macro


def test_sending_with_a_macro_applies_its_actions(demo, client_for, pending_macro):
    ticket = make_ticket(demo.bob)
    response = client_for(demo.agent).post(
        ticket.get_absolute_url(),
        {"body": "Which browser, please?", "macro": pending_macro.pk},
        follow=True,
    )
    assert "Macro “Need more info” applied" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING_CUSTOMER and ticket.assignee == demo.agent
    assert ticket.replies.get().body == "Which browser, please?"


def test_agent_keeps_personal_macros_on_the_macros_page(demo, client_for):
    agent = client_for(demo.agent)
    response = agent.post(
        reverse("tickets:macro_new"),
        {"name": "Thanks", "body": "Thanks {{ customer_name }}!", "set_status": "resolved"},
    )
    assert response.status_code == 302
    macro = Macro.objects.get()
    assert macro.owner == demo.agent and macro.set_status == "resolved"
    listing = agent.get(reverse("tickets:macros")).content.decode()
    assert "Thanks" in listing and "Status: Resolved" in listing
    refused = agent.post(reverse("tickets:macro_new"), {"name": "X", "body": "{{ nope }}"})
    assert "Unknown placeholders: {{ nope }}" in refused.content.decode()
    assert client_for(demo.bob).get(reverse("tickets:macros")).status_code == 404
    assert (
        client_for(demo.agent_es).get(reverse("tickets:macro_edit", args=[macro.pk])).status_code
        == 404
    )


# --- Bulk merge from the queue ------------------------------------------------------------


def test_queue_bulk_merges_the_selected_tickets_into_one(demo, client_for):
    kept = make_ticket(demo.bob, subject="Kept")
    first = make_ticket(demo.bob, subject="Dup 1")
    second = make_ticket(demo.bob, subject="Dup 2")
    bright = make_ticket(demo.carol, product="tflow", kind="training_request")
    agent = client_for(demo.agent)
    queue = agent.get(reverse("tickets:queue")).content.decode()
    assert 'form="bulk-form"' in queue and "Merge selected into" in queue
    response = agent.post(
        reverse("tickets:bulk"),
        {
            "action": "merge",
            "target": kept.number,
            "tickets": [first.pk, second.pk, bright.pk, kept.pk],
            "next": "/tickets/queue/",
        },
        follow=True,
    )
    html = response.content.decode()
    assert f"Merged: {first.number}, {second.number}." in html
    assert f"{bright.number}: Only tickets of the same organization" in html
    assert set(Ticket.objects.filter(merged_into=kept).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    # One audit row per ticket merged.
    assert kept.audit_events.filter(action="merged_from").count() == 2


def test_bulk_actions_are_staff_only(demo, client_for):
    ticket = make_ticket(demo.bob)
    other = make_ticket(demo.bob)
    response = client_for(demo.alice).post(
        reverse("tickets:bulk"),
        {"action": "merge", "target": ticket.number, "tickets": [other.pk]},
    )
    assert response.status_code == 404
    assert Ticket.objects.get(pk=other.pk).merged_into is None


def test_split_off_ticket_of_a_colleague_is_not_listed_to_the_requester(demo, client_for):
    """Alice (admin) asked a second question on Bob's ticket: the new ticket is hers, and
    Bob, who cannot open it, does not see it listed (nor its subject)."""
    ticket = make_ticket(demo.bob, subject="Shipping")
    asked = services.add_reply(ticket=ticket, author=demo.alice, body="Our VAT setup?").reply
    new = merge.split_reply(reply=asked, actor=demo.agent, subject="Tax configuration").ticket
    assert new.requester == demo.alice
    bob_view = client_for(demo.bob).get(ticket.get_absolute_url()).content.decode()
    assert "Tax configuration" not in bob_view and new.number not in bob_view
    alice_view = client_for(demo.alice).get(ticket.get_absolute_url()).content.decode()
    assert f'Split off: <a href="{new.get_absolute_url()}">{new.number}</a>' in alice_view


def test_reply_sent_from_a_stale_page_of_the_duplicate_lands_on_the_kept_ticket(demo, client_for):
    kept = make_ticket(demo.bob)
    duplicate = make_ticket(demo.bob)
    merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    response = client_for(demo.bob).post(duplicate.get_absolute_url(), {"body": "Any news?"})
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()
    assert kept.replies.filter(body="Any news?").exists()
    assert not Ticket.objects.filter(follow_up_of=duplicate).exists()

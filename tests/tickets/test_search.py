"""tickets.search: the same searches find the same tickets on SQLite (FTS5) and PostgreSQL
(GIN over tsvector); run this file with and without DATABASE_URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from supportal.accounts.models import Organization
from supportal.demo.loader import Demo
from supportal.tickets import custom_fields, services
from supportal.tickets.models import Ticket, TicketSearchDocument
from supportal.tickets.search import (
    COPIED_COLUMNS,
    count_matches,
    rebuild_index,
    reindex_tickets_of,
    search_page,
    search_tickets,
)
from supportal.tickets.tags import add_tag
from tests.factories import make_ticket
from tests.training import train

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
POSTGRES = connection.vendor == "postgresql"


def found(user, text: str) -> list[str]:
    search = search_tickets(user, text)
    return [t.number for t in search_page(search, limit=100).items]


@pytest.fixture
def tickets(demo: Demo) -> dict[str, Ticket]:
    train(demo.carol, "pjm")
    made = {}
    plan = [
        (
            "dns",
            demo.bob,
            {
                "subject": "Storefront domain not resolving",
                "description": "The DNS records for shop.acme.test point nowhere.",
            },
        ),
        (
            "invoice",
            demo.alice,
            {
                "subject": "Invoice totals wrong",
                "description": "Tax rate is applied twice on the invoice.",
            },
        ),
        (
            "carol",
            demo.carol,
            {
                "product": "pjm",
                "subject": "Printer queue stuck",
                "description": "Jobs wait in the printer queue forever.",
            },
        ),
        (
            "urgent",
            demo.bob,
            {
                "subject": "Checkout broken",
                "description": "Nobody can pay at checkout.",
                "urgent": True,
                "urgent_reason": "cannot_order",
            },
        ),
    ]
    for hours, (key, user, fields) in enumerate(plan):
        with time_machine.travel(START + timedelta(hours=hours), tick=False):
            made[key] = make_ticket(user, **fields)
    return made


def test_words_match_subject_and_description_stemmed(demo, tickets):
    assert found(demo.agent, "resolving") == [tickets["dns"].number]
    assert found(demo.agent, "records") == [tickets["dns"].number]  # "record" stem
    assert found(demo.agent, "invoices applied") == [tickets["invoice"].number]


def test_every_word_must_match(demo, tickets):
    assert found(demo.agent, "invoice printer") == []


def test_exact_phrase_needs_the_words_in_order(demo, tickets):
    assert found(demo.agent, '"printer queue"') == [tickets["carol"].number]
    assert found(demo.agent, '"queue printer"') == []


def test_replies_and_requester_and_organization_names_are_searched(demo, tickets):
    services.add_reply(
        ticket=tickets["invoice"], author=demo.agent, body="Try the flamingo setting."
    )
    assert found(demo.agent, "flamingo") == [tickets["invoice"].number]
    assert tickets["carol"].number in found(demo.agent, demo.carol.name.split()[0])
    assert set(found(demo.agent, demo.acme.name.split()[0])) >= {
        tickets["dns"].number,
        tickets["invoice"].number,
    }


def test_internal_notes_are_searched_for_staff_only(demo, tickets):
    services.add_reply(
        ticket=tickets["dns"], author=demo.agent, body="Registrar is zanzibar.", internal=True
    )
    assert found(demo.agent, "zanzibar") == [tickets["dns"].number]
    assert found(demo.manager, "zanzibar") == [tickets["dns"].number]
    assert found(demo.bob, "zanzibar") == []
    assert found(demo.alice, "zanzibar") == []
    # The public text of the same ticket is still found by its customer.
    assert found(demo.bob, "resolving") == [tickets["dns"].number]


def test_customers_find_only_what_they_may_see(demo, tickets):
    assert found(demo.carol, "invoice") == []
    assert found(demo.carol, "printer") == [tickets["carol"].number]
    assert found(demo.bob, "invoice") == []  # Alice's ticket: bob sees only his own
    assert found(demo.alice, "invoice") == [tickets["invoice"].number]  # admin: the org's
    assert found(demo.alice, "checkout") == [tickets["urgent"].number]
    assert found(demo.carol, f"org:{demo.acme.slug}") == []


def test_filters_narrow_and_combine_with_words(demo, tickets):
    assert found(demo.agent, "status:new urgent:yes") == [tickets["urgent"].number]
    assert found(demo.agent, "product:pjm") == [tickets["carol"].number]
    assert found(demo.agent, f"org:{demo.bright.slug}") == [tickets["carol"].number]
    assert found(demo.agent, f'org:"{demo.bright.name}"') == [tickets["carol"].number]
    assert found(demo.agent, f"requester:{demo.alice.email}") == [tickets["invoice"].number]
    assert found(demo.agent, "assignee:none checkout") == [tickets["urgent"].number]
    assert found(demo.agent, "sla:breached") == []
    day = (START + timedelta(days=1)).date().isoformat()
    assert found(demo.agent, f"before:{day} product:pjm") == [tickets["carol"].number]
    assert found(demo.agent, f"after:{day}") == []


def test_results_are_newest_first_and_queue_order_puts_urgent_first(demo, tickets):
    assert found(demo.agent, "is:open")[0] == tickets["urgent"].number
    assert found(demo.agent, "is:open order:oldest")[0] == tickets["dns"].number
    assert found(demo.agent, "is:open order:queue")[0] == tickets["urgent"].number
    assert found(demo.agent, "is:open order:queue")[1] == tickets["dns"].number


def test_tag_filter_finds_tagged_tickets_for_staff_only(demo, tickets):
    add_tag(ticket=tickets["dns"], actor=demo.agent, name="DNS")
    add_tag(ticket=tickets["urgent"], actor=demo.agent, name="payments")
    assert found(demo.agent, "tag:dns") == [tickets["dns"].number]
    assert found(demo.agent, "status:new tag:dns resolving") == [tickets["dns"].number]
    search = search_tickets(demo.bob, "tag:dns")
    assert list(search.tickets) == []
    assert "Tags are for support staff." in search.problems


def test_a_filter_that_cannot_be_used_matches_nothing_and_says_why(demo, tickets):
    search = search_tickets(demo.agent, "status:opne invoice")
    assert list(search.tickets) == []
    assert any("status:opne is not a status" in p for p in search.problems)
    assert list(search_tickets(demo.agent, "after:yesterday").tickets) == []


def test_engine_syntax_in_typed_text_is_just_words(demo, tickets):
    for text in ['invoice" OR "x', "invoice & !tax", "invoice NEAR(", "(invoice)"]:
        numbers = found(demo.agent, text)
        assert numbers in ([], [tickets["invoice"].number]), text
    # Punctuation alone holds no word: it searches nothing, so every ticket is listed.
    assert len(found(demo.agent, '* ^ : "')) == 4


def test_only_common_words_find_nothing(demo, tickets):
    search = search_tickets(demo.agent, "the and of")
    assert list(search.tickets) == []
    assert search.problems


def test_count_stops_at_the_cap(demo, tickets):
    assert str(count_matches(search_tickets(demo.agent, "").tickets, cap=10)) == "4"
    capped = count_matches(search_tickets(demo.agent, "").tickets, cap=3)
    assert (capped.count, capped.capped, str(capped)) == (3, True, "3+")


def test_field_filter_searches_custom_fields_and_says_when_there_is_none(demo, tickets):
    from supportal.tickets.models import CustomField

    CustomField.objects.create(key="site", label="Site", kind=CustomField.Kind.TEXT)
    secret = CustomField.objects.create(
        key="risk", label="Risk", kind=CustomField.Kind.TEXT, staff_only=True
    )
    custom_fields.set_field_values(
        ticket=tickets["urgent"], actor=demo.agent, values={"site": "checkout", "risk": "high"}
    )
    assert found(demo.agent, "field:site=Checkout") == [tickets["urgent"].number]
    search = search_tickets(demo.agent, "field:colour=red")
    assert list(search.tickets) == [] and "no field called 'colour'" in search.problems[0]
    assert found(demo.agent, f"field:{secret.key}=high") == [tickets["urgent"].number]
    # A customer learns nothing from a staff-only field, even about their own ticket.
    assert found(tickets["urgent"].requester, f"field:{secret.key}=high") == []


def test_rebuild_index_finds_tickets_written_around_the_services(demo, tickets):
    """A bulk load writes rows directly; rebuilding the index makes them searchable."""
    Ticket.objects.filter(pk=tickets["invoice"].pk).update(subject="Quokka sighting")
    assert found(demo.agent, "quokka") == []
    assert rebuild_index(batch=2) == 4
    assert found(demo.agent, "quokka") == [tickets["invoice"].number]
    if TicketSearchDocument.objects.exists():  # PostgreSQL keeps one row per ticket
        assert TicketSearchDocument.objects.count() == 4


def test_search_runs_a_constant_number_of_queries(demo, tickets, django_assert_max_num_queries):
    for ticket in tickets.values():
        add_tag(ticket=ticket, actor=demo.agent, name="seen")
    # The page, its tags, the capped count; on PostgreSQL around each of the page and the
    # count, plans made for their values asked for and put back (core.query_plans).
    with django_assert_max_num_queries(3 + 4 * POSTGRES):
        search = search_tickets(demo.agent, "tag:seen is:open")
        page = search_page(search)
        assert len(page.items) == 4
        assert all(t.tags.all()[0].name == "seen" for t in page.items)
        count_matches(search.tickets)


def documents_in_step() -> bool:
    """On PostgreSQL, every search document holds its ticket's columns."""
    return all(
        [getattr(document, c) for c in COPIED_COLUMNS]
        == [getattr(document.ticket, c) for c in COPIED_COLUMNS]
        for document in TicketSearchDocument.objects.select_related("ticket")
    )


def test_words_and_filters_follow_changes_made_through_the_services(demo, tickets):
    """PostgreSQL answers "words + filters" from the search table's copy of the ticket's
    columns: every service that changes one keeps the copy in step (SQLite reads the
    tickets themselves; the same answers are expected of both)."""
    from supportal.sla import services as sla
    from supportal.tickets.merge import merge_tickets
    from supportal.workspace.services import set_on_leave

    dns = tickets["dns"].number
    assert found(demo.agent, "resolving is:open assignee:none") == [dns]
    services.assign_ticket(ticket=tickets["dns"], actor=demo.agent, assignee_id=demo.agent.pk)
    assert found(demo.agent, "resolving assignee:me") == [dns]
    assert found(demo.agent, "resolving is:unassigned") == []
    services.raise_urgency(
        ticket=tickets["dns"], actor=demo.agent, reason="cannot_order", note="Shop is down."
    )
    assert found(demo.agent, "resolving urgent:yes") == [dns]
    services.escalate_to_engineering(ticket=tickets["dns"], actor=demo.agent)
    assert found(demo.agent, "resolving is:escalated") == [dns]
    services.return_from_engineering(ticket=tickets["dns"], actor=demo.agent)
    assert found(demo.agent, "resolving is:escalated") == []
    set_on_leave(agent=demo.agent, actor=demo.agent, on_leave=True)
    assert found(demo.agent, "resolving assignee:none") == [dns]
    assert documents_in_step()
    services.change_status(ticket=tickets["dns"], actor=demo.agent, status="resolved")
    assert found(demo.agent, "resolving status:resolved is:closed") == [dns]
    assert found(demo.bob, "resolving status:resolved") == [dns]  # its customer too
    assert services.close_resolved_tickets(now=START + timedelta(days=365)) == 1
    assert found(demo.agent, "resolving status:closed") == [dns]
    assert found(demo.agent, "resolving is:open") == []

    # The SLA sweep marks a ticket breached; a merge closes its duplicate.
    assert found(demo.agent, "checkout sla:breached") == []
    sla.check_clocks(now=START + timedelta(days=30))
    assert found(demo.agent, "checkout sla:breached") == [tickets["urgent"].number]
    merge_tickets(source=tickets["invoice"], target=tickets["urgent"], actor=demo.agent)
    assert found(demo.agent, "invoices status:closed") == [tickets["invoice"].number]
    assert documents_in_step()


def test_a_merge_moves_the_duplicates_words_to_the_kept_ticket(demo, tickets):
    from supportal.tickets.merge import merge_tickets

    kept, duplicate = tickets["urgent"], tickets["invoice"]
    services.add_reply(ticket=duplicate, author=demo.alice, body="Zeppelin rates are off too.")
    assert found(demo.agent, "zeppelin") == [duplicate.number]
    merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    # The reply moved, and the duplicate's description came along as the kept one's reply.
    assert found(demo.agent, "zeppelin") == [kept.number]
    assert found(demo.agent, "applied twice") == [kept.number, duplicate.number]
    assert found(demo.bob, "zeppelin") == [kept.number]  # the kept ticket is Bob's
    assert documents_in_step()


def test_a_renamed_requester_or_organization_is_found_by_the_new_name_only(
    demo, tickets, django_capture_on_commit_callbacks
):
    carols = tickets["carol"].number
    assert found(demo.agent, "carol") == [carols]
    assert found(demo.agent, '"bright ink"') == [carols]
    with django_capture_on_commit_callbacks(execute=True):
        demo.carol.name = "Quintessa Marlowe"
        demo.carol.save()
    assert found(demo.agent, "quintessa") == [carols]
    assert found(demo.agent, "carol") == []
    with django_capture_on_commit_callbacks(execute=True):
        organization = Organization.objects.get(pk=demo.carol.organization_id)  # from the db
        organization.name = "Zanzibar Presses"
        organization.save()
    assert found(demo.agent, "zanzibar presses") == [carols]
    assert found(demo.agent, '"bright ink"') == []
    assert documents_in_step()


def test_an_organization_s_tickets_are_indexed_again_a_batch_at_a_time(demo, tickets):
    acme = sorted(t.number for t in tickets.values() if t.organization_id == demo.acme.pk)
    assert len(acme) == 3
    # A queryset update sends no signal: the documents still hold the old name.
    Organization.objects.filter(pk=demo.acme.pk).update(name="Umbrage Printworks")
    assert found(demo.agent, "umbrage") == []
    assert reindex_tickets_of(organization_id=demo.acme.pk, batch=2) == 3  # two batches
    assert sorted(found(demo.agent, "umbrage")) == acme
    assert documents_in_step()


@pytest.mark.parametrize("cap", [100, 1], ids=["matches under the cap", "over the cap"])
def test_words_page_by_cursor_in_both_orders_without_repeats(demo, tickets, cap, settings):
    settings.SUPPORTAL_TICKET_SEARCH_COUNT_CAP = cap
    everyone = [t.number for t in reversed(tickets.values())]  # newest first
    word = demo.acme.name.split()[0]  # in every Acme ticket (three of the four)
    newest = [n for n in everyone if n != tickets["carol"].number]
    for order, expected in [("", newest), (" order:oldest", list(reversed(newest)))]:
        search = search_tickets(demo.agent, word + order)
        seen, cursor = [], None
        while True:
            page = search_page(search, cursor=cursor, limit=1)
            seen += [t.number for t in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == expected, order
        assert str(count_matches(search)) == ("3" if cap > 3 else f"{cap}+")
        assert str(count_matches(search_tickets(demo.agent, word + order))) == str(
            count_matches(search)
        )


def test_words_search_runs_a_constant_number_of_queries(
    demo, tickets, django_assert_max_num_queries
):
    for ticket in tickets.values():
        add_tag(ticket=ticket, actor=demo.agent, name="seen")
    for text in ["checkout", "acme is:open", "acme tag:seen", "acme order:queue"]:
        # The matching ids (or the page), the page's tickets, their tags, the count; on
        # PostgreSQL plans made for the values asked for and put back, for the page and
        # for a count of its own.
        with django_assert_max_num_queries(4 + 4 * POSTGRES):
            search = search_tickets(demo.agent, text)
            page = search_page(search)
            assert page.items, text
            assert all(t.tags.all()[0].name == "seen" for t in page.items)
            count_matches(search)


@pytest.mark.parametrize(
    ("text", "varies"),
    [
        ("is:open order:queue", False),
        ("", False),
        ("is:unassigned", False),
        ("checkout", True),
        ("product:pressero region:usa is:open", True),
        ("after:2026-01-01", True),
    ],
)
def test_searches_whose_values_reach_differently_are_planned_for_them(demo, text, varies):
    """PostgreSQL plans these for their values each time (core.query_plans): a generic plan
    made for one product's open tickets in a region read a million rows at 1M."""
    assert search_tickets(demo.agent, text).reach_varies is varies

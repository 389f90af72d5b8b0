"""timelog.log_time: the allowance, consent, ceilings, expert hours, and the waiver."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from supportal.billing import allowance, expert, notices, overrides, timelog
from supportal.billing.ledger import Quarter
from supportal.billing.models import ExpertHoursEntry, TicketBilling, TimeEntry
from supportal.billing.queries import ticket_billing_state
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.tickets.models import AuditEvent
from tests.factories import make_ticket
from tests.training import train

from .conftest import accepted_notice


def log(ticket, actor, minutes, category="support", **kw):
    return timelog.log_time(ticket=ticket, actor=actor, minutes=minutes, category=category, **kw)


def refused(code, *args, **kw):
    before = TimeEntry.objects.count()
    with pytest.raises(RuleViolation) as caught:
        log(*args, **kw)
    assert caught.value.code == code
    assert TimeEntry.objects.count() == before


def test_free_support_accumulates_until_the_allowance(demo, acme_ticket):
    log(acme_ticket, demo.agent, 10)
    log(acme_ticket, demo.agent, 5)
    assert allowance.allowance_for(ticket=acme_ticket).reached
    refused("support_allowance_reached", acme_ticket, demo.agent, 1)
    assert AuditEvent.objects.filter(ticket=acme_ticket, action="time_logged").count() == 2


def test_manager_extends_free_support_with_a_reason(demo, acme_ticket):
    log(acme_ticket, demo.agent, 15)
    with pytest.raises(NotPermitted):
        overrides.extend_allowance(ticket=acme_ticket, actor=demo.agent, minutes=15, reason="x")
    with pytest.raises(InvalidInput):
        overrides.extend_allowance(ticket=acme_ticket, actor=demo.manager, minutes=15, reason=" ")
    overrides.extend_allowance(
        ticket=acme_ticket, actor=demo.manager, minutes=15, reason="Our documentation was wrong"
    )
    log(acme_ticket, demo.agent, 15)
    refused("support_allowance_reached", acme_ticket, demo.agent, 1)


def test_billable_time_without_an_accepted_notice_is_refused(demo, acme_ticket):
    refused("consent_required", acme_ticket, demo.agent, 30, "ps_admin")
    notice = notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=60,
        message="Beyond support.",
    )
    refused("consent_required", acme_ticket, demo.agent, 30, "ps_admin")  # sent, not accepted
    notices.decline_notice(notice=notice, customer=demo.alice)
    refused("consent_required", acme_ticket, demo.agent, 30, "ps_admin")
    assert not TimeEntry.objects.filter(billable=True).exists()


def test_consent_covers_only_the_categories_the_customer_saw(demo, acme_ticket):
    accepted_notice(acme_ticket, demo.agent, demo.alice, category="ps_admin", minutes=60)
    refused("consent_required", acme_ticket, demo.agent, 30, "ps_technical")


def test_accepted_notice_allows_billing_up_to_the_estimate_at_its_rate(demo):
    train(demo.carol, "pjm")
    ticket = make_ticket(demo.carol, product="pjm")  # Basic plan: no expert hours
    accepted_notice(ticket, demo.agent, demo.carol, category="ps_technical", minutes=60)
    entry = log(ticket, demo.agent, 20, "ps_technical")
    assert (entry.billed_minutes, entry.rate, entry.amount) == (
        30,
        Decimal("150.00"),
        Decimal("75.00"),
    )
    log(ticket, demo.agent, 30, "ps_technical")
    refused("quote_exceeded", ticket, demo.agent, 1, "ps_technical")


def test_calculator_repair_rate_is_picked_within_the_range(demo):
    train(demo.carol, "pjm")
    ticket = make_ticket(demo.carol, product="pjm")
    with pytest.raises(InvalidInput) as caught:
        notices.send_notice(
            ticket=ticket,
            actor=demo.agent,
            category="calculator_repair",
            estimate_minutes=60,
            message="Repair",
            rate=Decimal("200"),
        )
    assert set(caught.value.errors) == {"rate"}
    accepted_notice(
        ticket,
        demo.agent,
        demo.carol,
        category="calculator_repair",
        minutes=60,
        rate=Decimal("160.00"),
    )
    assert log(ticket, demo.agent, 60, "calculator_repair").amount == Decimal("160.00")


def test_expert_hours_are_used_first_then_charged(demo, acme_ticket):
    # Acme's HV plan includes 3 hours a quarter.
    accepted_notice(acme_ticket, demo.agent, demo.alice, category="ps_admin", minutes=300)
    entry = log(acme_ticket, demo.ps, 240, "ps_admin")
    assert (entry.expert_minutes, entry.charged_minutes, entry.amount) == (
        180,
        60,
        Decimal("125.00"),
    )
    balance = expert.balance(demo.acme, expert.current_quarter())
    assert (balance.included_minutes, balance.used_minutes, balance.remaining_minutes) == (
        180,
        180,
        0,
    )
    assert log(acme_ticket, demo.ps, 60, "ps_admin").expert_minutes == 0


def test_expert_hours_across_a_quarter_boundary(demo):
    with time_machine.travel("2025-06-30 20:00 -05:00", tick=False):
        ticket = make_ticket(demo.alice)
        accepted_notice(ticket, demo.agent, demo.alice, category="ps_admin", minutes=600)
        log(ticket, demo.ps, 150, "ps_admin")
        assert expert.current_quarter() == Quarter(2025, 2)
    # 01:00 UTC on July 1st is still June 30th in Chicago: the same quarter.
    with time_machine.travel("2025-07-01 01:00 +00:00", tick=False):
        entry = log(ticket, demo.ps, 60, "ps_admin")
        assert (entry.work_date, entry.expert_minutes) == (date(2025, 6, 30), 30)
    with time_machine.travel("2025-07-01 09:00 -05:00", tick=False):
        entry = log(ticket, demo.ps, 60, "ps_admin")
        assert entry.expert_minutes == 60  # a fresh allocation; Q2's hours expired
        q3 = expert.balance(demo.acme, Quarter(2025, 3))
        assert (q3.included_minutes, q3.used_minutes) == (180, 60)
    assert ExpertHoursEntry.objects.filter(kind="allocation").count() == 2


def test_plans_that_carry_over_move_unused_hours_to_the_next_quarter(demo):
    from supportal.billing.models import PlanTerms

    PlanTerms.objects.create(plan=demo.acme.plan, expert_hours_carry_over=True)
    with time_machine.travel("2025-06-10 12:00 -05:00", tick=False):
        ticket = make_ticket(demo.alice)
        accepted_notice(ticket, demo.agent, demo.alice, category="ps_admin", minutes=600)
        log(ticket, demo.ps, 60, "ps_admin")
    with time_machine.travel("2025-07-02 12:00 -05:00", tick=False):
        # Before the quarter's first use (no Q3 rows yet) the balance a ticket page shows
        # already holds the allocation and what Q2 carries over.
        shown = expert.balance(demo.acme, Quarter(2025, 3))
        assert not ExpertHoursEntry.objects.filter(quarter="2025-Q3").exists()
        assert (shown.included_minutes, shown.used_minutes) == (180 + 120, 0)
        log(ticket, demo.ps, 30, "ps_admin")
        q3 = expert.balance(demo.acme, Quarter(2025, 3))
        assert (q3.included_minutes, q3.used_minutes) == (180 + 120, 30)


def test_confirmed_bug_after_billing_waives_and_returns_expert_hours(demo, acme_ticket):
    accepted_notice(acme_ticket, demo.agent, demo.alice, category="ps_admin", minutes=300)
    log(acme_ticket, demo.ps, 240, "ps_admin")
    overrides.mark_confirmed_bug(ticket=acme_ticket, actor=demo.agent)
    overrides.mark_confirmed_bug(ticket=acme_ticket, actor=demo.agent)  # idempotent
    balance = expert.balance(demo.acme, expert.current_quarter())
    assert balance.used_minutes == 0
    assert ExpertHoursEntry.objects.filter(kind="refund").count() == 1
    refused("confirmed_bug", acme_ticket, demo.ps, 15, "ps_admin")
    log(acme_ticket, demo.agent, 120)  # support on a bug has no limit


def test_css_js_exception_bills_the_time_at_the_technical_rate_and_mails_the_customer(
    demo, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    refused("consent_required", acme_ticket, demo.agent, 30, "custom_code")
    with pytest.raises(NotPermitted):
        overrides.record_custom_code_exception(
            ticket=acme_ticket, actor=demo.agent, reason="urgent"
        )
    with django_capture_on_commit_callbacks(execute=True):
        exception = overrides.record_custom_code_exception(
            ticket=acme_ticket, actor=demo.manager, reason="urgent", note="Checkout broken"
        )
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [demo.alice.email]
    assert exception.rate == Decimal("150.00")  # the policy's technical rate, per hour
    assert "at $150.00 per hour" in mailoutbox[0].body
    first = log(acme_ticket, demo.agent, 40, "custom_code")
    second = log(acme_ticket, demo.agent, 20, "custom_code")
    assert first.exception == exception and first.rate == Decimal("150.00")
    # Issue 18: billed by the hour (rounded up to 15 minutes), not a flat fee per incident.
    assert (first.billed_minutes, first.amount) == (45, Decimal("112.50"))
    assert (second.billed_minutes, second.amount) == (30, Decimal("75.00"))
    refused("consent_required", acme_ticket, demo.agent, 30, "ps_technical")


def test_professional_services_ticket_has_no_free_minutes(demo):
    ticket = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
    assert ticket.billing.professional_services
    refused("support_allowance_reached", ticket, demo.agent, 5)


def test_custom_code_with_consent_is_billed_by_the_hour_within_the_estimate(demo, acme_ticket):
    """Issue 18: the policy points custom CSS/JS to the hourly rates: the notice gives an
    estimate at the technical rate and the time is billed as worked, up to it."""
    notice = accepted_notice(
        acme_ticket, demo.agent, demo.alice, category="custom_code", minutes=60
    )
    assert [line.fixed_fee for line in notice.lines.all()] == [None]
    assert notices.notice_total(notice) == Decimal("150.00")
    entry = log(acme_ticket, demo.agent, 30, "custom_code")
    assert (entry.rate, entry.amount) == (Decimal("150.00"), Decimal("75.00"))
    log(acme_ticket, demo.agent, 30, "custom_code")
    refused("quote_exceeded", acme_ticket, demo.agent, 10, "custom_code")


def test_policy_area_words_suggest_a_category_and_keep_the_free_minutes(demo):
    """Issue 18: a bug report that mentions the API keeps its 15 free minutes; the agent is
    shown a suggested category; billable work still needs consent; a bug is never charged."""
    ticket = make_ticket(
        demo.alice, kind="bug", subject="The API returns 500 for every order since Monday"
    )
    billing = ticket.billing
    assert not billing.professional_services and billing.ps_reason == ""
    assert (billing.suggested_category, billing.suggestion_reason) == (
        "ps_technical",
        "mentions api",
    )
    log(ticket, demo.agent, 15)  # the policy's 15 free minutes
    refused("support_allowance_reached", ticket, demo.agent, 1)
    refused("consent_required", ticket, demo.agent, 30, "ps_technical")
    overrides.mark_confirmed_bug(ticket=ticket, actor=demo.agent)
    refused("confirmed_bug", ticket, demo.agent, 30, "ps_technical")
    log(ticket, demo.agent, 60)  # support on a confirmed bug has no limit
    calculator = make_ticket(demo.bob, subject="Our pricing calculator is off by a cent")
    assert calculator.billing.suggested_category == "ps_admin"
    assert not calculator.billing.professional_services
    plain = make_ticket(demo.alice)
    assert not TicketBilling.objects.filter(ticket=plain).exists()  # nothing to keep
    assert ticket_billing_state(plain).suggested_category == ""
    log(plain, demo.agent, 5)  # its first billing write gives it its row, unclassified
    assert (plain.billing.professional_services, plain.billing.suggested_category) == (False, "")


def test_bad_input_names_each_field_and_writes_nothing(demo, acme_ticket):
    with pytest.raises(InvalidInput) as caught:
        log(acme_ticket, demo.agent, 0, "coffee", note="x" * 2001)
    assert set(caught.value.errors) == {"minutes", "category", "note"}
    with pytest.raises(NotPermitted):
        log(acme_ticket, demo.alice, 5)
    assert not TimeEntry.objects.exists()


def test_database_refuses_a_billable_entry_without_consent(demo, acme_ticket):
    """Defence in depth: even code that bypasses the service cannot store one."""
    from django.db import IntegrityError, transaction

    from supportal.billing.models import WorkCategory

    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(
            ticket=acme_ticket,
            author=demo.agent,
            category=WorkCategory.objects.get(code="ps_admin"),
            work_date=date.today(),
            minutes=60,
            billable=True,
            billed_minutes=60,
            rate=Decimal("125"),
            amount=Decimal("125"),
        )


def test_the_ticket_pages_allowance_counts_free_time_and_extensions(demo, acme_ticket):
    from supportal.billing.queries import ticket_billing_state

    log(acme_ticket, demo.agent, 10)
    overrides.extend_allowance(
        ticket=acme_ticket, actor=demo.manager, minutes=30, reason="Our documentation was wrong"
    )
    log(acme_ticket, demo.agent, 20)
    accepted_notice(acme_ticket, demo.agent, demo.alice, category="ps_admin", minutes=120)
    log(acme_ticket, demo.ps, 60, "ps_admin")  # billable: not free support
    state = ticket_billing_state(acme_ticket)
    assert state.allowance == allowance.allowance_for(ticket=acme_ticket)
    assert (state.allowance.used, state.allowance.allowance) == (30, 45)


def test_the_ticket_pages_billing_reads_only_the_kinds_of_rows_the_ticket_has(
    demo, acme_ticket, django_assert_num_queries
):
    from supportal.billing.queries import ticket_billing_state

    with django_assert_num_queries(1):  # one read says there is nothing else, row or none
        state = ticket_billing_state(acme_ticket)
    assert (state.entries, state.notices, state.extensions, state.exceptions) == ([], [], [], [])
    assert state.calculator is None and state.billing is None  # a plain ticket has no row

    log(acme_ticket, demo.agent, 10)
    exception = overrides.record_custom_code_exception(
        ticket=acme_ticket, actor=demo.manager, reason="urgent"
    )
    with django_assert_num_queries(3):  # the billing row, the time entries, the exception
        state = ticket_billing_state(acme_ticket)
    assert state.billing is not None  # written by the first billing write
    assert [e.minutes for e in state.entries] == [10] and state.exceptions == [exception]
    assert state.notices == [] and state.allowance.used == 10


def test_tickets_made_professional_services_by_a_word_get_their_free_minutes_back(demo):
    """The migration of issue 18: the word becomes the suggestion; a ticket filed as
    professional services stays so; custom CSS/JS loses its seeded flat fee."""
    import importlib

    from django.apps import apps

    from supportal.billing.models import WorkCategory

    migration = importlib.import_module(
        "supportal.billing.migrations.0003_policy_fidelity_allowance_turn_time"
    )
    worded = make_ticket(demo.alice, kind="bug", subject="DNS records of our store")
    filed = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
    worded.billing.__class__.objects.filter(pk=worded.pk).update(
        professional_services=True, ps_reason="mentions dns", suggested_category=""
    )
    WorkCategory.objects.filter(code="custom_code").update(fixed_fee=Decimal("150.00"))
    migration.keywords_suggest(apps, None)
    worded.billing.refresh_from_db()
    filed.billing.refresh_from_db()
    assert not worded.billing.professional_services and worded.billing.ps_reason == ""
    assert (worded.billing.suggested_category, worded.billing.suggestion_reason) == (
        "ps_technical",
        "mentions dns",
    )
    assert filed.billing.professional_services
    assert WorkCategory.objects.get(code="custom_code").fixed_fee is None
    log(worded, demo.agent, 15)


def test_a_flat_fee_the_customer_accepted_before_the_change_is_still_the_charge(demo, acme_ticket):
    """Consent is kept as given: a custom CSS/JS notice accepted with the old flat fee is
    charged that fee once, not by the hour."""
    from supportal.billing.models import NoticeLine

    notice = notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="custom_code",
        estimate_minutes=60,
        message="Fix the header script.",
    )
    NoticeLine.objects.filter(notice=notice).update(fixed_fee=Decimal("150.00"))
    notices.accept_notice(notice=notice, customer=demo.alice)
    first = log(acme_ticket, demo.agent, 20, "custom_code")
    second = log(acme_ticket, demo.agent, 30, "custom_code")
    assert (first.amount, second.amount) == (Decimal("150.00"), Decimal("0.00"))

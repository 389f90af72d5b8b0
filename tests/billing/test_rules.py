"""The rule engine: allowance, consent, ceilings, bugs, the CSS/JS exception, PS detection."""

from datetime import date
from decimal import Decimal

import pytest

from supportal.billing import rules
from supportal.core.errors import RuleViolation

SUPPORT = rules.CategoryFacts(code="support", billable=False, fixed_fee=False)
PS = rules.CategoryFacts(code="ps_admin", billable=True, fixed_fee=False)
CSS = rules.CategoryFacts(code="custom_code", billable=True, fixed_fee=True)


def facts(**changes) -> rules.TicketFacts:
    base = dict(
        confirmed_bug=False,
        support_minutes_used=0,
        allowance_minutes=15,
        accepted_minutes=0,
        billed_minutes_so_far=0,
        has_accepted_notice=False,
        has_custom_code_exception=False,
    )
    return rules.TicketFacts(**{**base, **changes})


def code_of(category, f, minutes=10, billed=15) -> str:
    with pytest.raises(RuleViolation) as caught:
        rules.check_time_entry(category=category, facts=f, minutes=minutes, billed=billed)
    return caught.value.code


def test_free_support_up_to_the_allowance_then_refused():
    ok = rules.check_time_entry(
        category=SUPPORT, facts=facts(support_minutes_used=5), minutes=10, billed=0
    )
    assert ok == rules.Consent.NONE_NEEDED
    assert (
        code_of(SUPPORT, facts(support_minutes_used=12), minutes=4) == "support_allowance_reached"
    )


def test_support_on_a_confirmed_bug_has_no_limit():
    f = facts(confirmed_bug=True, support_minutes_used=600)
    assert rules.check_time_entry(category=SUPPORT, facts=f, minutes=60, billed=0)


def test_billable_time_needs_an_accepted_notice():
    assert code_of(PS, facts()) == "consent_required"
    f = facts(has_accepted_notice=True, accepted_minutes=60)
    assert rules.check_time_entry(category=PS, facts=f, minutes=50, billed=60) == "notice"


def test_accepted_estimate_is_the_ceiling():
    f = facts(has_accepted_notice=True, accepted_minutes=60, billed_minutes_so_far=45)
    assert code_of(PS, f, billed=30) == "quote_exceeded"


def test_nothing_billable_on_a_confirmed_bug_even_with_consent():
    f = facts(confirmed_bug=True, has_accepted_notice=True, accepted_minutes=600)
    assert code_of(PS, f) == "confirmed_bug"


def test_css_js_exception_lets_custom_code_proceed_without_a_notice():
    assert code_of(CSS, facts()) == "consent_required"
    f = facts(has_custom_code_exception=True)
    assert rules.check_time_entry(category=CSS, facts=f, minutes=30, billed=30) == "exception"
    # The exception covers custom code only, never other billable work.
    assert code_of(PS, f) == "consent_required"


def test_professional_services_tickets_have_no_free_minutes():
    assert rules.allowance_minutes(base=15, professional_services=False, extensions=0) == 15
    assert rules.allowance_minutes(base=15, professional_services=True, extensions=0) == 0
    assert rules.allowance_minutes(base=15, professional_services=False, extensions=30) == 45


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("professional_services", "Store setup", True),
        ("training_request", "One-on-one", True),
        ("question", "Our pricing calculator gives wrong totals", True),
        ("question", "How do I call the API for orders?", True),
        ("question", "We manage our own DNS records", True),
        ("bug", "Rapid checkout is slow", False),  # "rapid" contains "api" but is not it
        ("question", "Where is the shipping setup?", False),
    ],
)
def test_professional_services_from_the_first_minute(kind, text, expected):
    keywords = ["pricing calculator", "template setup", "api", "custom skinning", "dns"]
    reason = rules.professional_services_reason(kind=kind, text=text, keywords=keywords)
    assert bool(reason) is expected


def test_statement_lines_waive_and_credit_confirmed_bugs_once():
    def charge(i, **kw):
        base = dict(
            source="time",
            source_id=i,
            date=date(2025, 5, i),
            ticket_id=i,
            ticket_number=f"SUP-{i}",
            description="work",
            category="PS",
            minutes=60,
            rate=Decimal("125.00"),
            amount=Decimal("125.00"),
            expert_minutes=0,
            waived=False,
            on_finalised_statement=False,
            credited=False,
        )
        return rules.Charge(**{**base, **kw})

    lines = rules.statement_lines(
        [
            charge(1),
            charge(2, waived=True),
            charge(3, waived=True, on_finalised_statement=True),
            charge(4, waived=True, on_finalised_statement=True, credited=True),
        ],
        [(9, date(2025, 5, 20), "goodwill", Decimal("10.00"))],
    )
    assert [(line.kind, line.amount) for line in lines] == [
        ("charge", Decimal("125.00")),
        ("charge", Decimal("125.00")),
        ("waiver", Decimal("-125.00")),
        ("credit", Decimal("-125.00")),
        ("credit", Decimal("-10.00")),
    ]

"""The rule engine: allowance, consent, ceilings, bugs, the CSS/JS exception, PS detection."""

from datetime import date
from decimal import Decimal

import pytest

from supportal.billing import rules
from supportal.core.errors import RuleViolation

SUPPORT = rules.CategoryFacts(code="support", billable=False, fixed_fee=False)
PS = rules.CategoryFacts(code="ps_admin", billable=True, fixed_fee=False)
CSS = rules.CategoryFacts(code="custom_code", billable=True, fixed_fee=False)  # by the hour


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


def test_custom_code_with_a_notice_is_hourly_work_within_the_accepted_estimate():
    """Issue 18: custom CSS/JS is billed by the hour like any professional service, so the
    accepted estimate is its ceiling (a flat fee had none)."""
    f = facts(has_accepted_notice=True, accepted_minutes=60, billed_minutes_so_far=45)
    assert rules.check_time_entry(category=CSS, facts=f, minutes=10, billed=15) == "notice"
    assert code_of(CSS, f, billed=30) == "quote_exceeded"


def test_the_refusal_names_where_the_free_minutes_are_counted():
    f = facts(support_minutes_used=12, allowance_scope="for Acme Print today")
    with pytest.raises(RuleViolation) as caught:
        rules.check_time_entry(category=SUPPORT, facts=f, minutes=4, billed=0)
    assert "Free support for Acme Print today is 15 minutes and 12 are used (3 left)" in (
        caught.value.message
    )


def test_professional_services_tickets_have_no_free_minutes():
    assert rules.allowance_minutes(base=15, professional_services=False, extensions=0) == 15
    assert rules.allowance_minutes(base=15, professional_services=True, extensions=0) == 0
    assert rules.allowance_minutes(base=15, professional_services=False, extensions=30) == 45


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("professional_services", True),
        ("training_request", True),
        ("question", False),
        ("bug", False),
    ],
)
def test_professional_services_from_the_first_minute_only_when_filed_as_such(kind, expected):
    assert bool(rules.professional_services_reason(kind=kind)) is expected


KEYWORDS = ["pricing calculator", "template setup", "api", "custom skinning", "dns"]
TECHNICAL = ["api", "custom skinning", "dns"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Our pricing calculator gives wrong totals", "ps_admin"),
        ("eDocBuilder template setup for postcards", "ps_admin"),
        ("How do I call the API for orders?", "ps_technical"),
        ("We manage our own DNS records", "ps_technical"),
        ("Custom skinning of the header", "ps_technical"),
        ("Rapid checkout is slow", None),  # "rapid" contains "api" but is not it
        ("Where is the shipping setup?", None),
    ],
)
def test_a_policy_area_in_the_words_suggests_a_category(text, category):
    """Issue 18: the policy names these areas as where the 15 minutes are most often
    exceeded, not as areas without free support: the words only suggest a category."""
    found = rules.suggest_category(text=text, keywords=KEYWORDS, technical=TECHNICAL)
    assert (found.category if found else None) == category
    if found:
        assert found.reason.startswith("mentions ")


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

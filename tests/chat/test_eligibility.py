"""Who may chat: a plan with chat included (HV and above), the product, training for it,
hours, an agent."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supportal.accounts.models import Plan, Product, TrainingAttendance
from supportal.chat import services
from supportal.chat.eligibility import check_eligibility
from supportal.chat.models import ConsoleConnection
from supportal.core.errors import RuleViolation
from tests.training import train

from .conftest import CLOSED_HOURS, put_online, start


@pytest.fixture
def chat_ready(demo, open_now):
    put_online(demo.agent)
    return demo


def product(slug: str) -> Product:
    return Product.objects.get(slug=slug)


def test_hv_customer_may_chat_about_pressero_when_open_and_an_agent_is_free(chat_ready):
    result = check_eligibility(user=chat_ready.bob, product=product("pressero"))
    assert result.eligible and result.reason is None
    assert (result.plan_eligible, result.product_eligible, result.open_now) == (True,) * 3
    assert result.agent_available


def test_enterprise_qualifies_because_its_plan_includes_chat(chat_ready):
    chat_ready.acme.plan = Plan.objects.get(code="enterprise")
    chat_ready.acme.save()
    assert check_eligibility(user=chat_ready.bob, product=product("edocbuilder")).eligible


def test_basic_plan_is_refused_with_the_plan_named(chat_ready):
    result = check_eligibility(user=chat_ready.carol, product=product("pressero"))
    assert not result.eligible and not result.plan_eligible
    assert "HV" in result.reason


def test_the_plans_chat_included_box_decides(chat_ready):
    """Unticking "chat included" on HV refuses Acme; ticking it on Basic admits Bright Ink's
    plan (no rank threshold beside the box)."""
    set_chat_included(Plan.objects.get(code="hv"), chat_included=False)
    chat_ready.bob.organization.refresh_from_db()
    result = check_eligibility(user=chat_ready.bob, product=product("pressero"))
    assert not result.plan_eligible
    assert result.reason == "Live chat comes with the Enterprise plan."

    set_chat_included(Plan.objects.get(code="basic"), chat_included=True)
    chat_ready.carol.organization.refresh_from_db()
    assert check_eligibility(user=chat_ready.carol, product=product("pjm")).plan_eligible


def set_chat_included(plan: Plan, *, chat_included: bool) -> None:
    """The manager's change in the admin (a save, which the reference cache hears)."""
    plan.chat_included = chat_included
    plan.save()


def test_the_refusal_names_the_plans_with_chat(chat_ready):
    result = check_eligibility(user=chat_ready.carol, product=product("pressero"))
    assert result.reason == "Live chat comes with the HV plan and above."


def test_chat_about_a_product_needs_training_for_that_product(chat_ready):
    TrainingAttendance.objects.filter(
        user=chat_ready.bob, session__product__slug="edocbuilder"
    ).delete()
    refused = check_eligibility(user=chat_ready.bob, product=product("edocbuilder"))
    assert not refused.eligible and not refused.training_attended
    assert refused.reason == (
        "Support for eDocBuilder requires training attendance: please attend a "
        "training session for eDocBuilder first."
    )
    allowed = check_eligibility(user=chat_ready.bob, product=product("pressero"))
    assert allowed.eligible and allowed.training_attended
    with pytest.raises(RuleViolation):
        services.start_chat(customer=chat_ready.bob, product=product("edocbuilder"), question="Q")


def test_in_warn_mode_an_untrained_customer_may_chat(chat_ready, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "warn"
    TrainingAttendance.objects.filter(user=chat_ready.bob).delete()
    result = check_eligibility(user=chat_ready.bob, product=product("pressero"))
    assert result.eligible and not result.training_attended


def test_products_without_chat_are_refused(chat_ready):
    result = check_eligibility(user=chat_ready.bob, product=product("pjm"))
    assert not result.eligible and not result.product_eligible
    assert "PJM" in result.reason


def test_product_flag_switches_chat_on_for_a_product(chat_ready):
    pjm = product("pjm")
    pjm.chat_available = True
    pjm.save()
    chat_ready.acme.products.add(pjm)
    train(chat_ready.bob, "pjm")
    assert check_eligibility(user=chat_ready.bob, product=pjm).eligible


def test_outside_support_hours_chat_is_closed(demo):
    with time_machine.travel(CLOSED_HOURS, tick=False):
        put_online(demo.agent)
        result = check_eligibility(user=demo.bob, product=product("pressero"))
    assert not result.eligible and not result.open_now and "support hours" in result.reason


def test_no_agent_online_means_not_eligible(demo, open_now):
    result = check_eligibility(user=demo.bob, product=product("pressero"))
    assert not result.agent_available and result.reason == "No agent is free to chat right now."


def test_agent_whose_console_stopped_heartbeating_is_not_available(chat_ready):
    ConsoleConnection.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert not check_eligibility(user=chat_ready.bob, product=product("pressero")).agent_available


def test_agent_at_capacity_is_not_available(chat_ready, settings):
    settings.SUPPORTAL_CHAT_MAX_PER_AGENT = 1
    chat = start(chat_ready.alice)
    services.accept_chat(chat_id=chat.pk, agent=chat_ready.agent)
    assert not check_eligibility(user=chat_ready.bob, product=product("pressero")).agent_available


def test_staff_are_not_eligible(chat_ready):
    result = check_eligibility(user=chat_ready.agent, product=product("pressero"))
    assert not result.eligible and "customers" in result.reason

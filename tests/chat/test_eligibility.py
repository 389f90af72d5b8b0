"""Who may chat: plan HV and above (a tier comparison), the product, hours, an agent."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supportal.accounts.models import Plan, Product
from supportal.chat import services
from supportal.chat.eligibility import check_eligibility
from supportal.chat.models import ConsoleConnection

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


def test_enterprise_qualifies_because_the_plan_is_a_tier_comparison(chat_ready):
    chat_ready.acme.plan = Plan.objects.get(code="enterprise")
    chat_ready.acme.save()
    assert check_eligibility(user=chat_ready.bob, product=product("edocbuilder")).eligible


def test_basic_plan_is_refused_with_the_plan_named(chat_ready):
    result = check_eligibility(user=chat_ready.carol, product=product("pressero"))
    assert not result.eligible and not result.plan_eligible
    assert "HV" in result.reason


def test_minimum_plan_is_a_setting(chat_ready, settings):
    settings.SUPPORTAL_CHAT_MIN_PLAN = "enterprise"
    result = check_eligibility(user=chat_ready.bob, product=product("pressero"))
    assert not result.plan_eligible and "Enterprise" in result.reason


def test_products_without_chat_are_refused(chat_ready):
    result = check_eligibility(user=chat_ready.bob, product=product("pjm"))
    assert not result.eligible and not result.product_eligible
    assert "PJM" in result.reason


def test_product_flag_switches_chat_on_for_a_product(chat_ready):
    pjm = product("pjm")
    pjm.chat_available = True
    pjm.save()
    chat_ready.acme.products.add(pjm)
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

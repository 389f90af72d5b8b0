"""Accounts: plan tiers compare by rank, API tokens are hashed and expire, training counts."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supportal.accounts.models import ApiToken, Plan, hash_token
from supportal.accounts.services import has_attended_training, issue_api_token, user_for_token

pytestmark = pytest.mark.django_db


def test_plans_are_ordered_tiers():
    names = list(Plan.objects.values_list("name", flat=True))
    assert names == ["Basic", "Standard", "HV", "Enterprise"]
    hv = Plan.objects.get(code="hv")
    assert Plan.objects.get(code="enterprise").is_at_least(hv)
    assert not Plan.objects.get(code="standard").is_at_least(hv)


def test_token_is_stored_hashed_and_resolves_to_user(demo):
    raw = issue_api_token(email="BOB@acmeprint.test", password="supportal-demo")
    assert raw
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert ApiToken.objects.filter(key_hash=hash_token(raw)).exists()
    assert user_for_token(raw) == demo.bob


def test_bad_password_gets_no_token(demo):
    assert issue_api_token(email="bob@acmeprint.test", password="wrong") is None
    assert user_for_token("not-a-token") is None


def test_token_expires(demo, settings):
    settings.SUPPORTAL_API_TOKEN_DAYS = 1
    raw = issue_api_token(email="bob@acmeprint.test", password="supportal-demo")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert user_for_token(raw) is None


def test_deactivated_user_token_stops_working(demo):
    raw = issue_api_token(email="bob@acmeprint.test", password="supportal-demo")
    demo.bob.is_active = False
    demo.bob.save()
    assert user_for_token(raw) is None


def test_training_attendance(demo):
    assert has_attended_training(demo.alice)
    assert not has_attended_training(demo.carol)
    assert has_attended_training(demo.agent)

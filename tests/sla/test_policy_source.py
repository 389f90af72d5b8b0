"""One source of truth for the response targets: the "Default" SLA policy row, seeded with
the policy's numbers (first response within 4 business hours), drives every clock, promise
and report; no setting sits beside it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from supportal.reports import periods
from supportal.reports.figures import sla_by_week
from supportal.sla import services as sla
from supportal.sla.models import SlaPolicy
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def default_row() -> SlaPolicy:
    return SlaPolicy.objects.get(plan__isnull=True, kind="")


def test_the_default_row_holds_the_policys_four_business_hours(demo):
    row = default_row()
    assert (row.first_response_minutes, row.next_reply_minutes) == (4 * 60, 8 * 60)


def test_no_setting_duplicates_the_row():
    assert not hasattr(settings, "SUPPORTAL_FIRST_RESPONSE_HOURS")
    assert not hasattr(settings, "SUPPORTAL_NEXT_REPLY_HOURS")


def test_editing_the_default_row_changes_clocks_promises_and_reports(demo):
    SlaPolicy.objects.filter(pk=default_row().pk).update(first_response_minutes=120)
    SlaPolicy.objects.get(pk=default_row().pk).save()  # the admin's save: caches forgotten
    with time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=CHICAGO), tick=False):
        ticket = make_ticket(demo.bob)
        promise = sla.expectation_for(organization=demo.acme).message
    assert ticket.first_response_due == datetime(2026, 11, 24, 12, tzinfo=CHICAGO)
    assert promise.startswith("We answer within 2 business hours")
    assert sla.default_first_response_label() == "2 business hours"
    weeks = periods.Weeks.ending_at(datetime(2026, 11, 30, tzinfo=CHICAGO), 4, "America/Chicago")
    assert "(2 business hours by default)" in sla_by_week(weeks).caption


def test_without_a_default_row_the_models_defaults_are_the_policys(demo):
    default_row().delete()
    policy = sla.policy_for(plan=None)
    assert (policy.first_response_minutes, policy.next_reply_minutes) == (240, 480)

"""The public contact page publishes what the policy publishes: the portal first, the
phone line and extension, each region's hours and holidays (India to be announced), the
first-response goal; and no page invites email to the support address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportal.accounts.models import SupportRegion
from supportal.sla.models import Closure, WorkingHours

pytestmark = pytest.mark.django_db

URL = reverse("contact")


def _region_row(html: str, code: str) -> str:
    start = html.index(f'data-region="{code}"')
    return html[start : html.index("</tr>", start)]


def test_anonymous_visitors_see_the_phone_line_and_the_first_response_goal(client, demo):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "800-571-2138 ext. 4" in html
    assert 'href="tel:8005712138,4"' in html
    assert "respond within 4 business hours" in html


def test_phone_line_and_goal_follow_the_settings(client, demo, settings):
    settings.SUPPORTAL_SUPPORT_PHONE = "+34 960 000 000"
    settings.SUPPORTAL_SUPPORT_PHONE_EXTENSION = ""
    html = client.get(URL).content.decode()
    assert "+34 960 000 000" in html and "ext." not in html
    assert 'href="tel:+34960000000"' in html


@time_machine.travel(dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC), tick=False)
def test_each_region_shows_its_hours_and_coming_holidays(client, demo):
    usa = SupportRegion.objects.get(code="usa")
    Closure.objects.create(region=usa, date=dt.date(2026, 12, 24), name="Office party")
    html = client.get(URL).content.decode()
    usa_row = _region_row(html, "usa")
    assert "Monday to Friday, 09:00 to 17:00" in usa_row
    assert "Central Time" in usa_row
    assert "Christmas Day" in usa_row and "Office party" in usa_row
    spain_row = _region_row(html, "spain")
    assert "Monday to Friday, 09:00 to 17:00" in spain_row
    assert "Central European Time" in spain_row
    assert "To be announced" in _region_row(html, "india")


def test_india_shows_its_hours_once_they_are_set(client, demo):
    india = SupportRegion.objects.get(code="india")
    for weekday in range(5):
        WorkingHours.objects.create(
            region=india, weekday=weekday, opens=dt.time(10), closes=dt.time(18)
        )
    row = _region_row(client.get(URL).content.decode(), "india")
    assert "Monday to Friday, 10:00 to 18:00" in row
    assert "To be announced" not in row


def test_footer_links_the_contact_page_and_does_not_invite_email(client, demo, settings):
    for path in (reverse("accounts:login"), URL):
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert reverse("contact") in footer
        assert "mailto:" not in html
        assert settings.SUPPORTAL_SUPPORT_ADDRESS not in footer
    client.force_login(demo.bob)
    html = client.get(reverse("tickets:list")).content.decode()
    assert "mailto:" not in html

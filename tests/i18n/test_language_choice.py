"""Each person reads pages in their own language and time zone: their own choice, else their
region's; visitors in their browser's language or the footer's choice."""

import re

import pytest
from django.urls import reverse

from supportal.accounts.models import User
from supportal.core.languages import language_of, zone_of

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    match = re.search(rb'<html lang="([a-z-]+)">', response.content)
    assert match, "no lang attribute on the page"
    return match.group(1).decode()


def test_staff_read_their_regions_language_until_they_choose(client, demo):
    elena = demo.agent_es
    assert elena.language == ""
    client.force_login(elena)
    response = client.get(reverse("accounts:language"))
    assert page_language(response) == "es"
    assert response["Content-Language"] == "es"
    User.objects.filter(pk=elena.pk).update(language="en")
    assert page_language(client.get(reverse("accounts:language"))) == "en"


def test_a_customer_reads_the_language_of_their_organizations_region(demo):
    newcomer = User.objects.create_user(
        email="nuria@brightink.test", password="x" * 12, organization=demo.bright
    )
    assert language_of(newcomer) == "es"
    assert str(zone_of(newcomer)) == "Europe/Madrid"
    assert language_of(demo.carol) == "en"  # her own choice wins over the region's
    assert language_of(demo.bob) == "en"  # Acme is in the USA region


def test_visitors_get_their_browsers_language(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert page_language(response) == "es"
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="de-DE")
    assert page_language(response) == "en"


def test_the_footer_switch_keeps_a_visitors_choice_and_returns_to_the_page(client):
    login = reverse("accounts:login")
    response = client.post(reverse("accounts:switch_language"), {"language": "es", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login
    assert client.cookies["django_language"].value == "es"
    assert page_language(client.get(login)) == "es"


def test_the_footer_switch_refuses_to_send_anyone_elsewhere(client):
    response = client.post(
        reverse("accounts:switch_language"),
        {"language": "es", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == "/"


def test_the_footer_switch_saves_a_signed_in_persons_choice(client, demo):
    client.force_login(demo.bob)
    client.post(reverse("accounts:switch_language"), {"language": "es", "next": "/"})
    demo.bob.refresh_from_db()
    assert demo.bob.language == "es"
    # Their account's choice is what counts, on any device.
    client.cookies.clear()
    client.force_login(demo.bob)
    assert page_language(client.get(reverse("accounts:language"))) == "es"


def test_a_person_chooses_language_and_time_zone_on_their_account(client, demo):
    client.force_login(demo.bob)
    response = client.post(
        reverse("accounts:language"), {"language": "es", "time_zone": "Asia/Kolkata"}
    )
    assert response.status_code == 302
    demo.bob.refresh_from_db()
    assert (demo.bob.language, demo.bob.time_zone) == ("es", "Asia/Kolkata")
    page = client.get(reverse("accounts:language"))
    assert page_language(page) == "es"
    assert b"Asia/Kolkata" in page.content
    # Blank goes back to the region's (USA: English, Chicago).
    client.post(reverse("accounts:language"), {"language": "", "time_zone": ""})
    demo.bob.refresh_from_db()
    assert language_of(demo.bob) == "en"
    assert str(zone_of(demo.bob)) == "America/Chicago"


def test_an_unknown_time_zone_is_refused_and_nothing_changes(client, demo):
    client.force_login(demo.bob)
    response = client.post(
        reverse("accounts:language"), {"language": "es", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert b"field-error" in response.content
    demo.bob.refresh_from_db()
    assert (demo.bob.language, demo.bob.time_zone) == ("", "")

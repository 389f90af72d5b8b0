"""The login page (accounts:login)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:login")


def test_login_page_asks_for_email_and_password(client, demo):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert ">Email</label>" in html and 'name="username"' in html
    assert 'name="password"' in html and ">Log in</button>" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_wrong_password_is_refused_with_a_clear_message(client, demo):
    response = client.post(URL, {"username": "bob@acmeprint.test", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct email and password" in response.content.decode()


def test_customer_lands_on_the_ticket_list_and_staff_on_the_queue(client, demo):
    response = client.post(
        URL, {"username": "bob@acmeprint.test", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tickets:list")
    client.post(reverse("accounts:logout"))
    response = client.post(
        URL, {"username": "agent@vendor.test", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tickets:queue")

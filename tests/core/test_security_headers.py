"""Security headers on every response, and the Django admin kept to managers."""

from __future__ import annotations

import pytest
from django.test import Client

from supportal.demo.loader import DEMO_PASSWORD, Demo


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/admin/login/", "/no-such-page/"])
def test_responses_carry_a_strict_content_security_policy(client: Client, path: str):
    response = client.get(path)

    policy = _directives(response["Content-Security-Policy"])
    script_src = policy.get("script-src", policy.get("default-src"))
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/admin/login/", "/no-such-page/"])
def test_responses_forbid_framing_and_content_sniffing(client: Client, path: str):
    response = client.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_admin_opens_for_the_manager(client: Client, demo: Demo):
    client.force_login(demo.manager)

    response = client.get("/admin/")

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["agent", "ps", "alice", "bob", "carol"])
def test_admin_sends_everyone_but_managers_to_the_admin_login(
    client: Client, demo: Demo, persona: str
):
    client.force_login(getattr(demo, persona))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("persona", ["agent", "bob"])
def test_admin_login_form_refuses_agents_and_customers(client: Client, demo: Demo, persona: str):
    user = getattr(demo, persona)

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.email, "password": DEMO_PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 200  # the form again, with an error
    assert client.get("/admin/").status_code == 302


def test_admin_login_form_admits_the_manager(client: Client, demo: Demo):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": demo.manager.email, "password": DEMO_PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200

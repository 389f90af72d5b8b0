"""Read-only staff (role "auditor") read what staff read; the walker proves they change
nothing (tests/security/test_authorization_walk.py)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from supportal.accounts.two_factor import second_factor_required

from .world import World, api_token_for, build_world


def _auditor_client(world: World) -> Client:
    client = Client()
    client.force_login(world.auditor)
    return client


def test_an_auditor_reads_the_queue_every_ticket_and_internal_notes(db) -> None:
    world = build_world()
    client = _auditor_client(world)
    assert client.get(reverse("home"))["Location"] == reverse("tickets:queue")
    assert world.ticket.number in client.get(reverse("tickets:queue")).content.decode()
    page = client.get(world.ticket.get_absolute_url()).content.decode()
    assert "Internal: checking the logs." in page
    assert 'class="card form reply-form"' not in page  # no reply form to fill in
    export = client.get(reverse("reports:export_csv"))
    assert world.ticket.number in b"".join(export.streaming_content).decode()
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert client.get(reverse("sla:urgent_report")).status_code == 200


def test_an_auditor_reads_the_api_but_not_the_credentials(db) -> None:
    world = build_world()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(world.auditor)}"}
    api = Client()
    assert api.get(f"/api/v1/tickets/{world.ticket.pk}", **headers).status_code == 200
    replies = api.get(f"/api/v1/tickets/{world.ticket.pk}/replies", **headers).json()
    assert any(reply["internal"] for reply in replies["items"])
    assert api.get("/api/v1/queue", **headers).status_code == 200
    refused = api.get(f"/api/v1/tickets/{world.ticket.pk}/credentials", **headers)
    assert refused.status_code == 403
    page = _auditor_client(world).post(reverse("tickets:credentials", args=[world.ticket.pk]))
    assert page.status_code == 403


def test_an_auditor_needs_a_second_factor_like_staff(db, settings) -> None:
    world = build_world()
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = True
    world.auditor.otp_exempt = False
    assert second_factor_required(world.auditor)
    assert not second_factor_required(world.demo.alice)

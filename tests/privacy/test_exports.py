"""An organization's (or one person's) data, exported as a ZIP by a job, downloadable only
by who may ask for it; secrets and staff notes stay out."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from supportal.privacy import services
from supportal.privacy.exporting import write_export
from supportal.privacy.models import DataExport
from supportal.tickets import services as ticket_services
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def file_ticket(user, subject: str, **fields):
    return make_ticket(user, subject=subject, description="Details.", **fields)


@pytest.fixture
def acme_history(demo):
    """Two Acme tickets (alice's with site credentials and a file, bob's), a public reply,
    an internal note, and a Bright Ink ticket that no Acme export may hold."""
    alice_ticket = file_ticket(demo.alice, "Checkout fails", admin_password="s3cret-pw")
    ticket_services.add_reply(
        ticket=alice_ticket,
        author=demo.alice,
        body="Screenshot attached.",
        uploads=[SimpleUploadedFile("shot.png", PNG, content_type="image/png")],
    )
    ticket_services.add_reply(ticket=alice_ticket, author=demo.agent, body="Looking into it.")
    ticket_services.add_reply(
        ticket=alice_ticket, author=demo.agent, body="NOTE: customer is grumpy", internal=True
    )
    bob_ticket = file_ticket(demo.bob, "Shipping zones")
    return alice_ticket, bob_ticket


def _ask(client, demo, person=None, *, on_commit):
    with on_commit(execute=True):
        response = client.post(
            reverse("privacy:export_request", args=[demo.acme.pk]),
            {"person": person.pk if person else ""},
        )
    assert response.status_code == 302
    return DataExport.objects.latest("pk")


def _download(client, export) -> zipfile.ZipFile:
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_customer_admin_exports_the_organization_and_downloads_it(
    demo, client, acme_history, django_capture_on_commit_callbacks
):
    alice_ticket, bob_ticket = acme_history
    client.force_login(demo.alice)
    export = _ask(client, demo, on_commit=django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY
    assert export.items_done == export.items_total == 3  # two tickets and one file

    archive = _download(client, export)
    names = set(archive.namelist())
    assert {"manifest.json", "organization.json", "people.json", "billing.json"} <= names
    assert {f"tickets/{alice_ticket.pk}.json", f"tickets/{bob_ticket.pk}.json"} <= names
    document = json.loads(archive.read(f"tickets/{alice_ticket.pk}.json"))
    assert [r["body"] for r in document["replies"]] == ["Screenshot attached.", "Looking into it."]
    [attachment] = document["attachments"]
    assert archive.read(attachment["path_in_export"]) == PNG
    everything = b"".join(archive.read(name) for name in names)
    assert b"s3cret-pw" not in everything
    assert b"grumpy" not in everything
    assert b"Bright Ink" not in everything
    people = {p["email"] for p in json.loads(archive.read("people.json"))}
    assert demo.bob.email in people and demo.carol.email not in people
    assert not any("password" in p for p in json.loads(archive.read("people.json")))


def test_one_persons_export_holds_only_their_tickets(
    demo, client, acme_history, django_capture_on_commit_callbacks
):
    alice_ticket, bob_ticket = acme_history
    client.force_login(demo.alice)
    export = _ask(client, demo, demo.bob, on_commit=django_capture_on_commit_callbacks)
    names = set(_download(client, export).namelist())
    assert f"tickets/{bob_ticket.pk}.json" in names
    assert f"tickets/{alice_ticket.pk}.json" not in names
    assert "billing.json" not in names


def test_the_file_is_readable_by_its_owner_only_and_expires(
    demo, client, acme_history, django_capture_on_commit_callbacks
):
    client.force_login(demo.alice)
    export = _ask(client, demo, on_commit=django_capture_on_commit_callbacks)
    path = services.export_path(export)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert services.expire_exports(now=timezone.now() + timedelta(days=8)) == 1
    assert not path.exists()
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 404


def test_progress_shows_while_the_export_is_made(demo, client, acme_history):
    client.force_login(demo.alice)
    export = DataExport.objects.create(
        organization=demo.acme,
        requested_by=demo.alice,
        status=DataExport.Status.RUNNING,
        items_total=4,
        items_done=1,
    )
    page = client.get(reverse("privacy:organization", args=[demo.acme.pk])).content.decode()
    assert 'value="25"' in page and 'hx-trigger="every 2s"' in page
    assert export.percent == 25


def test_asking_twice_while_one_is_pending_makes_one(demo, acme_history):
    first = services.request_export(actor=demo.alice, organization=demo.acme)
    again = services.request_export(actor=demo.alice, organization=demo.acme)
    assert first.pk == again.pk
    assert DataExport.objects.count() == 1


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_others_find_no_page_no_request_and_no_download(
    demo, client, acme_history, persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(actor=demo.alice, organization=demo.acme)
    client.force_login(getattr(demo, persona))
    assert client.get(reverse("privacy:organization", args=[demo.acme.pk])).status_code == 404
    response = client.post(reverse("privacy:export_request", args=[demo.acme.pk]), {})
    assert response.status_code == 404
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 404
    assert DataExport.objects.count() == 1


def test_staff_export_any_organization(
    demo, client, acme_history, django_capture_on_commit_callbacks
):
    client.force_login(demo.agent)
    export = _ask(client, demo, on_commit=django_capture_on_commit_callbacks)
    assert export.requested_by == demo.agent
    assert "manifest.json" in _download(client, export).namelist()


def test_the_export_reads_as_many_rows_for_ten_tickets_as_for_two(demo, acme_history, tmp_path):
    """The job reads each chunk of tickets with what they hold, not ticket by ticket."""

    def queries_for_export(name: str) -> int:
        export = DataExport.objects.create(organization=demo.acme, requested_by=demo.alice)
        with CaptureQueriesContext(connection) as captured:
            write_export(export, str(tmp_path / name), lambda _done: None)
        return len(captured.captured_queries)

    two = queries_for_export("two.zip")
    for n in range(8):
        ticket = file_ticket(demo.bob, f"More {n}")
        ticket_services.add_reply(ticket=ticket, author=demo.agent, body="Answer.")
    ten = queries_for_export("ten.zip")
    assert ten == two

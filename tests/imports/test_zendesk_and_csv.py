"""`supportal import zendesk` (JSON lines, attachments fetched through the outbound guard)
and `supportal import csv`."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from supportal.accounts.models import Organization, User
from supportal.tickets.models import Attachment, Reply, Ticket
from supportal.tickets.search import search_page, search_tickets

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write_lines(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


@pytest.fixture
def file_server(settings):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"log line 1\n")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def zendesk_export(tmp_path, file_server) -> Path:
    write_lines(tmp_path / "organizations.json", [{"id": 901, "name": "Zed Printing"}])
    write_lines(
        tmp_path / "users.json",
        [
            {"id": 1, "name": "Zoe Customer", "email": "zoe@zed.example", "role": "end-user",
             "organization_id": 901},
            {"id": 2, "name": "Ari Agent", "email": "ari@vendor.example", "role": "agent"},
        ],
    )  # fmt: skip
    write_lines(
        tmp_path / "tickets.json",
        [
            {
                "id": 4711, "subject": "Checkout down", "status": "pending",
                "priority": "urgent", "requester_id": 1, "assignee_id": 2,
                "created_at": "2025-06-01T08:00:00Z", "updated_at": "2025-06-02T09:00:00Z",
                "comments": [
                    {"id": 1, "author_id": 1, "body": "Checkout shows an error.",
                     "public": True, "created_at": "2025-06-01T08:00:00Z",
                     "attachments": [{"id": 77, "file_name": "error.log",
                                      "content_type": "text/plain",
                                      "content_url": f"{file_server}/77/error.log"}]},
                    {"id": 2, "author_id": 2, "body": "Looking.", "public": True,
                     "created_at": "2025-06-01T09:00:00Z"},
                    {"id": 3, "author_id": 2, "body": "Plugin conflict?", "public": False,
                     "created_at": "2025-06-01T09:05:00Z"},
                ],
            }
        ],
    )  # fmt: skip
    return tmp_path / "tickets.json"


def test_a_zendesk_export_arrives_with_its_comments_and_files(demo, zendesk_export):
    output = run("zendesk", str(zendesk_export))
    assert "created: 1 organizations, 2 users, 1 tickets, 2 replies, 1 files" in output
    ticket = Ticket.objects.get(number="ZD-4711")
    assert ticket.organization == Organization.objects.get(name="Zed Printing")
    assert (ticket.status, ticket.urgent) == ("pending_customer", True)
    assert ticket.description == "Checkout shows an error."
    assert ticket.assignee.email == "ari@vendor.example"
    assert [(r.body, r.internal) for r in Reply.objects.filter(ticket=ticket)] == [
        ("Looking.", False),
        ("Plugin conflict?", True),
    ]
    [attachment] = Attachment.objects.filter(ticket=ticket)
    assert attachment.reply is None and attachment.file.read() == b"log line 1\n"
    assert run("zendesk", str(zendesk_export)).count("created: 0 organizations") == 1


def test_zendesk_attachments_on_private_addresses_are_refused_not_fetched(
    demo, zendesk_export, settings
):
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    output = run("zendesk", str(zendesk_export))
    assert "skipped: ticket ZD-4711: refusing to connect" in output
    assert not Ticket.objects.filter(number="ZD-4711").exists()  # nothing half-written
    assert not Attachment.objects.exists()


def test_a_csv_with_replies_is_imported_once(demo, tmp_path):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "number,requester_email,requester_name,organization,subject,description,status,"
        "created_at,product,urgent\n"
        'OLD-1,ann@csvshop.example,Ann,CSV Shop,Login fails,"It says, ""wrong password""",'
        "resolved,2023-01-02T10:00:00,pressero,no\n"
        "OLD-2,ben@csvshop.example,,CSV Shop,Rush order,Need it today,open,"
        "2023-01-03T11:00:00+01:00,,yes\n"
    )
    replies = tmp_path / "replies.csv"
    replies.write_text(
        "ticket,author_email,body,created_at,internal\n"
        "OLD-1,helper@vendor.example,Reset it from the login page.,2023-01-02T11:00:00,no\n"
    )
    output = run("csv", str(tickets), "--replies", str(replies))
    assert "created: 1 organizations, 3 users, 2 tickets, 1 replies, 0 files" in output
    first = Ticket.objects.get(number="OLD-1")
    assert first.description == 'It says, "wrong password"'
    assert first.status == "resolved" and first.resolved_at is not None
    assert Ticket.objects.get(number="OLD-2").urgent
    # Imported tickets are found by search at once, replies and requester names included.
    found = search_page(search_tickets(demo.agent, "reset login page")).items
    assert [t.number for t in found] == ["OLD-1"]
    assert [t.number for t in search_page(search_tickets(demo.agent, "ann")).items] == ["OLD-1"]
    assert User.objects.get(email="helper@vendor.example").role == "agent"
    run("csv", str(tickets), "--replies", str(replies))
    assert Ticket.objects.filter(number__startswith="OLD-").count() == 2


def test_a_csv_without_the_needed_columns_is_refused_with_their_names(demo, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("subject,description\nHello,World\n")
    with pytest.raises(CommandError, match="requester_email, organization"):
        run("csv", str(bad))

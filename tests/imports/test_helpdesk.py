"""`supportal import helpdesk` on a database made by the real django-helpdesk (installed
by the bench into bench/.helpdesk-venv), with its attachments."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from supportal.accounts.models import Organization, User
from supportal.imports.models import ImportedRecord
from supportal.tickets.models import Attachment, Reply, Ticket

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def helpdesk_database(tmp_path_factory) -> tuple[str, Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import helpdesk_side

        python = helpdesk_side.ensure_venv()
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"django-helpdesk could not be installed: {exc}")
    finally:
        sys.path.remove(str(ROOT / "bench"))
    folder = tmp_path_factory.mktemp("helpdesk")
    url = f"sqlite:///{folder / 'helpdesk.sqlite3'}"
    media = folder / "media"
    env = {**os.environ, "HELPDESK_DATABASE_URL": url, "HELPDESK_MEDIA_ROOT": str(media)}
    subprocess.run(  # noqa: S603
        [str(python), str(Path(__file__).with_name("make_helpdesk_data.py")),
         str(ROOT / "bench" / "helpdesk_project")],
        check=True, env=env, cwd=folder, capture_output=True,
    )  # fmt: skip
    return url, media


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_tickets_people_and_files_arrive_with_their_dates_and_numbers(demo, helpdesk_database):
    url, media = helpdesk_database
    output = run("helpdesk", url, "--media", str(media))
    assert "created: 2 organizations, 4 users, 3 tickets, 3 replies, 1 files" in output

    shop = Organization.objects.get(name="printshop.example")
    assert set(shop.users.values_list("email", flat=True)) == {
        "pat@printshop.example",
        "lee@printshop.example",
    }
    ticket = Ticket.objects.get(subject="Shipping rates wrong")
    assert ticket.number.startswith("HD-")
    assert ticket.received_at == datetime(2024, 2, 5, 9, 30, tzinfo=UTC)
    assert (ticket.status, ticket.urgent, ticket.organization) == ("open", True, shop)
    assert ticket.product.slug == "pressero"
    sam = ticket.assignee
    assert (sam.email, sam.role, sam.is_active) == ("sam.support@vendor.test", "agent", False)
    assert ticket.first_responded_at == datetime(2024, 2, 5, 10, 0, tzinfo=UTC)
    replies = list(Reply.objects.filter(ticket=ticket).order_by("created_at"))
    assert [(r.author.email, r.internal) for r in replies] == [
        ("sam.support@vendor.test", False),
        ("sam.support@vendor.test", True),
        ("pat@printshop.example", False),
    ]
    [attachment] = Attachment.objects.filter(ticket=ticket)
    assert attachment.reply == replies[2] and attachment.file.read() == b"rates: 0\n"
    assert Ticket.objects.get(subject="Old product licence").status == "closed"
    assert not User.objects.get(email="pat@printshop.example").has_usable_password()


def test_running_it_twice_duplicates_nothing(demo, helpdesk_database):
    url, media = helpdesk_database
    run("helpdesk", url, "--media", str(media))
    counts = (Ticket.objects.count(), Reply.objects.count(), User.objects.count())
    output = run("helpdesk", url, "--media", str(media))
    assert "created: 0 organizations, 0 users, 0 tickets, 0 replies, 0 files" in output
    assert "3 tickets" in output.splitlines()[-1]
    assert (Ticket.objects.count(), Reply.objects.count(), User.objects.count()) == counts


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(demo, helpdesk_database):
    url, media = helpdesk_database
    before = (Ticket.objects.count(), User.objects.count(), Organization.objects.count())
    output = run("helpdesk", url, "--media", str(media), "--dry-run")
    assert "would create: 2 organizations, 4 users, 3 tickets, 3 replies, 1 files" in output
    after = (Ticket.objects.count(), User.objects.count(), Organization.objects.count())
    assert after == before
    assert not ImportedRecord.objects.exists()

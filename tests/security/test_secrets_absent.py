"""A customer's site passwords go in once and come out only through the audited reveal.

Two tickets with credentials are filed (the portal form and the API) with every log
record captured at DEBUG, SQL included (``django.db.backends`` with the debug cursor on);
staff and the customer reply (notifications are written and sent), staff reveal the
credentials on the page and over the API, the customer and staff export CSV and XLSX and
search. The passwords must then appear nowhere but in the two reveal answers: not in the
logs, the audit trail's payloads, the mails sent, the notification outbox, the exports,
the search results, the pages and API answers customers get, an error report, or any
column of any table in clear."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from supportal.demo.loader import Demo
from supportal.tickets.hooks import hooks
from supportal.tickets.models import AuditEvent, Ticket

from .world import api_token_for

ADMIN_PASSWORD = "Adm1n-Sekrit-4431-xyzzy"
SITE_PASSWORD = "S1te-Sekrit-7719-plugh"
SECRETS = (ADMIN_PASSWORD, SITE_PASSWORD)


class Collector(logging.Handler):
    """Every record, formatted as a handler would write it (message, args, traceback)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.lines.append(repr(record.__dict__))


@pytest.fixture
def captured_logs() -> Iterator[Collector]:
    collector = Collector()
    root = logging.getLogger()
    sql = logging.getLogger("django.db.backends")
    saved = (root.level, sql.level, connection.force_debug_cursor)
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # SQL and its parameters are logged at DEBUG
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        root.setLevel(saved[0])
        sql.setLevel(saved[1])
        connection.force_debug_cursor = saved[2]


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def _every_row_in_clear() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            chunks.append(repr(cursor.fetchall()))
    return "".join(chunks)


def test_credentials_appear_only_in_the_audited_reveal(
    demo: Demo, captured_logs: Collector, django_capture_on_commit_callbacks
) -> None:
    alice, agent = Client(), Client()
    alice.force_login(demo.alice)
    agent.force_login(demo.agent)
    bob_token = api_token_for(demo.bob)
    agent_token = api_token_for(demo.agent)
    bob_api = {"HTTP_AUTHORIZATION": f"Bearer {bob_token}"}
    agent_api = {"HTTP_AUTHORIZATION": f"Bearer {agent_token}"}
    seen: list[tuple[str, str]] = []  # (where, text) that must not hold a secret

    with django_capture_on_commit_callbacks(execute=True):
        filed = alice.post(
            reverse("tickets:new"),
            {
                "product": "pressero",
                "kind": "bug",
                "subject": "Checkout broken on the storefront",
                "description": "Customers cannot pay.",
                "site_name": "Acme Storefront",
                "site_url": "https://store.acmeprint.test",
                "admin_username": "acme-admin",
                "admin_password": ADMIN_PASSWORD,
                "site_user_username": "buyer",
                "site_user_password": SITE_PASSWORD,
                "steps": "Pay by card.",
            },
        )
    assert filed.status_code == 302, filed.content
    portal_ticket = Ticket.objects.get(subject="Checkout broken on the storefront")
    assert portal_ticket.admin_password == ADMIN_PASSWORD  # stored (encrypted), readable

    with django_capture_on_commit_callbacks(execute=True):
        created = Client().post(
            "/api/v1/tickets",
            {
                "product": "pressero",
                "kind": "question",
                "subject": "Shipping table question",
                "description": "Where is it?",
                "admin_username": "acme-admin",
                "admin_password": ADMIN_PASSWORD,
                "site_user_password": SITE_PASSWORD,
            },
            content_type="application/json",
            **bob_api,
        )
    assert created.status_code == 201, created.content
    seen.append(("API answer to filing", created.content.decode()))
    api_ticket = Ticket.objects.get(pk=created.json()["id"])

    for ticket in (portal_ticket, api_ticket):
        with django_capture_on_commit_callbacks(execute=True):
            staff_reply = agent.post(ticket.get_absolute_url(), {"body": "Looking at it now."})
        assert staff_reply.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        customer_reply = Client().post(
            f"/api/v1/tickets/{api_ticket.pk}/replies",
            {"body": "Thanks, here is more detail."},
            content_type="application/json",
            **bob_api,
        )
    assert customer_reply.status_code == 201

    # The one place they come out: the audited reveal, to staff.
    revealed = agent.post(reverse("tickets:credentials", args=[portal_ticket.pk]))
    assert ADMIN_PASSWORD in revealed.content.decode()
    revealed_api = Client().get(f"/api/v1/tickets/{api_ticket.pk}/credentials", **agent_api)
    assert revealed_api.json()["admin_password"] == ADMIN_PASSWORD
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREDENTIALS_VIEWED).count() == 2

    # What customers see, exports and searches.
    seen.append(
        ("the customer's ticket page", alice.get(portal_ticket.get_absolute_url()).content.decode())
    )
    seen.append(
        ("the staff ticket page", agent.get(portal_ticket.get_absolute_url()).content.decode())
    )
    for path in (f"/api/v1/tickets/{api_ticket.pk}", f"/api/v1/tickets/{api_ticket.pk}/replies"):
        seen.append((path, Client().get(path, **bob_api).content.decode()))
        seen.append((path, Client().get(path, **agent_api).content.decode()))
    for client, who in ((alice, "customer"), (agent, "staff")):
        csv = client.get(reverse("reports:export_csv"))
        seen.append((f"{who} CSV export", b"".join(csv.streaming_content).decode()))
        xlsx = client.get(reverse("reports:export_xlsx"))
        seen.append((f"{who} XLSX export", _xlsx_text(b"".join(xlsx.streaming_content))))
        found = client.get(reverse("reports:tickets"), {"text": "Checkout"})
        assert portal_ticket.number in found.content.decode()
        seen.append((f"{who} search results", found.content.decode()))
        typed = len(captured_logs.lines)
        by_secret = client.get(reverse("reports:tickets"), {"text": ADMIN_PASSWORD})
        assert portal_ticket.number not in by_secret.content.decode(), "found by its password"
        del captured_logs.lines[typed:]  # the SQL log holds what was typed into the search
    api_csv = Client().get("/api/v1/reports/tickets.csv", **agent_api)
    seen.append(("API CSV export", b"".join(api_csv.streaming_content).decode()))
    typed = len(captured_logs.lines)
    kb = Client().get("/api/v1/kb/search", {"q": ADMIN_PASSWORD}, **agent_api)
    assert kb.status_code == 200 and kb.json()["items"] == []
    del captured_logs.lines[typed:]  # the SQL log holds what was typed into the search

    # Notifications: the mails sent and the outbox rows they came from.
    assert mail.outbox, "notifications were sent"
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        seen.append((f"mail to {message.to}", "\n".join(parts)))
    from supportal.intake.models import OutboundEmail

    for outbound in OutboundEmail.objects.all():
        seen.append((f"outbox row {outbound.pk}", outbound.body_text + outbound.body_html))
    for event in AuditEvent.objects.all():
        seen.append((f"audit event {event.action}", json.dumps(event.data)))

    seen.append(("the logs", "\n".join(captured_logs.lines)))
    assert any("INSERT" in line for line in captured_logs.lines), "SQL was logged"
    seen.append(("every table, in clear", _every_row_in_clear()))

    leaks = [(where, _leaks(text)) for where, text in seen if _leaks(text)]
    assert not leaks, leaks


def test_an_error_report_while_filing_does_not_show_the_credentials(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash inside ``open_ticket`` (here: a hook that fails) produces the error
    report Django mails to admins or shows with DEBUG on; its POST data and the local
    variables of the frames it lists must not hold the passwords."""

    def crash(*, ticket: object) -> None:
        raise RuntimeError("hook failed")

    monkeypatch.setattr(hooks, "classify_billing", crash)
    request = RequestFactory().post(
        reverse("tickets:new"),
        {
            "product": "pressero",
            "kind": "question",
            "subject": "Crash while filing",
            "description": "x",
            "admin_password": ADMIN_PASSWORD,
            "site_user_password": SITE_PASSWORD,
        },
    )
    request.user = demo.alice
    request.session = {}  # type: ignore[assignment]
    from supportal.tickets.views import ticket_new

    with pytest.raises(RuntimeError) as caught:
        ticket_new(request)
    report = ExceptionReporter(request, caught.type, caught.value, caught.tb, is_email=True)
    text, html = report.get_traceback_text(), report.get_traceback_html()
    assert "hook failed" in text  # the report is there, with its frames
    assert not _leaks(text), "the plain-text report shows a password"
    assert not _leaks(html), "the HTML report shows a password"


def test_the_api_input_and_the_draft_keep_the_passwords_out_of_their_repr() -> None:
    """Error reports and debuggers print the locals of the API handler and the service."""
    from supportal.api.schemas import TicketIn
    from supportal.tickets.services import TicketDraft

    payload = TicketIn(
        product="pressero",
        kind="question",
        subject="s",
        description="d",
        admin_password=ADMIN_PASSWORD,
        site_user_password=SITE_PASSWORD,
    )
    draft = TicketDraft(
        product="pressero",
        kind="question",
        subject="s",
        description="d",
        admin_password=ADMIN_PASSWORD,
        site_user_password=SITE_PASSWORD,
    )
    assert payload.admin_password == draft.admin_password == ADMIN_PASSWORD
    assert not _leaks(repr(payload)) and not _leaks(str(payload)) and not _leaks(repr(draft))

"""The authorization walker: every URL pattern and every API operation, requested by every
role that should not use it, with the IDs of Acme Print's objects.

- carol (Bright Ink) gets 404 for anything of Acme's: never 403, which would confirm it
  exists (API.md: a resource the caller may not see answers 404);
- bob (a plain Acme customer) gets 404 for alice's ticket, chat, notices and statements;
- alice (Acme's customer admin) gets 403 or 404 on staff-only routes;
- the auditor (read-only staff) reads but every write answers 403 (or 404 where the
  object is hidden from them) outside their own account;
- anonymous requests go to the login page (pages) or get 401 (API).

Each route gets one GET and one POST per role (the API: its documented method). Around
every unsafe request the test records the SQL that ran (no INSERT, UPDATE or DELETE may
touch a data table) and compares every model's row count; around every route it compares
a digest of every row of every data table, so an update is caught as well as an insert.

Routes anyone may use, or that authenticate by their own means, are listed below with the
reason. Everything else is refused to the walker's roles unless ``ALLOWED`` names them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from supportal.accounts.models import User
from supportal.api.urls import api

from .walker import TOUCHED_BY_EVERY_REQUEST, Route, changes, fill, page_routes, snapshot
from .world import World, api_token_for, build_world

ROLES = ("anonymous", "carol", "bob", "alice", "auditor")

# --- The allow-list: routes that are not walked as refused --------------------------------

# Anyone, signed in or not, may use these.
PUBLIC = {
    "home": "redirects to the login page or to the user's start page",
    "healthz": "liveness probe for load balancers",
    "readyz": "readiness probe for load balancers",
    "accounts:login": "the login page",
    "accounts:two_factor": "the second login step; without a pending login it goes back",
    "accounts:password_reset": "password reset: same answer for every address, throttled",
    "accounts:password_reset_done": "static confirmation page",
    "accounts:password_reset_complete": "static confirmation page",
    "news:feed_rss": "the public news feed (published posts only)",
    "news:feed_atom": "the public news feed (published posts only)",
    "status:page": "the public status page",
    "status:summary": "the public status summary",
    "status:feed_rss": "the public status feed",
    "status:feed_atom": "the public status feed",
    "status:incident": "incidents are published on the public status page",
    "status:subscribe": "anyone may subscribe to status mail (confirmed by a mailed link)",
    "api:openapi-json": "the API documentation",
    "api:openapi-view": "the API documentation",
    "api:api-root": "the API's root",
    "admin:login": "the admin's login form (managers only get further)",
    "admin:logout": "ends one's own session",
    "chat:embed": "the chat widget's shell page; its token endpoint authenticates",
    "contact": "the public contact page (phone line, hours, holidays)",
    "javascript-catalog": "the JavaScript strings in the reader's language",
    "accounts:switch_language": "the footer's language switch: a visitor's choice is a cookie, "
    "a signed-in person's is saved on their own account",
    "sso:login": "starts a sign-in at an active identity provider (404 for any other)",
    "sso:callback": "the provider's answer: signs in only with a code the provider issued",
}

# The secret in the URL is the credential: the walker sends a wrong one, which must change
# nothing (and find nothing). Their own tests cover the right token.
TOKEN_LINKS = {
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "wrong-token"},
    "news:confirm": {"token": "wrong-token"},
    "news:unsubscribe": {"token": "wrong-token"},
    "status:confirm": {"token": "wrong-token"},
    "status:unsubscribe": {"token": "wrong-token"},
    "accounts:accept_invitation": {"token": "wrong-token"},
    # The survey's signed token travels in ?t= (GET) or the form's t (POST): none is sent.
    "csat:answer": {"score": "5"},
    "csat:update": {},
}

# Webhooks authenticate by signature: an unsigned POST must be refused and change nothing,
# whoever's session comes along.
SIGNED_HOOKS = {
    "intake:twilio_recording": "X-Twilio-Signature (tests/intake)",
    "intake:mailgun_inbound": "Mailgun signature; 404 while no signing key is configured",
}

# Any signed-in user acts on their own account here (and an auditor may too).
SELF_SERVICE = {
    "accounts:logout": "ends one's own session",
    "accounts:security": "one's own second factor and API tokens",
    "accounts:language": "one's own language and time zone",
    "intake:preferences": "one's own notification preferences",
    "news:subscribe": "one's own blog subscription",
    "ideas:follow": "following an idea is a notification preference",
}

# Shared by every signed-in user (not any organization's): reading is fine for all; customers
# may also act (vote, comment, register for a group training, start their own chat, file
# their own ticket). Lists here are filtered to what the caller may see, which other tests
# check (tests/tickets, tests/reports, tests/chat). The auditor's writes are still refused.
SHARED = {
    "tickets:list": "the caller's own tickets (filtered by tickets_visible_to)",
    "tickets:new": "customers file their own tickets",
    "tickets:search": "the caller's own tickets (filtered by tickets_visible_to)",
    "kb:index": "published articles",
    "kb:docs": "published documentation",
    "kb:videos": "published videos",
    "kb:suggest": "published articles matching what is typed",
    "kb:training": "the training calendar",
    "kb:one_on_one": "customers request their own training",
    "kb:register": "customers reserve a seat at a group training",
    "kb:unregister": "customers give their seat back",
    "chat:start": "customers start their own chat",
    "chat:history": "the caller's own chats",
    "chat:embed_token": "a token naming the calling customer",
    "billing:home": "redirects to what the caller may see, else 404",
    "news:list": "published posts",
    "ideas:board": "the ideas board is shared (who asked stays private)",
    "ideas:detail": "the ideas board is shared",
    "ideas:create": "customers propose ideas",
    "ideas:vote": "customers vote on any idea",
    "ideas:comment": "customers comment on any idea",
    "reports:index": "redirects to the caller's own ticket report",
    "reports:tickets": "the caller's own tickets",
    "reports:export_csv": "the caller's own tickets",
    "reports:export_xlsx": "the caller's own tickets",
}

# Anonymous requests to these get 404, not the login page: they serve the embedded chat
# widget too, which authenticates with a signed token instead of a session.
ANONYMOUS_NOT_FOUND = {"chat:file", "chat:embed_start", "chat:embed_upload"}

# Walker roles that may use a route with Acme's IDs (method -> roles). Anything not named
# is refused to every walker role.
ALLOWED: dict[str, dict[str, set[str]]] = {
    "tickets:detail": {"GET": {"alice", "auditor"}, "POST": {"alice"}},
    "tickets:attachment": {"GET": {"alice", "auditor"}},
    "tickets:queue": {"GET": {"auditor"}},
    "tickets:view_counts": {"GET": {"auditor"}},
    "sla:urgent_report": {"GET": {"auditor"}},
    "reports:dashboard": {"GET": {"auditor"}},
    "reports:figure_csv": {"GET": {"auditor"}},
    "accounts:revoke_token": {"POST": {"alice"}},  # alice's own token
    "kb:suggestion_solved": {"POST": {"alice"}},  # alice's own suggestion
    "chat:detail": {"GET": {"alice"}},
    "chat:file": {"GET": {"alice"}},
    "chat:upload": {"POST": {"alice"}},
    "chat:end": {"POST": {"alice"}},
    "billing:organization": {"GET": {"alice"}},
    "accounts:my_organization": {"GET": {"alice"}},  # redirects to her organization
    "accounts:organization": {"GET": {"alice"}, "POST": {"alice"}},  # her people, invite
    "accounts:member_activation": {"POST": {"alice"}},  # she deactivates Acme's people
    "accounts:invitation_revoke": {"POST": {"alice"}},  # she withdraws Acme's invitations
    "billing:statement": {"GET": {"alice"}},
    "billing:statement_csv": {"GET": {"alice"}},
    "billing:statement_pdf": {"GET": {"alice"}},
    "billing:acknowledge_calculator": {"POST": {"alice"}},
    "billing:reveal_calculator": {"POST": {"alice"}},
    "billing:request_rush": {"POST": {"alice"}},
    "billing:accept_notice": {"POST": {"alice"}},
    "billing:decline_notice": {"POST": {"alice"}},
    # alice (Acme's admin) confirms the numbers her colleagues call from (bob's).
    "intake:organization_phones": {"GET": {"alice"}},
    "intake:organization_phone_confirm": {"POST": {"alice"}},
    # alice exports Acme's data (erasing is for managers only).
    "privacy:organization": {"GET": {"alice"}},
    "privacy:export_request": {"POST": {"alice"}},
    "privacy:export_download": {"GET": {"alice"}},
}

# Routes whose path holds something of Acme's (or of alice's): the refusal must be 404.
HIDDEN_OBJECT = re.compile(
    r"<(?:int:)?(ticket_id|attachment_id|token_id|chat_id|file_id|organization_id|notice_id|"
    r"inbound_id|outbound_id|voicemail_id|event_id|article_id|member_id|invitation_id|"
    r"phone_id|export_id)>|<str:token>|<slug:slug>"
)

# One form body that a legitimate user's POST would get past validation with on most
# forms, so that a missing check would show up as a change, not as a form error.
FORM = {
    "body": "Walker text",
    "note": "Walker note",
    "message": "Walker message",
    "reason": "Walker reason",
    "status": "resolved",
    "minutes": "15",
    "category": "support",
    "estimate_minutes": "60",
    "title": "Walker title",
    "description": "Walker description",
    "subject": "Walker subject",
    "product": "pressero",
    "kind": "question",
    "question": "Walker question",
    "email": "walker@example.test",
    "amount": "10.00",
    "helpful": "1",
    "details": "Walker details",
    "name": "Walker",
    "impact": "minor",
    "available": "on",
    "password": "walker-calculator",
    "needed_by": "2030-01-01",
    "due_on": "2030-01-01",
    "q": "shipping",
    "new_title": "Walker idea",
}

WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _bookkeeping_tables() -> set[str]:
    from django.apps import apps

    return {apps.get_model(label)._meta.db_table for label in TOUCHED_BY_EVERY_REQUEST}


@dataclass
class Outcome:
    role: str
    method: str
    path: str
    status: int
    location: str
    written: list[str]
    counts_changed: list[str]

    def __str__(self) -> str:
        where = f" -> {self.location}" if self.location else ""
        return f"{self.role} {self.method} {self.path}: {self.status}{where}"


class Walker:
    def __init__(self, world: World):
        self.world = world
        self.clients: dict[str, Client] = {}
        for role in ROLES:
            client = Client()
            user = self.user(role)
            if user is not None:
                client.force_login(user)
            self.clients[role] = client
        self.bookkeeping = _bookkeeping_tables()
        self.tokens = {
            role: api_token_for(self.user(role)) for role in ROLES if role != "anonymous"
        }

    def user(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        if role == "auditor":
            return self.world.auditor
        return getattr(self.world.demo, role)

    def counts(self) -> dict[str, int]:
        from django.apps import apps

        tables = sorted(
            {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
            - self.bookkeeping
        )
        sql = " UNION ALL ".join(
            f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}"  # noqa: S608
            for t in tables
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return dict(cursor.fetchall())

    def request(self, role: str, method: str, path: str, **extra) -> Outcome:
        client = self.clients[role]
        before = self.counts() if method != "GET" else None
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method.lower())(path, **extra)
        written = []
        for query in queries.captured_queries:
            match = WRITE_SQL.match(query["sql"])
            if match and match.group(2) not in self.bookkeeping:
                written.append(f"{match.group(1).split()[0]} {match.group(2)}")
        counts_changed = changes(before, self.counts()) if before is not None else []
        return Outcome(
            role,
            method,
            path,
            response.status_code,
            response.get("Location", "") if response.status_code in (301, 302) else "",
            written,
            counts_changed,
        )


@pytest.fixture
def walker(db) -> Walker:
    return Walker(build_world())


def _walked_page_routes() -> Iterator[Route]:
    for route in page_routes():
        if route.name.startswith("api:") and route.name not in PUBLIC:
            continue  # walked from the OpenAPI document below
        yield route


def _values_for(route: Route, world: World) -> dict[str, str]:
    values = dict(world.kwargs)
    if route.name in TOKEN_LINKS:
        values.update({f"{route.name}:{k}": v for k, v in TOKEN_LINKS[route.name].items()})
    if route.name.startswith("admin:"):
        values.update(
            {"object_id": "1", "pk": "1", "id": "1", "content_type_id": "1", "app_label": "tickets"}
        )
    return values


def _refusal_problem(route: Route, outcome: Outcome) -> str | None:
    """Why this outcome is not a clean refusal, or None."""
    if outcome.written or outcome.counts_changed:
        return f"changed {outcome.written or outcome.counts_changed}"
    status = outcome.status
    if status >= 500:
        return "server error"
    if route.name.startswith("admin:"):
        ok = status == 302 and outcome.location.startswith("/admin/login/")
        # The read-only gate refuses an auditor's POST before the admin sees it.
        ok = ok or (outcome.role == "auditor" and outcome.method == "POST" and status == 403)
        return None if ok else "the admin must send non-managers to its login"
    if outcome.role == "anonymous":
        if route.name in ANONYMOUS_NOT_FOUND:
            return None if status in (404, 405) else "expected 404"
        ok = status == 302 and outcome.location.startswith("/accounts/login/")
        return None if ok or status in (401, 405) else "expected the login page or 401"
    if status == 405:
        return None  # the wrong method: nothing shown, nothing done
    hides_object = bool(HIDDEN_OBJECT.search(route.pattern))
    if outcome.role in ("carol", "bob") and hides_object:
        return None if status == 404 else "expected 404 (the object must stay invisible)"
    return None if status in (403, 404) else "expected 403 or 404"


def test_every_page_refuses_every_role_that_should_not_use_it(walker: Walker) -> None:
    world = walker.world
    problems: list[str] = []
    walked = 0
    for route in _walked_page_routes():
        if route.name in PUBLIC:
            continue
        path = fill(route, _values_for(route, world))
        digest = snapshot()
        roles = ("anonymous", "alice", "auditor") if route.name.startswith("admin:") else ROLES
        for role in roles:
            for method in ("GET", "POST"):
                if role == "anonymous" and route.name in SELF_SERVICE | SHARED.keys():
                    pass  # anonymous is refused even here
                elif (
                    route.name in SELF_SERVICE
                    or route.name in SHARED
                    and (method == "GET" or role != "auditor")
                    or role in ALLOWED.get(route.name, {}).get(method, set())
                ):
                    continue
                if route.name in TOKEN_LINKS or route.name in SIGNED_HOOKS:
                    outcome = walker.request(role, method, path, data=FORM)
                    if outcome.written or outcome.counts_changed or outcome.status >= 500:
                        problems.append(f"{outcome}: changed {outcome.written}")
                    continue
                outcome = walker.request(role, method, path, data=FORM)
                walked += 1
                problem = _refusal_problem(route, outcome)
                if problem:
                    problems.append(f"{route.name}: {outcome}: {problem}")
        changed = changes(digest, snapshot())
        if changed:
            problems.append(f"{route.name}: rows changed in {changed}")
    assert not problems, "\n".join(problems)
    assert walked > 1000


# --- The JSON API ---------------------------------------------------------------------------

# Walker roles that may call an operation with Acme's IDs.
API_ALLOWED: dict[str, set[str]] = {
    "POST /api/v1/auth/token": set(ROLES),  # credentials in the body (wrong ones here)
    "DELETE /api/v1/auth/token": set(ROLES) - {"anonymous"},  # revokes the caller's token
    "GET /api/v1/me": set(ROLES) - {"anonymous"},
    "GET /api/v1/tickets": set(ROLES) - {"anonymous"},  # filtered to the caller
    "POST /api/v1/tickets": {"alice", "bob", "carol"},  # customers file their own
    "GET /api/v1/tickets/{ticket_id}": {"alice", "auditor"},
    "GET /api/v1/tickets/{ticket_id}/replies": {"alice", "auditor"},
    "POST /api/v1/tickets/{ticket_id}/replies": {"alice"},
    "GET /api/v1/queue": {"auditor"},
    "GET /api/v1/tickets/search": set(ROLES) - {"anonymous"},  # filtered to the caller
    "GET /api/v1/views": {"auditor"},  # the queue and team views, read only
    "GET /api/v1/tickets/{ticket_id}/tags": {"auditor"},
    "GET /api/v1/kb/search": set(ROLES) - {"anonymous"},  # published only
    "GET /api/v1/chat/eligibility": set(ROLES) - {"anonymous"},
    "POST /api/v1/notices/{notice_id}/accept": {"alice"},
    "POST /api/v1/notices/{notice_id}/decline": {"alice"},
    "GET /api/v1/billing/expert-hours": {"alice"},
    "GET /api/v1/tickets/{ticket_id}/billing": {"alice", "auditor"},  # who sees the ticket
    "GET /api/v1/ideas": set(ROLES) - {"anonymous"},  # the shared board
    "GET /api/v1/fields": set(ROLES) - {"anonymous"},  # customers: the fields they fill in
    "GET /api/v1/tickets/{ticket_id}/fields": {"alice", "auditor"},  # who sees the ticket
    "GET /api/v1/tickets/{ticket_id}/links": {"alice", "auditor"},
    "GET /api/v1/ideas/{idea_id}": set(ROLES) - {"anonymous"},
    "POST /api/v1/ideas/{idea_id}/vote": {"alice", "bob", "carol"},
    "DELETE /api/v1/ideas/{idea_id}/vote": {"alice", "bob", "carol"},
    "POST /api/v1/ideas": {"alice", "bob", "carol"},
    "GET /api/v1/reports/tickets.csv": set(ROLES) - {"anonymous"},  # the caller's tickets
}

# Operations on something of Acme's (or alice's): carol and bob must get 404.
API_HIDDEN = re.compile(r"\{(ticket_id|notice_id|article_id|delivery_id)\}")


def _api_bodies(world: World) -> dict[str, dict]:
    """A valid body for every API write, so that validation (422) cannot hide a refusal."""
    other_idea = world.kwargs["idea_id"]
    return {
        "POST /api/v1/auth/token": {"email": world.demo.alice.email, "password": "wrong"},
        "POST /api/v1/tickets": {
            "product": "pressero",
            "kind": "question",
            "subject": "Walker",
            "description": "Walker",
        },
        "POST /api/v1/tickets/{ticket_id}/replies": {"body": "Walker reply"},
        "POST /api/v1/tickets/{ticket_id}/status": {"status": "resolved"},
        "POST /api/v1/tickets/{ticket_id}/downgrade": {"note": "Walker note"},
        "POST /api/v1/tickets/{ticket_id}/urgent": {"reason": "cannot_order", "note": "Walker"},
        "POST /api/v1/tickets/{ticket_id}/assign": {"assignee_id": world.demo.agent.pk},
        "POST /api/v1/kb/articles": {
            "title": "Walker",
            "body": "Walker",
            "product": "pressero",
            "published": True,
        },
        "POST /api/v1/tickets/{ticket_id}/time": {"minutes": 15, "category": "support"},
        "POST /api/v1/tickets/{ticket_id}/notices": {
            "category": "ps_admin",
            "estimate_minutes": 60,
            "message": "Walker",
        },
        "POST /api/v1/ideas": {"title": "Walker idea"},
        "POST /api/v1/views": {"name": "Walker", "query": "is:open"},
        "POST /api/v1/tickets/bulk": {
            "ticket_ids": [int(world.kwargs["ticket_id"])],
            "action": "tag",
            "value": "walker",
        },
        "POST /api/v1/tickets/{ticket_id}/tags": {"name": "walker"},
        "POST /api/v1/ideas/{idea_id}/merge": {"into_id": int(other_idea) + 1},
        "POST /api/v1/tickets/{ticket_id}/fields": {"values": {}},
        "POST /api/v1/tickets/{ticket_id}/merge": {"into": int(world.kwargs["other_ticket_id"])},
        "POST /api/v1/tickets/{ticket_id}/replies/{reply_id}/split": {"subject": "Walker split"},
        "POST /api/v1/macros": {"name": "Walker macro", "body": "Hello"},
        "POST /api/v1/tickets/{ticket_id}/macros/{macro_id}/apply": {"body": "Walker reply"},
    }


def _api_operations() -> Iterator[tuple[str, str]]:
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield method.upper(), path


def test_every_api_operation_refuses_every_role_that_should_not_use_it(walker: Walker) -> None:
    world = walker.world
    bodies = _api_bodies(world)
    values = {
        "ticket_id": world.kwargs["ticket_id"],
        "notice_id": world.kwargs["api:notice_id"],
        "delivery_id": world.kwargs["api:delivery_id"],
        "article_id": world.kwargs["api:article_id"],
        "idea_id": world.kwargs["idea_id"],
        "macro_id": world.kwargs["macro_id"],
        "reply_id": world.kwargs["reply_id"],
        "view_id": world.kwargs["view_id"],
        "name": world.kwargs["name"],
    }
    problems: list[str] = []
    operations = list(_api_operations())
    assert len(operations) >= 30
    for method, template in operations:
        key = f"{method} {template}"
        path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        digest = snapshot()
        for role in ROLES:
            if role in API_ALLOWED.get(key, set()):
                continue
            headers = {}
            if role != "anonymous":
                headers["Authorization"] = f"Bearer {walker.tokens[role]}"
            extra: dict = {"headers": headers}
            if key in bodies:
                extra.update(data=bodies[key], content_type="application/json")
            outcome = walker.request(role, method, path, **extra)
            problem = _api_refusal_problem(template, method, outcome)
            if problem:
                problems.append(f"{key}: {outcome}: {problem}")
        changed = changes(digest, snapshot())
        if changed:
            problems.append(f"{key}: rows changed in {changed}")
    assert not problems, "\n".join(problems)


def _api_refusal_problem(template: str, method: str, outcome: Outcome) -> str | None:
    if method != "GET" and (outcome.written or outcome.counts_changed):
        return f"changed {outcome.written or outcome.counts_changed}"
    status = outcome.status
    if status >= 500:
        return "server error"
    if outcome.role == "anonymous":
        return None if status == 401 else "expected 401"
    if outcome.role in ("carol", "bob") and API_HIDDEN.search(template):
        return None if status == 404 else "expected 404 (the object must stay invisible)"
    return None if status in (403, 404) else "expected 403 or 404"


def test_the_allow_lists_name_only_routes_that_exist() -> None:
    names = {route.name for route in page_routes()}
    listed = (
        set(PUBLIC)
        | set(TOKEN_LINKS)
        | set(SIGNED_HOOKS)
        | set(SELF_SERVICE)
        | set(SHARED)
        | set(ALLOWED)
        | ANONYMOUS_NOT_FOUND
    )
    assert listed <= names, listed - names
    operations = {f"{m} {p}" for m, p in _api_operations()}
    assert set(API_ALLOWED) <= operations, set(API_ALLOWED) - operations


def test_without_the_read_only_gate_an_auditor_still_changes_nothing(
    walker: Walker, monkeypatch
) -> None:
    """Defence in depth: with the gate (``accounts.read_only``) switched off, every write an
    auditor sends is still refused by the services, which check ``is_support_staff`` (not
    true of auditors) or ``is_customer``. The answer may then be a form error or a message
    instead of 403, but nothing changes and nothing fails."""
    from supportal.accounts import read_only

    monkeypatch.setattr(read_only, "is_read_only", lambda user: False)
    world = walker.world
    problems: list[str] = []
    for route in _walked_page_routes():
        if route.name in PUBLIC | SELF_SERVICE | TOKEN_LINKS | SIGNED_HOOKS:
            continue
        path = fill(route, _values_for(route, world))
        digest = snapshot()
        outcome = walker.request("auditor", "POST", path, data=FORM)
        if outcome.written or outcome.counts_changed or outcome.status >= 500:
            problems.append(f"{route.name}: {outcome}: {outcome.written}")
        if changes(digest, snapshot()):
            problems.append(f"{route.name}: rows changed in {changes(digest, snapshot())}")
    bodies = _api_bodies(world)
    values = {
        "ticket_id": world.kwargs["ticket_id"],
        "notice_id": world.kwargs["api:notice_id"],
        "delivery_id": world.kwargs["api:delivery_id"],
        "article_id": world.kwargs["api:article_id"],
        "idea_id": world.kwargs["idea_id"],
        "macro_id": world.kwargs["macro_id"],
        "reply_id": world.kwargs["reply_id"],
        "view_id": world.kwargs["view_id"],
        "name": world.kwargs["name"],
    }
    headers = {"Authorization": f"Bearer {walker.tokens['auditor']}"}
    for method, template in _api_operations():
        if method == "GET" or template == "/api/v1/auth/token":
            continue
        key = f"{method} {template}"
        path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        extra: dict = {"headers": headers}
        if key in bodies:
            extra.update(data=bodies[key], content_type="application/json")
        outcome = walker.request("auditor", method, path, **extra)
        if outcome.written or outcome.counts_changed or outcome.status >= 500:
            problems.append(f"{key}: {outcome}: {outcome.written}")
    assert not problems, "\n".join(problems)

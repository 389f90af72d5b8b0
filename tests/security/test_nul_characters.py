"""NUL characters in input never reach the database (PostgreSQL text cannot hold them).

Every page of the walker's world (``tests/security/world.py``) is opened as each role; every
form on it is sent back with a NUL character in every field (its query string for GET
forms, an urlencoded body for POST forms), every page is asked again with a NUL in the
query parameters the pages read, and the token links get one in their path. Nothing may
answer a server error. On PostgreSQL before ``supportal.core.middleware.NulCharacterMiddleware``
the search box of the ticket list, the chat history search, the KB search and the login
form (axes records the attempted username) answered 500."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from axes.models import AccessAttempt
from django.test import Client

from supportal.demo.loader import DEMO_PASSWORD

from .walker import fill, page_routes
from .world import build_world

NUL = "\x00"
ROLES = ("anonymous", "bob", "alice", "agent", "manager")
# Query parameters the pages read outside their forms (filters, cursors, searches, next).
QUERY_PARAMETERS = ("q", "cursor", "status", "product", "kind", "page", "next", "weeks", "month")
# Routes not sent forms: leaving would end the walk's session.
SKIPPED = {"accounts:logout"}
TOKEN_LINKS = {
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": f"wrong{NUL}token"},
    "news:confirm": {"token": f"wrong{NUL}token"},
    "news:unsubscribe": {"token": f"wrong{NUL}token"},
    "status:confirm": {"token": f"wrong{NUL}token"},
    "status:unsubscribe": {"token": f"wrong{NUL}token"},
}


class _Forms(HTMLParser):
    """The forms of a page: (method, action, field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[str]]] = []
        self._current: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = (
                attributes.get("method", "get").lower(),
                attributes.get("action", ""),
                [],
            )
            self.forms.append(self._current)
        elif tag in ("input", "textarea", "select") and self._current is not None:
            name = attributes.get("name")
            kind = attributes.get("type", "").lower()
            if name and name != "csrfmiddlewaretoken" and kind not in ("file", "submit"):
                self._current[2].append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _forms_of(html: str) -> list[tuple[str, str, list[str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def world(db):
    return build_world()


def _client(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(getattr(world.demo, role))
    return client


def _routes(world):
    for route in page_routes():
        if route.name.startswith(("admin:", "api:")) or route.name in SKIPPED:
            continue
        values = dict(world.kwargs)
        values.update(
            {
                f"{route.name}:{k}": v.replace(NUL, "")
                for k, v in TOKEN_LINKS.get(route.name, {}).items()
            }
        )
        try:
            yield route, fill(route, values)
        except KeyError:
            continue


def test_no_page_form_or_query_parameter_answers_500_to_a_nul_character(world) -> None:
    problems: list[str] = []
    sent = 0

    def check(response, what: str) -> None:
        nonlocal sent
        sent += 1
        if response.status_code >= 500:
            problems.append(f"{what}: {response.status_code}")

    routes = list(_routes(world))
    for role in ROLES:
        client = _client(world, role)
        for _route, path in routes:
            page = client.get(path)
            query = urlencode({name: f"x{NUL}" for name in QUERY_PARAMETERS})
            check(client.get(f"{path}?{query}"), f"{role} GET {path}?<NUL params>")
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            for method, action, fields in _forms_of(page.content.decode()):
                target = urlsplit(urljoin(path, action or path)).path
                if not fields or target.rstrip("/").endswith("logout"):
                    continue
                data = {name: f"a{NUL}b" for name in fields}
                if method == "get":
                    response = client.get(target, data)
                else:
                    response = client.post(
                        target, urlencode(data), content_type="application/x-www-form-urlencoded"
                    )
                check(response, f"{role} {method.upper()} {target} fields={sorted(fields)}")
    assert sent > 500, f"only {sent} requests were sent"
    assert not problems, "\n".join(problems)


def test_token_links_with_a_nul_in_the_path_do_not_answer_500(world) -> None:
    client = Client(raise_request_exception=False)
    routes = {route.name: route for route in page_routes()}
    for name, kwargs in TOKEN_LINKS.items():
        path = routes[name].pattern
        for key, value in kwargs.items():
            path = re.sub(rf"<(\w+:)?{key}>", value.replace(NUL, "%00"), path)
        response = client.get("/" + path)
        assert response.status_code < 500, (path, response.status_code)
        response = client.post("/" + path, {"new_password1": "x", "new_password2": "x"})
        assert response.status_code < 500, (path, response.status_code)


def test_logging_in_with_a_nul_in_the_email_or_password_is_a_clear_400(world) -> None:
    client = Client(raise_request_exception=False)
    attempts_before = AccessAttempt.objects.count()
    for username, password in (
        (f"alice{NUL}@acmeprint.test", DEMO_PASSWORD),
        (world.demo.alice.email, f"{DEMO_PASSWORD}{NUL}"),
    ):
        response = client.post(
            "/accounts/login/",
            urlencode({"username": username, "password": password}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 400, response.status_code
        assert b"NUL" in response.content
        assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.count() == attempts_before


@pytest.mark.usefixtures("postgres_only")  # SQLite stores NUL; the API takes it there
def test_the_api_answers_422_to_a_nul_character(world) -> None:
    from .world import api_token_for

    client = Client(headers={"Authorization": f"Bearer {api_token_for(world.demo.alice)}"})
    response = client.get("/api/v1/tickets", {"product": NUL})
    assert response.status_code == 422, response.content
    response = client.post(
        "/api/v1/tickets",
        {
            "product": "pressero",
            "kind": "question",
            "subject": f"a{NUL}b",
            "description": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content

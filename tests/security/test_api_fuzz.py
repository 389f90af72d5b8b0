"""schemathesis against /api/openapi.json, in process (the WSGI app, no live server), with a
customer admin's and an agent's token: no server error, and every response conforms to
the documented schema (status code, content type, body, headers). Requests without the
token must answer 401 (``ignored_auth``).

Each operation gets up to ``MAX_EXAMPLES`` schema-valid and as many schema-invalid
requests (derandomized, so a failure reproduces), each sent twice: with the generated path
parameters (mostly IDs that do not exist) and with the IDs of Acme Print's real objects,
so the handlers behind the 404 run too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from supportal.accounts.models import User
from supportal.kb.models import Article

from .world import World, api_token_for, build_world

MAX_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]
# Revoking the calling token is fuzzed with a token of its own each time.
REVOKE = ("DELETE", "/api/v1/auth/token")


def _real_ids(world: World) -> dict[str, int]:
    published = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    assert published is not None
    return {
        "ticket_id": world.ticket.pk,
        "notice_id": int(world.kwargs["billing:notice_id"]),
        "article_id": published.pk,
        "idea_id": int(world.kwargs["idea_id"]),
    }


def _fuzz(user: User, world: World) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    token = api_token_for(user)
    real_ids = _real_ids(world)
    failures: list[str] = []

    def call(case) -> None:
        own = api_token_for(user) if (case.method.upper(), case.path) == REVOKE else token
        # Each call in a savepoint, undone after: in production a statement the database
        # refuses fails alone (autocommit); here it would abort the test's transaction.
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers={"Authorization": f"Bearer {own}"}, checks=CHECKS)
        except Exception as exc:  # collected: every operation is reported, not only the first
            failures.append(f"{case.method.upper()} {case.formatted_path}: {exc}")
        finally:
            transaction.savepoint_rollback(savepoint)

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:
                call(case)
                if case.path_parameters:
                    real = {k: real_ids.get(k, v) for k, v in case.path_parameters.items()}
                    if real != case.path_parameters:
                        case.path_parameters = real
                        call(case)

            run()
    return failures


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """The WSGI app, like Django's test client, must not close the test's connection at
    the start and end of each request (it lives inside the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["alice", "agent"])
def test_the_api_answers_every_generated_request_as_documented(
    db, in_test_transaction, persona: str
) -> None:
    world = build_world()
    failures = _fuzz(getattr(world.demo, persona), world)
    assert not failures, "\n\n".join(dict.fromkeys(failures))

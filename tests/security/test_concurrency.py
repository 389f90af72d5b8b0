"""No lost update under real concurrency (threads, each with its own database connection):
replies all persist, one assignment wins, ticket numbers stay unique."""

from __future__ import annotations

import pytest

from supportal.core.errors import RuleViolation
from supportal.tickets import services
from supportal.tickets.models import Reply, Ticket
from tests.factories import make_ticket

from .conftest import in_threads

pytestmark = pytest.mark.usefixtures("postgres_only")

THREADS = 8


def test_parallel_replies_all_persist(committed_demo):
    ticket = make_ticket(committed_demo.bob)

    def reply(i: int):
        author = committed_demo.agent if i % 2 else committed_demo.bob
        return services.add_reply(ticket=ticket, author=author, body=f"reply {i}")

    results = in_threads(reply, THREADS)
    assert not [r for r in results if isinstance(r, Exception)], results
    bodies = set(Reply.objects.filter(ticket=ticket).values_list("body", flat=True))
    assert bodies == {f"reply {i}" for i in range(THREADS)}


def test_parallel_assignment_with_the_seen_assignee_has_one_winner(committed_demo):
    ticket = make_ticket(committed_demo.bob)
    agents = [committed_demo.agent, committed_demo.agent_es, committed_demo.manager]

    def take(i: int):
        agent = agents[i % len(agents)]
        return services.assign_ticket(
            ticket=ticket, actor=agent, assignee_id=agent.pk, expected_assignee_id=None
        )

    results = in_threads(take, 6)
    winners = [r for r in results if isinstance(r, Ticket)]
    losers = [r for r in results if isinstance(r, RuleViolation)]
    assert len(winners) == 1 and len(losers) == 5, results
    assert {loser.code for loser in losers} == {"stale"}
    ticket.refresh_from_db()
    assert ticket.assignee_id == winners[0].assignee_id


def test_parallel_filing_gives_unique_ticket_numbers(committed_demo):
    results = in_threads(
        lambda i: make_ticket(committed_demo.bob, subject=f"Parallel {i}"), THREADS
    )
    assert all(isinstance(r, Ticket) for r in results), results
    numbers = [t.number for t in Ticket.objects.all()]
    assert len(numbers) == THREADS == len(set(numbers))

"""tickets.saved_views: personal and team views with capped live counts."""

from __future__ import annotations

import pytest

from supportal.core.errors import InvalidInput, NotPermitted
from supportal.tickets.saved_views import delete_view, save_view, view_counts
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_the_queue_comes_first_then_own_and_team_views(demo):
    make_ticket(demo.bob, subject="Printer jam")
    make_ticket(demo.alice, subject="Invoice wrong")
    save_view(owner=demo.agent, name="Printers", query="printer", visibility="personal")
    save_view(owner=demo.agent_es, name="Invoices", query="invoice", visibility="team")
    save_view(owner=demo.agent_es, name="Hidden", query="invoice", visibility="personal")
    counts = [(v.name, str(v.count), v.can_delete) for v in view_counts(demo.agent)]
    assert counts == [("Queue", "2", False), ("Invoices", "1", False), ("Printers", "1", True)]
    assert view_counts(demo.bob) == []


def test_a_manager_deletes_team_views_but_not_personal_ones(demo):
    team = save_view(owner=demo.agent, name="Team", query="is:open", visibility="team")
    personal = save_view(owner=demo.agent, name="Mine", query="is:open", visibility="personal")
    delete_view(view=team, actor=demo.manager)
    with pytest.raises(NotPermitted):
        delete_view(view=personal, actor=demo.manager)


def test_invalid_views_are_refused(demo, settings):
    save_view(owner=demo.agent, name="One", query="is:open", visibility="personal")
    for name, query, visibility in [("", "x", "personal"), ("One", "x", "personal"),
                                    ("Two", "", "personal"), ("Two", "x", "everyone")]:  # fmt: skip
        with pytest.raises(InvalidInput):
            save_view(owner=demo.agent, name=name, query=query, visibility=visibility)
    settings.SUPPORTAL_SAVED_VIEWS_MAX = 1
    with pytest.raises(InvalidInput):
        save_view(owner=demo.agent, name="Two", query="x", visibility="personal")
    with pytest.raises(NotPermitted):
        save_view(owner=demo.bob, name="Bob", query="x", visibility="personal")

"""tickets.tags: staff add and remove tags, one audit row each."""

from __future__ import annotations

import pytest

from supportal.core.errors import InvalidInput, NotPermitted
from supportal.tickets.models import AuditEvent, Tag
from supportal.tickets.tags import add_tag, normalize_tag, remove_tag
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_normalize_tag_makes_lowercase_slugs():
    assert normalize_tag("  DNS Problems! ") == "dns-problems"
    assert normalize_tag("--") == ""


def test_adding_twice_writes_one_tag_and_one_audit_row(demo):
    ticket = make_ticket(demo.bob)
    add_tag(ticket=ticket, actor=demo.agent, name="DNS")
    add_tag(ticket=ticket, actor=demo.agent, name="dns")
    assert [t.name for t in ticket.tags.all()] == ["dns"]
    assert Tag.objects.count() == 1
    assert AuditEvent.objects.filter(ticket=ticket, action="tagged").count() == 1


def test_removing_a_missing_tag_changes_nothing(demo):
    ticket = make_ticket(demo.bob)
    add_tag(ticket=ticket, actor=demo.agent, name="dns")
    assert remove_tag(ticket=ticket, actor=demo.agent, name="ssl") is False
    assert remove_tag(ticket=ticket, actor=demo.agent, name="DNS") is True
    assert list(ticket.tags.all()) == []
    assert AuditEvent.objects.filter(ticket=ticket, action="untagged").count() == 1


def test_only_support_staff_tag(demo):
    ticket = make_ticket(demo.bob)
    with pytest.raises(NotPermitted):
        add_tag(ticket=ticket, actor=demo.bob, name="mine")
    with pytest.raises(InvalidInput):
        add_tag(ticket=ticket, actor=demo.agent, name="!!!")

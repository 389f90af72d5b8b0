"""Mails sent by jobs, away from any request, are written in each recipient's language."""

import pytest
from django.core import mail

from supportal.accounts.models import User
from supportal.ideas import notify as idea_notify
from supportal.ideas import services as ideas

pytestmark = pytest.mark.django_db


def test_each_follower_reads_an_ideas_status_change_in_their_own_language(demo):
    User.objects.filter(pk=demo.bob.pk).update(language="es")
    demo.bob.refresh_from_db()
    idea = ideas.create_idea(actor=demo.manager, title="Dark mode")
    ideas.set_following(idea=idea, user=demo.bob, follow=True)
    ideas.set_following(idea=idea, user=demo.alice, follow=True)
    change = ideas.set_status(idea=idea, actor=demo.manager, status="planned")
    mail.outbox.clear()
    assert idea_notify.notify_followers(change.pk) == 2
    by_reader = {m.to[0]: m for m in mail.outbox}
    assert by_reader[demo.bob.email].body.startswith("La idea «Dark mode» ahora está:")
    assert by_reader[demo.alice.email].body.startswith("The idea “Dark mode” is now: Planned.")

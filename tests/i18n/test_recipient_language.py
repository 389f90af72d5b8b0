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


def test_a_subscriber_reads_status_mail_in_the_language_they_subscribed_in(
    client, demo, django_capture_on_commit_callbacks
):
    import re

    from supportal.status import services as status
    from supportal.status.models import IncidentSubscriber

    with django_capture_on_commit_callbacks(execute=True):  # the confirmation is a job
        client.post(
            "/status/subscribe/", {"email": "lectora@example.test"}, HTTP_ACCEPT_LANGUAGE="es"
        )
    [confirmation] = [m for m in mail.outbox if m.to == ["lectora@example.test"]]
    assert confirmation.subject == "Confirme los avisos de estado"
    path = re.search(r"https?://[^/\s]+(/status/subscribe/confirm/\S+)", confirmation.body)[1]
    client.post(path)  # confirmed from an English page: the language asked in is kept
    assert IncidentSubscriber.objects.get(email="lectora@example.test").language == "es"
    IncidentSubscriber.objects.create(email="reader@example.test", language="en")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        status.open_incident(
            name="Portal down", body="We are on it.", author=demo.agent, component_statuses={}
        )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["lectora@example.test"].startswith("[Estado] Incidencia")
    assert subjects["reader@example.test"].startswith("[Status] Incident")
    spanish = next(m for m in mail.outbox if m.to == ["lectora@example.test"])
    assert "Darse de baja con un clic:" in spanish.body

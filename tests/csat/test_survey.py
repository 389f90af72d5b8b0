"""The satisfaction survey: in the mail that says the ticket is resolved, one click
answers, one answer per ticket, a token answers its own ticket only."""

from __future__ import annotations

import re

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from supportal.csat.models import SurveyAnswer
from supportal.csat.tokens import make_token
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Ticket
from tests.factories import make_ticket
from tests.news.smtp import Inbox

pytestmark = pytest.mark.django_db


def resolved(demo, requester=None, **fields) -> Ticket:
    ticket = make_ticket(requester or demo.bob, **fields)
    ticket_services.add_reply(ticket=ticket, author=demo.agent, body="Settings > Shipping.")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mails are jobs
        return ticket_services.change_status(
            ticket=ticket, actor=demo.agent, status=Ticket.Status.RESOLVED
        )


def survey_links(inbox: Inbox, address: str) -> dict[str, str]:
    [mail] = [m for m in inbox.to(address) if "Resolved:" in m["Subject"]]
    text = Inbox.text(mail)
    found = re.findall(r"^([A-Z][a-z ]+): https?://[^/\s]+(/csat/\S+?)\r?$", text, re.M)
    return dict(found)


def test_the_resolved_mail_has_one_click_links_and_the_click_answers(demo, smtp):
    ticket = resolved(demo)
    links = survey_links(smtp, "bob@acmeprint.test")
    assert list(links) == ["Very happy", "Happy", "Neutral", "Unhappy", "Very unhappy"]

    anonymous = Client()
    page = anonymous.get(links["Happy"])

    html = page.content.decode()
    assert page.status_code == 200
    assert "data-csat-send-now" in html and "js/csat.js" in html
    assert re.search(r'value="4"[^>]*checked', html)  # the score clicked, chosen
    assert not SurveyAnswer.objects.exists()  # a GET (a mail scanner) answers nothing

    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    sent = anonymous.post(reverse("csat:update", args=[ticket.pk]), {"score": 4, "t": token})

    assert sent.status_code == 200
    answer = SurveyAnswer.objects.get()
    assert (answer.ticket, answer.score, answer.agent) == (ticket, 4, demo.agent)
    assert "Thank you for your answer." in sent.content.decode()


def test_one_answer_per_ticket_changed_by_later_posts_with_a_comment(demo, smtp):
    ticket = resolved(demo)
    token = make_token(ticket.pk)
    url = reverse("csat:update", args=[ticket.pk])
    Client().post(url, {"score": 1, "t": token})  # a scanner with scripts, say

    again = Client().get(reverse("csat:answer", args=[ticket.pk, 5]) + f"?t={token}")
    assert "You had already answered" in again.content.decode()
    assert "data-csat-send-now" not in again.content.decode()
    Client().post(url, {"score": 5, "comment": "Quick and <b>clear</b>.", "t": token})

    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.comment) == (5, "Quick and <b>clear</b>.")
    assert SurveyAnswer.objects.count() == 1


def test_a_token_answers_its_own_ticket_only(demo, smtp):
    acme = resolved(demo)
    bright = resolved(demo, demo.carol, product="pjm", kind="training_request")
    acme_token = make_token(acme.pk)

    get = Client().get(reverse("csat:answer", args=[bright.pk, 1]) + f"?t={acme_token}")
    post = Client().post(reverse("csat:update", args=[bright.pk]), {"score": 1, "t": acme_token})
    forged = Client().post(reverse("csat:update", args=[acme.pk]), {"score": 1, "t": "x:y"})
    none = Client().post(reverse("csat:update", args=[acme.pk]), {"score": 1})

    assert [r.status_code for r in (get, post, forged, none)] == [404] * 4
    assert not SurveyAnswer.objects.exists()


def test_expired_links_and_open_tickets_take_no_answer(demo, settings, smtp):
    ticket = make_ticket(demo.bob)
    token = make_token(ticket.pk)
    refused = Client().post(reverse("csat:update", args=[ticket.pk]), {"score": 3, "t": token})
    assert refused.status_code == 409
    assert "once the ticket is resolved" in refused.content.decode()

    settings.SUPPORTAL_CSAT_LINK_DAYS = -1
    done = resolved(demo)
    expired = Client().post(
        reverse("csat:update", args=[done.pk]), {"score": 3, "t": make_token(done.pk)}
    )
    assert expired.status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_survey_can_be_turned_off(demo, settings, smtp):
    settings.SUPPORTAL_CSAT_SURVEY = False
    resolved(demo)
    [mail] = [m for m in smtp.to("bob@acmeprint.test") if "Resolved:" in m["Subject"]]
    assert "How did we do" not in Inbox.text(mail)
    assert survey_links(smtp, "bob@acmeprint.test") == {}


def test_portal_offers_the_survey_to_the_customer_only(demo, client_for, smtp):
    ticket = resolved(demo)
    page = client_for(demo.bob).get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="csat-panel"' in page
    assert f"/csat/{ticket.pk}/5/?t=" in page
    agent_page = client_for(demo.agent).get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="csat-panel"' not in agent_page

    Client().post(
        reverse("csat:update", args=[ticket.pk]), {"score": 2, "t": make_token(ticket.pk)}
    )
    answered = client_for(demo.bob).get(ticket.get_absolute_url()).content.decode()
    assert "You answered: <strong>Unhappy</strong>" in answered
    assert f"/csat/{ticket.pk}/5/" not in answered

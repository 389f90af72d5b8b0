"""Pages whose forms go through the form_field tag and Django's widget templates show every
field, with its label, widget, help and errors, in the HTML the pages have always had."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from supportal.accounts.models import User
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ticket_form_page_shows_its_fields_to_a_customer(demo):
    response = logged_in(demo.bob).get(reverse("tickets:new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_subject">Subject</label>\n<input type="text" name="subject"' in html
    assert '<select name="product" required id="id_product">' in html
    assert '<option value="pressero">Pressero</option>' in html
    assert (
        '<textarea name="description" cols="40" rows="8" required'
        ' aria-describedby="id_description_helptext" id="id_description">\n</textarea>'
    ) in html
    assert '<label for="id_site_name">Site name <span class="optional">optional</span>' in html
    assert (
        '<label class="checkbox" for="id_urgent"><input type="checkbox" name="urgent"'
        ' id="id_urgent"> <span>This is urgent</span></label>'
    ) in html
    assert '<div class="field" id="urgent-reason" data-show-when="id_urgent">' in html
    assert '<label for="id_urgent_reason">Why is it urgent?</label>' in html  # hide_optional
    assert '<input type="file" name="attachments" multiple' in html


def test_ticket_form_page_shows_errors_at_their_fields_and_keeps_what_was_typed(demo):
    posted = {"subject": "", "description": 'Says "<b>" & more', "urgent": "on"}
    response = logged_in(demo.bob).post(reverse("tickets:new"), posted)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="field has-error">\n<label for="id_subject">Subject</label>' in html
    assert '<p class="field-error">Give the ticket a subject.</p>' in html
    assert 'aria-invalid="true" aria-describedby="id_subject_error" id="id_subject">' in html
    assert ">\nSays &quot;&lt;b&gt;&quot; &amp; more</textarea>" in html
    assert 'name="urgent" id="id_urgent" checked' in html


def test_ticket_page_shows_the_reply_and_console_forms_to_an_agent(demo):
    ticket = make_ticket(demo.bob)
    response = logged_in(demo.agent).get(reverse("tickets:detail", args=[ticket.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_body">Your reply</label>\n<textarea name="body"' in html
    assert '<p class="help" id="id_body_helptext">Markdown is supported.</p>' in html
    assert (
        '<div class="field field--checkbox">\n<label class="checkbox" for="id_internal">'
        '<input type="checkbox" name="internal" id="id_internal">'
        " <span>Internal note (not shown to the customer)</span></label>"
    ) in html
    assert '<input type="number" name="minutes" min="1" max="1440" required' in html
    assert '<option value="support" selected>Support (free)</option>' in html
    assert '<input type="date" name="work_date"' in html

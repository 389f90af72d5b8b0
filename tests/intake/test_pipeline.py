"""Inbound mail through the one pipeline: recorded mails in, tickets/replies/auto-replies out."""

import pytest
from django.core import mail

from supportal.intake.models import InboundEmail, OutboundEmail
from supportal.intake.reply_address import reply_address
from supportal.intake.services import receive_email, release_inbound
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Ticket
from tests.factories import make_ticket
from tests.training import train

from .conftest import eml

pytestmark = pytest.mark.django_db
SMTP = InboundEmail.Source.SMTP


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    def run(raw: bytes) -> InboundEmail | None:
        with django_capture_on_commit_callbacks(execute=True):
            return receive_email(raw=raw, source=SMTP)

    return run


def _new_ticket(receive) -> Ticket:
    inbound = receive(eml("new_from_known_customer.eml"))
    assert inbound.status == InboundEmail.Status.TICKET_OPENED
    return inbound.ticket


def test_mail_from_known_customer_opens_email_ticket_and_auto_reply_points_to_portal(demo, receive):
    ticket = _new_ticket(receive)
    assert ticket.channel == Ticket.Channel.EMAIL
    assert ticket.requester == demo.alice
    assert ticket.subject == "Orders page shows an error"
    assert "error 500" in ticket.description
    assert "Alice Admin | Acme Print" not in ticket.description  # signature trimmed
    assert "tool.exe" in ticket.description  # the refused attachment is named
    assert [a.original_name for a in ticket.attachments.all()] == ["screenshot.png"]
    [ack] = mail.outbox
    assert ack.to == ["alice@acmeprint.test"]
    assert ack.subject.startswith(f"[{ticket.number}] ")
    assert "/tickets/new/" in ack.body and "support portal" in ack.body
    assert "We answer within" in ack.body
    # Threaded under the customer's own message.
    assert ack.extra_headers["In-Reply-To"] == "<CAF-new-1@mail.acmeprint.test>"


def test_same_mail_delivered_twice_makes_one_ticket(demo, receive):
    raw = eml("new_from_known_customer.eml")
    assert receive(raw) is not None
    assert receive(raw) is None
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 1


def test_reply_by_in_reply_to_adds_trimmed_reply(demo, receive):
    ticket = _new_ticket(receive)
    ack = OutboundEmail.objects.get(ticket=ticket)
    inbound = receive(eml("reply_in_reply_to.eml", PARENT_ID=ack.message_id))
    assert inbound.status == InboundEmail.Status.REPLIED
    assert inbound.ticket == ticket
    assert inbound.reply.body == "It works again after clearing the cache, thank you!"
    assert inbound.reply.author == demo.alice


def test_reply_to_the_reply_address_with_the_tag_is_added_but_the_tag_alone_is_held(demo, receive):
    ticket = make_ticket(demo.bob, subject="Orders")
    raw = eml("reply_by_tag_outlook.eml", TICKET_NUMBER=ticket.number)
    held = receive(raw)
    assert held.status == InboundEmail.Status.UNVERIFIED
    assert ticket.replies.count() == 0
    # Bob's client answers the Reply-To that his mails carry.
    address = reply_address(ticket_id=ticket.pk, address="bob@acmeprint.test")
    inbound = receive(
        raw.replace(b"To: support@", f"To: {address}\r\nX-Old-To: support@".encode()).replace(
            b"outlook-3", b"outlook-4"
        )
    )
    assert inbound.status == InboundEmail.Status.REPLIED
    assert inbound.reply.body == "Here is the order number: 4711 – it failed again."


def test_reply_tag_from_other_organization_does_not_touch_that_ticket(demo, receive):
    train(demo.carol, "pjm", "tflow")
    ticket = make_ticket(demo.bob, subject="Orders")
    raw = eml("reply_by_tag_outlook.eml", TICKET_NUMBER=ticket.number).replace(
        b"Bob@AcmePrint.test", b"carol@brightink.test"
    )
    inbound = receive(raw)
    assert inbound.status == InboundEmail.Status.TICKET_OPENED
    assert inbound.ticket.requester == demo.carol
    assert ticket.replies.count() == 0


def test_reply_to_closed_ticket_opens_follow_up_and_says_so(demo, receive):
    ticket = _new_ticket(receive)
    ticket_services.change_status(ticket=ticket, actor=demo.agent, status="closed")
    ack = OutboundEmail.objects.filter(ticket=ticket).earliest("created_at")
    mail.outbox.clear()
    inbound = receive(eml("reply_in_reply_to.eml", PARENT_ID=ack.message_id))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    assert inbound.status == InboundEmail.Status.FOLLOW_UP
    follow_up = inbound.ticket
    assert follow_up.follow_up_of == ticket and follow_up.channel == Ticket.Channel.EMAIL
    [notice] = mail.outbox
    assert notice.subject.startswith(f"[{follow_up.number}]")
    assert ticket.number in notice.body
    # The same thread going on lands on the follow-up, not on a third ticket.
    again = eml("reply_in_reply_to.eml", PARENT_ID=ack.message_id).replace(
        b"CAF-reply-2", b"CAF-reply-3"
    )
    assert receive(again).ticket == follow_up
    assert Ticket.objects.count() == 2


def test_unknown_sender_gets_only_the_auto_reply(demo, receive):
    inbound = receive(eml("unknown_sender.eml"))
    assert inbound.status == InboundEmail.Status.AUTO_REPLIED
    assert Ticket.objects.count() == 0
    [reply] = mail.outbox
    assert reply.to == ["someone@elsewhere.test"]
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert reply.extra_headers["In-Reply-To"] == "<stranger-7@elsewhere.test>"
    assert "/tickets/new/" in reply.body


def test_unknown_sender_can_be_ignored_by_setting(demo, receive, settings):
    settings.SUPPORTAL_EMAIL_UNKNOWN_SENDERS = "ignore"
    assert receive(eml("unknown_sender.eml")).status == InboundEmail.Status.IGNORED
    assert mail.outbox == []


@pytest.mark.parametrize(
    "fixture", ["auto_reply.eml", "bounce.eml", "mailing_list.eml"], ids=lambda f: f[:-4]
)
def test_automated_mail_gets_no_answer_and_opens_nothing(demo, receive, fixture):
    inbound = receive(eml(fixture))
    assert inbound.status == InboundEmail.Status.IGNORED
    assert Ticket.objects.count() == 0
    assert mail.outbox == []


def test_mail_from_our_own_address_is_ignored(demo, receive):
    raw = eml("unknown_sender.eml").replace(
        b"someone@elsewhere.test", b"support@supportal.localhost"
    )
    assert receive(raw).status == InboundEmail.Status.IGNORED
    assert mail.outbox == []


def test_sender_over_rate_limit_is_held_until_staff_release(demo, receive, settings):
    settings.SUPPORTAL_EMAIL_SENDER_LIMIT_PER_HOUR = 2
    results = []
    for n in range(3):
        raw = eml("unknown_sender.eml").replace(b"stranger-7", f"stranger-{n}".encode())
        results.append(receive(raw))
    assert [r.status for r in results] == ["auto_replied", "auto_replied", "held"]
    assert len(mail.outbox) == 2
    assert release_inbound(inbound=results[2], actor=demo.agent) == "auto_replied"


def test_two_staff_releasing_one_held_mail_release_it_once(demo, receive, settings, client):
    """The second click, from a page loaded before the first, is told it was released."""
    settings.SUPPORTAL_EMAIL_SENDER_LIMIT_PER_HOUR = 0
    held = receive(eml("unknown_sender.eml"))
    assert held.status == "held"
    seen_by_second_agent = InboundEmail.objects.get(pk=held.pk)
    client.force_login(demo.agent)
    response = client.post(f"/intake/mail/{held.pk}/release/", follow=True)
    assert "Released: " in response.content.decode()
    assert release_inbound(inbound=seen_by_second_agent, actor=demo.manager) is None
    assert InboundEmail.objects.get(pk=held.pk).status == "auto_replied"
    assert OutboundEmail.objects.filter(to_address=held.sender).count() == 1  # not two


def test_non_utf8_mail_from_known_customer_opens_ticket(demo, receive):
    train(demo.carol, "pjm", "tflow")
    inbound = receive(eml("latin1_from_known_customer.eml"))
    assert inbound.ticket.subject == "Problema con la impresión"
    assert "¿Pueden ayudarnos?" in inbound.ticket.description
    assert inbound.ticket.product.slug in {"pjm", "tflow"}  # Bright Ink's products


def test_malformed_mime_is_quarantined_for_staff(demo, receive):
    inbound = receive(eml("malformed_mime.eml"))
    assert inbound.status == InboundEmail.Status.QUARANTINED
    assert "malformed MIME" in inbound.reason
    assert bytes(inbound.raw) == eml("malformed_mime.eml")
    assert mail.outbox == []


def test_oversized_mail_is_quarantined_with_its_beginning_kept(demo, receive, settings):
    settings.SUPPORTAL_EMAIL_MAX_BYTES = 2048
    raw = eml("new_from_known_customer.eml") + b"x" * 5000
    inbound = receive(raw)
    assert inbound.status == InboundEmail.Status.QUARANTINED
    assert inbound.truncated and inbound.size == len(raw) and len(bytes(inbound.raw)) == 2048
    assert inbound.sender == "alice@acmeprint.test"
    assert Ticket.objects.count() == 0


def test_unexpected_failure_quarantines_instead_of_crashing(demo, receive, settings):
    settings.SUPPORTAL_EMAIL_DEFAULT_PRODUCT = "pressero"
    settings.SUPPORTAL_ATTACHMENT_TYPES = None  # breaks the upload check deliberately
    inbound = receive(eml("new_from_known_customer.eml"))
    assert inbound.status == InboundEmail.Status.QUARANTINED
    assert "processing failed" in inbound.reason
    assert Ticket.objects.count() == 0

"""The built-in SMTP listener: a real aiosmtpd server on loopback feeding the pipeline."""

import smtplib

import pytest
from aiosmtpd.controller import Controller

from supportal.demo.loader import load_demo
from supportal.intake.models import InboundEmail
from supportal.intake.smtp import SupportInbox, accepts
from supportal.tickets.models import Ticket

from .conftest import eml, free_port


@pytest.fixture
def listener(transactional_db, django_db_serialized_rollback):
    load_demo(with_tickets=False)
    port = free_port()
    controller = Controller(SupportInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def test_mail_to_the_support_address_over_smtp_opens_a_ticket(listener):
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as client:
        client.sendmail(
            "alice@acmeprint.test",
            ["support@supportal.localhost"],
            eml("new_from_known_customer.eml"),
        )
    inbound = InboundEmail.objects.get()
    assert inbound.source == InboundEmail.Source.SMTP
    assert inbound.status == InboundEmail.Status.TICKET_OPENED
    assert Ticket.objects.get().channel == Ticket.Channel.EMAIL


def test_listener_is_no_relay_for_other_addresses(listener):
    with (
        smtplib.SMTP("127.0.0.1", listener, timeout=10) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        client.sendmail("x@elsewhere.test", ["victim@example.com"], b"Subject: hi\r\n\r\nhi")
    assert InboundEmail.objects.count() == 0


def test_plus_addressing_reaches_support(settings):
    assert accepts("Support+acme@supportal.localhost")
    assert not accepts("support@other.localhost")

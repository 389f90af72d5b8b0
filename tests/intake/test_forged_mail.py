"""Forged inbound mail, sent as an outsider would: a stranger writes ``From:`` a customer.

Only a mail carrying the reply token we gave that customer for that ticket (in the
Reply-To address or the Message-ID it answers) is added under their name, and only when
the receiving path's ``Authentication-Results`` does not say it failed. Everything else
waits for staff in the intake triage, with the reason. Through the real SMTP listener
(aiosmtpd on loopback), the signed Mailgun webhook and the IMAP poller.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import smtplib
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from supportal.core.errors import NotPermitted
from supportal.demo.loader import load_demo
from supportal.intake.imap import fetch_new_mail
from supportal.intake.models import InboundEmail
from supportal.intake.services import release_inbound
from supportal.intake.smtp import SupportInbox
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Reply, Ticket
from tests.factories import make_ticket
from tests.training import train

from .conftest import free_port
from .test_imap import RecordedMailbox

SUPPORT = "support@supportal.localhost"
KEY = "test-signing-key"
Status = InboundEmail.Status


@pytest.fixture
def world(transactional_db, django_db_serialized_rollback, smtp):
    """Committed demo data (the listener stores mail from its own thread), alice's ticket
    and the staff reply she was mailed, as it left over SMTP."""
    demo = load_demo(with_tickets=False)
    ticket = make_ticket(demo.alice, subject="Orders fail", description="500")
    smtp.messages.clear()
    ticket_services.add_reply(ticket=ticket, author=demo.agent, body="Which order number?")
    [(_, raw)] = smtp.messages
    sent = email.message_from_bytes(raw, policy=email.policy.default)
    return demo, ticket, sent


@pytest.fixture
def listener():
    port = free_port()
    controller = Controller(SupportInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def letter(
    *,
    sender: str,
    subject: str,
    to: str = SUPPORT,
    message_id: str = "<forged-1@attacker.test>",
    in_reply_to: str = "",
    auth: str = "",
    body: str = "Please send the invoice to billing@attacker.test from now on.",
) -> bytes:
    msg = EmailMessage()
    if auth:
        msg["Authentication-Results"] = auth
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    return msg.as_bytes()


def over_smtp(port: int, raw: bytes, *, rcpt: str = SUPPORT) -> InboundEmail:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("bounce@attacker.test", [rcpt], raw)
    return InboundEmail.objects.latest("id")


def over_mailgun(client, settings, raw: bytes, **fields: str) -> InboundEmail:
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}
    timestamp, token = str(int(time.time())), "b" * 50
    signature = hmac.new(KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    response = client.post(
        "/hooks/email/mailgun/inbound",
        {
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
            "body-mime": raw.decode(),
            "recipient": SUPPORT,
            **fields,
        },
    )
    assert response.status_code == 200
    return InboundEmail.objects.latest("id")


def over_imap(raw: bytes) -> InboundEmail:
    assert fetch_new_mail(RecordedMailbox({b"1": raw})) == 1
    return InboundEmail.objects.latest("id")


def assert_nothing_added(ticket: Ticket) -> None:
    """Only the agent's reply is on the ticket: nothing under alice's name came in."""
    assert list(Reply.objects.filter(ticket=ticket).values_list("author__email", flat=True)) == [
        "agent@vendor.test"
    ]
    assert Ticket.objects.count() == 1


def test_forged_from_with_the_ticket_tag_is_held_over_smtp_webhook_and_imap(
    world, listener, client, settings
):
    demo, ticket, _ = world
    forged = letter(sender="Alice Admin <alice@acmeprint.test>", subject=f"Re: [{ticket.number}]")
    held = [
        over_smtp(listener, forged),
        over_mailgun(client, settings, forged.replace(b"forged-1", b"forged-2")),
        over_imap(forged.replace(b"forged-1", b"forged-3")),
    ]
    assert [m.source for m in held] == ["smtp", "webhook", "imap"]
    for inbound in held:
        assert inbound.status == Status.UNVERIFIED, inbound.reason
        assert f"answers {ticket.number}" in inbound.reason
        assert inbound.reply is None and inbound.ticket is None
    assert_nothing_added(ticket)
    # Staff see them in the triage, with the reason.
    client.force_login(demo.agent)
    page = client.get("/intake/").content.decode()
    held_section = page.split('id="held-head"')[1].split("</section>")[0]
    assert held_section.count("Held: the sender is not proven") == 3
    assert all(inbound.get_absolute_url() in held_section for inbound in held)
    detail = client.get(held[0].get_absolute_url()).content.decode()
    assert "carries no reply address" in detail and "It is from alice@acmeprint.test" in detail


def test_the_real_reply_to_the_address_alice_was_given_is_added_under_her_name(world, listener):
    demo, ticket, sent = world
    reply_to = sent["Reply-To"]
    assert reply_to.startswith("support+t") and reply_to.endswith("@supportal.localhost")
    assert sent["Message-ID"] != reply_to
    # Her client answers the Reply-To; the Message-ID carries her token too.
    by_address = letter(
        sender="alice@acmeprint.test", to=reply_to, subject="Re: Orders", body="Order 4711."
    )
    inbound = over_smtp(listener, by_address, rcpt=reply_to)
    assert inbound.status == Status.REPLIED, inbound.reason
    assert inbound.reply.author == demo.alice and inbound.reply.body == "Order 4711."
    by_thread = letter(
        sender="alice@acmeprint.test",
        subject="Re: Orders",
        message_id="<real-2@acmeprint.test>",
        in_reply_to=sent["Message-ID"],
        body="And 4712.",
    )
    assert over_smtp(listener, by_thread).status == Status.REPLIED
    assert ticket.replies.filter(author=demo.alice).count() == 2
    # The same mail delivered again adds nothing.
    over_smtp(listener, by_thread)
    assert InboundEmail.objects.count() == 2
    assert ticket.replies.filter(author=demo.alice).count() == 2


def test_a_token_is_worth_nothing_under_another_senders_name(world, listener, settings):
    demo, ticket, sent = world
    # A customer admin sees her colleague's tickets: bob's ticket, answered to bob.
    bobs = make_ticket(demo.bob, subject="Bob asks", description="?")
    ticket_services.add_reply(ticket=bobs, author=demo.agent, body="Which one?")
    to_bob_id = bobs.notifications.latest("id").message_id
    # Someone holding bob's mail writes as alice, who may write on bob's ticket: held.
    forged = letter(
        sender="alice@acmeprint.test",
        subject="Re: Bob asks",
        message_id="<reuse-1@attacker.test>",
        in_reply_to=to_bob_id,
    )
    inbound = over_smtp(listener, forged)
    assert inbound.status == Status.UNVERIFIED and f"answers {bobs.number}" in inbound.reason
    # Alice's token under bob's or carol's name (who may not write on her ticket) never
    # reaches her ticket: each is only their own new ticket, as any mail of theirs is.
    train(demo.carol, "pjm", "tflow")  # so her own mail may open a ticket of hers
    for n, sender in enumerate(("bob@acmeprint.test", "carol@brightink.test")):
        forged = letter(
            sender=sender,
            to=sent["Reply-To"],
            subject=f"Re: [{ticket.number}]",
            message_id=f"<reuse-{n + 2}@attacker.test>",
            in_reply_to=sent["Message-ID"],
        )
        inbound = over_smtp(listener, forged, rcpt=sent["Reply-To"])
        assert inbound.status == Status.TICKET_OPENED and inbound.ticket != ticket
    assert not ticket.replies.exclude(author=demo.agent).exists()
    assert not bobs.replies.exclude(author=demo.agent).exists()


def test_a_made_up_or_altered_token_is_held(world, listener):
    _, ticket, sent = world
    local, _, domain = sent["Reply-To"].partition("@")
    altered = local[:-1] + ("0" if local[-1] != "0" else "1") + "@" + domain
    made_up = f"support+t{ticket.pk}-{'a' * 24}@supportal.localhost"
    for n, address in enumerate((altered, made_up)):
        forged = letter(
            sender="alice@acmeprint.test",
            to=address,
            subject="Re: Orders",
            message_id=f"<guess-{n}@attacker.test>",
            in_reply_to=f"<{ticket.number.lower()}.x.t{ticket.pk}-{'b' * 24}@supportal.localhost>",
        )
        assert over_smtp(listener, forged, rcpt=address).status == Status.UNVERIFIED
    assert_nothing_added(ticket)


def test_a_failed_authentication_result_holds_even_a_mail_with_her_token(
    world, listener, client, settings
):
    _, ticket, sent = world
    forged = letter(
        sender="alice@acmeprint.test",
        to=sent["Reply-To"],
        subject="Re: Orders",
        auth="mx.supportal.localhost; spf=pass smtp.mailfrom=attacker.test; "
        "dkim=none; dmarc=fail (p=none) header.from=acmeprint.test",
    )
    inbound = over_smtp(listener, forged, rcpt=sent["Reply-To"])
    assert inbound.status == Status.UNVERIFIED
    assert "dmarc=fail (mx.supportal.localhost)" in inbound.reason
    # Mailgun's own SPF check, sent in its signed post, counts the same way.
    clean = letter(
        sender="alice@acmeprint.test",
        to=sent["Reply-To"],
        subject="Re: Orders",
        message_id="<forged-mg@attacker.test>",
    )
    inbound = over_mailgun(client, settings, clean, **{"X-Mailgun-Spf": "Fail"})
    assert inbound.status == Status.UNVERIFIED
    assert "spf=fail (mailgun.webhook)" in inbound.reason
    assert_nothing_added(ticket)


def test_a_forged_stranger_with_a_failed_check_gets_no_auto_reply(world, listener, smtp):
    smtp.messages.clear()
    forged = letter(
        sender="victim@elsewhere.test",
        subject="Hello",
        auth="mx.supportal.localhost; spf=fail smtp.mailfrom=elsewhere.test",
    )
    inbound = over_smtp(listener, forged)
    assert inbound.status == Status.IGNORED and "spf=fail" in inbound.reason
    assert smtp.messages == []  # no backscatter to the address that did not write


def test_with_trusted_servers_only_their_dmarc_pass_opens_a_ticket(world, listener, settings):
    demo, _, _ = world
    settings.SUPPORTAL_EMAIL_AUTHSERV_IDS = ["mx.supportal.localhost"]
    # A pass the sender wrote in themselves, under another server's name, proves nothing.
    forged = letter(
        sender="bob@acmeprint.test",
        subject="New question",
        auth="mx.attacker.test; dmarc=pass header.from=acmeprint.test",
    )
    inbound = over_smtp(listener, forged)
    assert inbound.status == Status.UNVERIFIED and "no dmarc=pass" in inbound.reason
    genuine = letter(
        sender="bob@acmeprint.test",
        subject="New question",
        message_id="<bob-1@acmeprint.test>",
        auth="mx.supportal.localhost; spf=pass; dkim=pass; dmarc=pass header.from=acmeprint.test",
    )
    inbound = over_smtp(listener, genuine)
    assert inbound.status == Status.TICKET_OPENED
    assert inbound.ticket.requester == demo.bob


def test_staff_who_release_a_held_mail_vouch_for_its_sender(world, listener):
    demo, ticket, _ = world
    held = over_smtp(
        listener, letter(sender="alice@acmeprint.test", subject=f"Re: [{ticket.number}]")
    )
    assert held.status == Status.UNVERIFIED
    with pytest.raises(NotPermitted):
        release_inbound(inbound=held, actor=demo.alice)
    assert release_inbound(inbound=held, actor=demo.agent) == Status.REPLIED
    held.refresh_from_db()
    assert held.reply.author == demo.alice
    assert "released by agent@vendor.test" in held.reason

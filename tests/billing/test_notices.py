"""Notices and quotes: consent recorded word for word, rush quotes, who may decide."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from supportal.billing import notices, overrides, ticket_billing
from supportal.billing.models import Notice
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.intake.models import NotificationKind, NotificationMute, OutboundEmail


def test_accepting_records_who_when_the_text_and_the_rates(
    demo, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notices.send_notice(
            ticket=acme_ticket,
            actor=demo.agent,
            category="ps_technical",
            estimate_minutes=90,
            message="API work is billable.",
        )
    assert mailoutbox[0].to == [demo.alice.email]
    assert notice.due_at is None  # the turn-time counts from the acceptance, not from now
    shown = notices.notice_text(notice)
    accepted = notices.accept_notice(notice=notice, customer=demo.alice)
    assert accepted.decided_by == demo.alice and accepted.decided_at is not None
    assert accepted.accepted_text == shown
    assert "1.50 h at $150.00/h = $225.00" in accepted.accepted_text
    assert accepted.accepted_rates == [
        {
            "category": "ps_technical",
            "description": "Professional services, technical (database, API, custom skinning)",
            "minutes": 90,
            "rate": "150.00",
            "fixed_fee": None,
            "amount": "225.00",
        }
    ]
    with pytest.raises(RuleViolation) as caught:
        notices.decline_notice(notice=notice, customer=demo.alice)
    assert caught.value.code == "notice_not_pending"


def test_only_the_tickets_customer_decides(demo, acme_ticket):
    notice = notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=30,
        message="Beyond support.",
    )
    for outsider in (demo.carol, demo.bob, demo.agent):
        with pytest.raises(NotPermitted):
            notices.accept_notice(notice=notice, customer=outsider)
    assert Notice.objects.get(pk=notice.pk).is_pending


def test_a_new_estimate_supersedes_the_pending_one(demo, acme_ticket):
    first = notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=30,
        message="First.",
    )
    notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=60,
        message="Second.",
    )
    assert Notice.objects.get(pk=first.pk).status == Notice.Status.SUPERSEDED


def test_rush_quote_is_requested_quoted_and_accepted(demo):
    from tests.factories import make_ticket

    ticket = make_ticket(demo.alice, kind="professional_services", subject="Store setup")
    notices.request_rush_quote(
        ticket=ticket,
        customer=demo.alice,
        needed_by=ticket_billing.vendor_today() + timedelta(days=1),
    )
    assert ticket.billing.__class__.objects.get(pk=ticket.pk).rush_requested_at is not None
    with pytest.raises(InvalidInput):
        notices.send_quote(
            ticket=ticket,
            actor=demo.ps,
            message="Setup",
            lines=[notices.LineDraft("ps_admin", 120)],
            rush_fee=Decimal("99"),
        )
    quote = notices.send_quote(
        ticket=ticket,
        actor=demo.ps,
        message="Store setup",
        lines=[
            notices.LineDraft("ps_admin", 120, "Store setup"),
            notices.LineDraft("ps_technical", 60, "Custom skin"),
        ],
        rush_fee=Decimal("99.00"),
        rush_due_at=timezone.now() + timedelta(days=1),
    )
    assert notices.notice_total(quote) == Decimal("400.00")
    accepted = notices.accept_notice(notice=quote, customer=demo.alice, rush=True)
    assert accepted.accepted_rush
    assert "Rush option: $99.00 more" in accepted.accepted_text


def test_accepting_rush_on_a_quote_without_one_is_refused(demo, acme_ticket):
    notice = notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=30,
        message="Beyond support.",
    )
    with pytest.raises(InvalidInput):
        notices.accept_notice(notice=notice, customer=demo.alice, rush=True)


def test_no_notice_on_a_confirmed_bug(demo, acme_ticket):
    overrides.mark_confirmed_bug(ticket=acme_ticket, actor=demo.agent)
    with pytest.raises(RuleViolation):
        notices.send_notice(
            ticket=acme_ticket,
            actor=demo.agent,
            category="ps_admin",
            estimate_minutes=30,
            message="Beyond support.",
        )


def _notice(ticket, staff):
    return notices.send_notice(
        ticket=ticket,
        actor=staff,
        category="ps_technical",
        estimate_minutes=90,
        message="API work is billable.",
    )


def _send_notice(ticket, staff, capture):
    with capture(execute=True):
        return _notice(ticket, staff)


def test_notice_mail_is_threaded_with_the_ticket_and_gives_the_estimate(
    demo, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()  # the ticket-received mail
    _send_notice(acme_ticket, demo.agent, django_capture_on_commit_callbacks)
    [sent] = mailoutbox
    assert sent.to == [acme_ticket.requester.email]
    assert sent.subject == (
        f"[{acme_ticket.number}] Professional-services notice: your decision is needed"
    )
    assert sent.extra_headers["In-Reply-To"] == acme_ticket.email_thread.root_message_id
    assert "Estimate: $225.00" in sent.body and f"/tickets/{acme_ticket.pk}/" in sent.body
    assert "Estimate: <strong>$225.00</strong>" in sent.alternatives[0][0]
    row = OutboundEmail.objects.get(ticket=acme_ticket, template="billing/email/notice_waiting")
    assert row.status == OutboundEmail.Status.SENT


def test_a_customer_who_muted_billing_mail_gets_no_notice_mail_but_the_notice_waits(
    demo, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationMute.objects.create(user=acme_ticket.requester, kind=NotificationKind.BILLING)
    mailoutbox.clear()
    notice = _send_notice(acme_ticket, demo.agent, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert Notice.objects.get(pk=notice.pk).is_pending


def test_custom_code_fix_is_announced_even_to_a_customer_who_muted_billing_mail(
    demo, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationMute.objects.create(user=acme_ticket.requester, kind=NotificationKind.BILLING)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        exception = overrides.record_custom_code_exception(
            ticket=acme_ticket, actor=demo.manager, reason="urgent", note="Checkout broken"
        )
    exception.refresh_from_db()
    assert exception.customer_notified_at is not None  # the console says "customer notified"
    [sent] = mailoutbox
    assert sent.subject.startswith(f"[{acme_ticket.number}] We are fixing custom CSS")
    assert "$150.00 per hour" in sent.body and "no charge" in sent.body


def test_a_notice_rolled_back_sends_nothing(demo, acme_ticket, mailoutbox):
    mailoutbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        _notice(acme_ticket, demo.agent)
        raise RuntimeError("the request fails after the notice")
    assert not Notice.objects.filter(ticket=acme_ticket).exists()
    assert not OutboundEmail.objects.filter(template__startswith="billing/").exists()
    assert mailoutbox == []


def test_notice_mail_gives_the_quoted_due_date_in_utc_whoever_sends_it(
    demo, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import UTC

    from django.template.defaultfilters import date as format_date

    mailoutbox.clear()
    with (
        timezone.override("America/Chicago"),  # the agent's time zone, active in the request
        django_capture_on_commit_callbacks(execute=True),
    ):
        notice = notices.send_quote(
            ticket=acme_ticket,
            actor=demo.ps,
            lines=[notices.LineDraft(category="ps_technical", minutes=600)],
            message="A larger project.",
            due_at=timezone.now() + timedelta(days=10),
        )
    [sent] = mailoutbox
    in_utc = format_date(notice.due_at.astimezone(UTC), "DATETIME_FORMAT")
    chicago = timezone.localtime(notice.due_at, ZoneInfo("America/Chicago"))
    in_chicago = format_date(chicago, "DATETIME_FORMAT")
    assert f"Delivery: {in_utc} (UTC), or 2 business days after you accept" in sent.body
    assert in_chicago not in sent.body

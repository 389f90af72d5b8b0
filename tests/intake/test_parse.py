"""The pure parser: reading mail, judging automated mail, trimming replies. No database."""

import pytest

from supportal.intake.email.parse import (
    AuthResult,
    authentication_verdict,
    automated_reason,
    clean_subject,
    parse_authentication_results,
    parse_email,
    read_envelope,
    ticket_tag,
    trim_reply,
)

from .conftest import eml

OWN = frozenset({"support@supportal.localhost"})


def test_new_mail_is_read_with_sender_body_and_attachments():
    parsed = parse_email(eml("new_from_known_customer.eml"))
    assert parsed.message_id == "<CAF-new-1@mail.acmeprint.test>"
    assert parsed.from_address == "alice@acmeprint.test"
    assert parsed.subject == "Orders page shows an error"
    assert "error 500" in parsed.text
    assert [a.filename for a in parsed.attachments] == ["screenshot.png", "tool.exe"]
    assert parsed.attachments[0].data.startswith(b"\x89PNG")
    assert parsed.problems == ()
    assert automated_reason(parsed, own_addresses=OWN) is None


def test_reply_headers_and_quoted_history_are_read():
    parsed = parse_email(eml("reply_in_reply_to.eml", PARENT_ID="<n.1@supportal.localhost>"))
    assert parsed.in_reply_to == ("<n.1@supportal.localhost>",)
    assert trim_reply(parsed.text) == "It works again after clearing the cache, thank you!"


def test_outlook_reply_in_windows_1252_is_decoded_and_trimmed():
    parsed = parse_email(eml("reply_by_tag_outlook.eml", TICKET_NUMBER="SUP-1042"))
    assert parsed.from_address == "bob@acmeprint.test"
    assert ticket_tag(parsed.subject, prefix="SUP") == "SUP-1042"
    assert trim_reply(parsed.text) == "Here is the order number: 4711 – it failed again."


def test_latin1_headers_and_body_are_decoded():
    parsed = parse_email(eml("latin1_from_known_customer.eml"))
    assert parsed.from_name == "Carol Muñoz"
    assert parsed.subject == "Problema con la impresión"
    assert "¿Pueden ayudarnos?" in parsed.text


def test_unknown_charset_falls_back_without_failing():
    parsed = parse_email(eml("unknown_charset.eml"))
    assert parsed.problems == ()
    assert "menu does not print" in parsed.text


def test_html_only_mail_becomes_text_without_scripts_or_styles():
    parsed = parse_email(eml("html_only.eml"))
    assert "Prices are wrong & totals too." in parsed.text
    assert "Second line\nthird" in parsed.text
    assert "alert" not in parsed.text and "color" not in parsed.text


def test_multipart_without_boundary_is_reported_as_malformed():
    parsed = parse_email(eml("malformed_mime.eml"))
    assert any("malformed MIME" in problem for problem in parsed.problems)


def test_garbage_never_raises():
    for raw in (b"", b"\x00\xff\xfe garbage", b"From: \r\n\r\n", b"Subject: =?bad?q?x?=\r\n"):
        parsed = parse_email(raw)
        assert "no valid sender address (From)" in parsed.problems
        assert read_envelope(raw).message_id.endswith("@no-message-id.invalid>")


def test_auto_replies_bounces_lists_and_our_own_mail_are_automated():
    assert automated_reason(parse_email(eml("auto_reply.eml")), own_addresses=OWN) == (
        "Auto-Submitted: auto-replied"
    )
    assert "bounce" in automated_reason(parse_email(eml("bounce.eml")), own_addresses=OWN)
    assert automated_reason(parse_email(eml("mailing_list.eml")), own_addresses=OWN) == (
        "Precedence: list"
    )
    own = parse_email(
        eml("unknown_sender.eml").replace(b"someone@elsewhere.test", b"support@supportal.localhost")
    )
    assert automated_reason(own, own_addresses=OWN) == "sent from our own address"


def test_subject_cleaning_drops_reply_prefixes_and_tags():
    assert clean_subject("RE: Fwd: [SUP-1042] Re: Orders", prefix="SUP") == "Orders"
    assert ticket_tag("Re: about SUP-1042", prefix="SUP") is None


def test_trimming_keeps_text_when_everything_is_quoted():
    assert trim_reply("> only a quote\n> more") == "> only a quote\n> more"
    assert trim_reply("Thanks\n\nOn Mon, 2 Mar 2026, Support wrote:\n> old") == "Thanks"
    assert trim_reply("Fine now\n-- \nBob\n+1 555") == "Fine now"


def test_authentication_results_are_read_per_method_with_comments_dropped():
    results = parse_authentication_results(
        [
            "mx.example.com 1; spf=pass (sender ip; is 1.2.3.4) smtp.mailfrom=a.test; "
            "dkim=fail (bad sig) header.d=a.test; DMARC=Fail (p=reject) header.from=a.test",
            "garbage without results",
        ]
    )
    assert results == (
        AuthResult("mx.example.com", "spf", "pass"),
        AuthResult("mx.example.com", "dkim", "fail"),
        AuthResult("mx.example.com", "dmarc", "fail"),
    )


@pytest.mark.parametrize(
    ("header", "trusted", "failed", "dmarc_passed"),
    [
        ("mx.us; dmarc=fail header.from=a.test", [], "dmarc=fail (mx.us)", False),
        ("mx.us; spf=fail", [], "spf=fail (mx.us)", False),
        ("mx.us; spf=softfail", [], "", False),
        # A list breaks one signature of two: DKIM still passes.
        ("mx.us; dkim=fail header.d=list.test; dkim=pass header.d=a.test", [], "", False),
        ("mx.us; dkim=fail header.d=a.test", [], "dkim=fail (mx.us)", False),
        # DMARC decides when it was checked.
        ("mx.us; spf=fail; dmarc=pass", ["mx.us"], "", True),
        # Without trusted servers a pass proves nothing; from an untrusted one, neither
        # does a pass nor a fail.
        ("mx.us; dmarc=pass", [], "", False),
        ("mx.attacker; dmarc=pass", ["mx.us"], "", False),
        ("mx.attacker; dmarc=fail", ["mx.us"], "", False),
    ],
)
def test_authentication_verdict(header, trusted, failed, dmarc_passed):
    verdict = authentication_verdict(
        parse_authentication_results([header]), trusted_ids=frozenset(trusted)
    )
    assert (verdict.failed, verdict.dmarc_passed) == (failed, dmarc_passed)

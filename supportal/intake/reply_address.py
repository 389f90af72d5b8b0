"""Reply tokens: what proves that a mail answering a ticket comes from someone we wrote to.

Every mail about a ticket carries a token bound to the ticket and to the address it was
sent to: in its Reply-To (``support+t42-<mac>@…``) and in its Message-ID, which replies
quote in In-Reply-To and References. The token is an HMAC with the SECRET_KEY, so nothing
is stored and nobody can make one up: a stranger who writes ``From: alice@…`` and
``[SUP-42]`` has none for alice, and a customer's own token is worthless under another
sender's name. (Anyone alice forwards our mail to can use hers: that is what DMARC, read
from ``Authentication-Results``, is for.)
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "supportal.intake.reply-address"
MAC_LENGTH = 24  # hex digits: 96 bits
# t<ticket id>-<mac>, where the plus tag or the Message-ID's local part holds it.
TOKEN = re.compile(rf"(?<![0-9a-z])t(\d{{1,12}})-([0-9a-f]{{{MAC_LENGTH}}})(?![0-9a-f])")


def _support_parts() -> tuple[str, str]:
    local, _, domain = settings.SUPPORTAL_SUPPORT_ADDRESS.lower().rpartition("@")
    return local or "support", domain or "supportal.localhost"


def _mac(ticket_id: int, address: str) -> str:
    value = f"{ticket_id}:{address.strip().lower()}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:MAC_LENGTH]


def reply_token(*, ticket_id: int, address: str) -> str:
    return f"t{ticket_id}-{_mac(ticket_id, address)}"


def reply_address(*, ticket_id: int, address: str) -> str:
    """The Reply-To of a mail about the ticket sent to ``address``."""
    local, domain = _support_parts()
    return f"{local}+{reply_token(ticket_id=ticket_id, address=address)}@{domain}"


def tokened_message_id(*, label: str, ticket_id: int, address: str) -> str:
    """A new Message-ID that carries the recipient's token for the ticket."""
    token = reply_token(ticket_id=ticket_id, address=address)
    _, domain = _support_parts()
    return f"<{label}.{timezone.now():%Y%m%d%H%M%S}.{secrets.token_hex(6)}.{token}@{domain}>"


def _tokens(recipients: Iterable[str], message_ids: Iterable[str]) -> list[tuple[int, str]]:
    """(ticket id, mac) of every token-shaped string in the plus tag of our own address
    among the recipients (To, Cc, Delivered-To) and in the Message-IDs referred to."""
    local, domain = _support_parts()
    places = [
        address.rpartition("@")[0].partition("+")[2]
        for address in recipients
        if address.lower().endswith("@" + domain) and address.lower().partition("+")[0] == local
    ]
    places += list(message_ids)
    return [
        (int(match.group(1)), match.group(2))
        for place in places
        for match in TOKEN.finditer(place.lower())
    ]


def proven_ticket_id(
    *, sender: str, recipients: Iterable[str], message_ids: Iterable[str]
) -> int | None:
    """The ticket a mail carries a valid token for, issued to ``sender``; else None."""
    for ticket_id, mac in _tokens(recipients, message_ids):
        if constant_time_compare(mac, _mac(ticket_id, sender)):
            return ticket_id
    return None


def claimed_ticket_ids(*, recipients: Iterable[str], message_ids: Iterable[str]) -> list[int]:
    """The tickets a mail's tokens name, valid or not: what it claims to answer."""
    return list(dict.fromkeys(ticket_id for ticket_id, _ in _tokens(recipients, message_ids)))

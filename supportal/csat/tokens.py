"""The survey's signed links: a token names one ticket, so it answers that ticket only.
No row stores it; it ends after SUPPORTAL_CSAT_LINK_DAYS."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "supportal.csat.answer"


def make_token(ticket_id: int) -> str:
    return signing.dumps(ticket_id, salt=SALT, compress=False)


def token_is_for(token: str, ticket_id: int) -> bool:
    """Whether ``token`` was issued for this ticket and is still valid."""
    max_age = settings.SUPPORTAL_CSAT_LINK_DAYS * 86400
    try:
        found: object = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return False
    return found == ticket_id

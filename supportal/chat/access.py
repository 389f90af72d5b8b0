"""Who may see and join which chat. Views, sockets and the API go through here."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import Http404

from supportal.accounts.credentials import still_current
from supportal.accounts.models import User

from .models import Chat

TOKEN_SALT = "supportal.chat.embed"


def chats_visible_to(user: User) -> QuerySet[Chat]:
    """Staff see every chat; a customer admin their organization's; a customer their own."""
    qs = Chat.objects.select_related("organization", "product", "customer", "agent", "ticket")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_support_staff:
        return qs
    if user.role == User.Role.CUSTOMER_ADMIN and user.organization_id:
        return qs.filter(organization_id=user.organization_id)
    if user.role == User.Role.CUSTOMER and user.organization_id:
        return qs.filter(customer=user, organization_id=user.organization_id)
    return qs.none()


def get_chat_for_user(user: User, chat_id: int) -> Chat:
    """The chat, or 404 when it does not exist or the user may not see it."""
    try:
        return chats_visible_to(user).get(pk=chat_id)
    except (Chat.DoesNotExist, ValueError, TypeError):
        raise Http404("No such chat") from None


def can_join(user: User, chat: Chat) -> bool:
    """A socket joins only its own chat: the customer who opened it, or its agent."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.pk == chat.customer_id or (user.is_support_staff and user.pk == chat.agent_id)


def can_write(user: User, chat: Chat) -> bool:
    return can_join(user, chat) and chat.is_live


def can_use_console(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_support_staff


def issue_embed_token(user: User) -> str:
    """A signed, short-lived token naming a customer, for the widget in the product admin."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(str(user.pk))


def user_for_embed_token(token: str) -> User | None:
    """The active customer a token names, or None when it is forged, expired or stale."""
    found = embed_token_holder(token)
    return found[0] if found else None


def embed_token_holder(token: str) -> tuple[User, datetime] | None:
    """The customer a token names and when it was issued, or None when it is forged,
    expired, or issued before the customer's password changed or they (or their
    organization) were deactivated (``accounts.credentials``)."""
    try:
        raw = signing.TimestampSigner(salt=TOKEN_SALT).unsign(
            token, max_age=settings.SUPPORTAL_CHAT_TOKEN_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return None
    # value:timestamp:signature, the signature checked above.
    issued_at = datetime.fromtimestamp(signing.b62_decode(token.rsplit(":", 2)[1]), tz=UTC)
    user = User.objects.filter(pk=int(raw)).select_related("organization").first()
    if user is None or not user.is_customer or not still_current(user, issued_at=issued_at):
        return None
    return user, issued_at

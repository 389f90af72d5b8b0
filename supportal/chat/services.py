"""The write path for live chat. Every change is committed before it is broadcast."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from supportal.accounts.access import require_staff
from supportal.accounts.models import Product, User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.languages import speaking_to
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Ticket
from supportal.tickets.uploads import check_upload

from . import broadcast, presence
from .eligibility import check_eligibility
from .models import AgentPresence, Chat, ChatFile, ChatMessage, ConsoleConnection
from .transcript import transcript_text

StrOrPromise = str | Promise  # a text, or a lazy translation rendered when stored


def _chat_ticket_subject(chat: Chat) -> str:
    """The subject of the ticket a chat continues as, in the customer's language."""
    with in_customer_language(chat.pk):
        return pgettext("ticket subject", "Chat: %(subject)s") % {"subject": chat.subject}


def _after_commit(func: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: func(*args, **kwargs))


def _claim_seq(chat_id: int, *, writer_id: int | None = None) -> int | None:
    """Take a chat's next sequence number in one statement, which also locks the chat row
    until commit (UPDATE ... RETURNING: SQLite 3.35+ and PostgreSQL). With ``writer_id``,
    only while the chat is live and the writer is its customer or agent; else None.

    This is the hot path of every message, so it is one statement rather than a locked
    read, a check, an update and a re-read."""
    sql, params = _claim_statement(chat_id, writer_id)
    with connection.cursor() as cursor:
        cursor.execute(sql + " RETURNING last_seq", params)
        row = cursor.fetchone()
    return row[0] if row else None


def _claim_statement(chat_id: int, writer_id: int | None) -> tuple[str, list[Any]]:
    """The UPDATE that takes the next number (without its RETURNING clause)."""
    table = connection.ops.quote_name(Chat._meta.db_table)
    sql = f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s"  # noqa: S608
    params: list[object] = [chat_id]
    if writer_id is not None:
        sql += " AND status IN (%s, %s) AND (customer_id = %s OR agent_id = %s)"
        params += [Chat.Status.WAITING, Chat.Status.ACTIVE, writer_id, writer_id]
    return sql, params


def _store(
    *,
    chat_id: int,
    seq: int,
    author: User | None,
    body: str,
    kind: str = ChatMessage.Kind.TEXT,
    file: ChatFile | None = None,
) -> ChatMessage:
    message = ChatMessage.objects.create(
        chat_id=chat_id, seq=seq, author=author, kind=kind, body=body, file=file
    )
    _after_commit(broadcast.publish_message, message)
    return message


def _append(
    *,
    chat_id: int,
    author: User | None,
    body: str,
    kind: str = ChatMessage.Kind.TEXT,
    file: ChatFile | None = None,
) -> ChatMessage:
    """Write the next message of a chat, numbered by the server. Call inside atomic()."""
    seq = _claim_seq(chat_id)
    if seq is None:
        raise Chat.DoesNotExist(f"no chat {chat_id}")
    return _store(chat_id=chat_id, seq=seq, author=author, body=body, kind=kind, file=file)


def _system(chat: Chat, body: StrOrPromise, **params: object) -> ChatMessage:
    return post_system_notice(chat_id=chat.pk, body=body, **params)


@contextmanager
def in_customer_language(chat_id: int) -> Iterator[str]:
    """Inside this block gettext speaks the chat customer's language: a notice is stored
    once, as text, and it is written to the customer."""
    customer = (
        User.objects.select_related("support_region", "organization__support_region")
        .filter(chats__pk=chat_id)
        .first()
    )
    with speaking_to(customer) as language:
        yield language


def post_system_notice(*, chat_id: int, body: StrOrPromise, **params: object) -> ChatMessage:
    """A notice from Supportal itself, seen by both sides, in the customer's language:
    ``body`` is a lazy translation whose ``%(name)s`` placeholders ``params`` fill. Call
    inside atomic()."""
    with in_customer_language(chat_id):
        text = str(body % params) if params else str(body)
    return _append(chat_id=chat_id, author=None, body=text, kind=ChatMessage.Kind.SYSTEM)


def _clean_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise InvalidInput({"body": _("Write a message before sending.")})
    if "\x00" in text:  # PostgreSQL text cannot hold it
        raise InvalidInput({"body": _("A message cannot contain NUL characters.")})
    limit = settings.SUPPORTAL_CHAT_MAX_MESSAGE_CHARS
    if len(text) > limit:
        raise InvalidInput(
            {"body": _("Keep a chat message under %(limit)s characters.") % {"limit": limit}}
        )
    return text


def _check_participant(chat: Chat, user: User) -> None:
    if user.pk not in (chat.customer_id, chat.agent_id):
        raise NotPermitted(_("Only the customer and the agent of a chat write in it."))


def start_chat(*, customer: User, product: Product, question: str) -> Chat:
    """Open a chat in the waiting list. Preconditions: the customer is eligible now."""
    question = _clean_body(question)
    eligibility = check_eligibility(user=customer, product=product)
    if not eligibility.eligible:
        raise RuleViolation(
            "chat_unavailable", eligibility.reason or _("Live chat is unavailable.")
        )
    with transaction.atomic():
        chat = Chat.objects.create(
            organization_id=customer.organization_id,  # type: ignore[misc]  # eligible: has one
            customer=customer,
            product=product,
            subject=question.splitlines()[0][:200],
        )
        _append(chat_id=chat.pk, author=customer, body=question)
        _after_commit(broadcast.publish_queue_changed)
    return chat


def post_message(*, chat_id: int, author: User, body: str) -> ChatMessage:
    """Preconditions: the author is the chat's customer or its agent; the chat is live."""
    body = _clean_body(body)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        message = _post_in_one_statement(chat_id=chat_id, author=author, body=body)
        if message is None:
            _refuse(chat_id, author)
        broadcast.publish_message(message)  # committed: the statement was its transaction
        return message
    with transaction.atomic():
        seq = _claim_seq(chat_id, writer_id=author.pk)
        if seq is None:
            _refuse(chat_id, author)
        return _store(chat_id=chat_id, seq=seq, author=author, body=body)


def _refuse(chat_id: int, author: User) -> NoReturn:
    chat = Chat.objects.get(pk=chat_id)
    _check_participant(chat, author)
    raise RuleViolation("chat_ended", _("This chat has ended."))


def _post_in_one_statement(*, chat_id: int, author: User, body: str) -> ChatMessage | None:
    """PostgreSQL: claim the next sequence number and write the message in one statement,
    which in autocommit is its own transaction: one round trip per message. The UPDATE
    locks the chat row, so concurrent writers of one chat (on any process) take the numbers
    one after another, each seeing the last one's commit (READ COMMITTED re-reads the row).
    None when the chat is not live or the author is not its customer or agent."""
    claim, params = _claim_statement(chat_id, author.pk)
    messages = connection.ops.quote_name(ChatMessage._meta.db_table)
    now = timezone.now()
    kind = ChatMessage.Kind.TEXT
    sql = f"""
        WITH claimed AS ({claim} RETURNING id, last_seq)
        INSERT INTO {messages} (chat_id, seq, author_id, kind, body, file_id, created_at)
        SELECT id, last_seq, %s, %s, %s, NULL, %s FROM claimed
        RETURNING id, seq
    """  # noqa: S608 (table names from the models, values as parameters)
    params += [author.pk, kind, body, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    message = ChatMessage(
        id=row[0], chat_id=chat_id, seq=row[1], author=author, kind=kind, body=body, created_at=now
    )
    message._state.adding = False
    message._state.db = connection.alias
    return message


def share_file(*, chat: Chat, uploader: User, upload: UploadedFile) -> ChatMessage:
    """Store a file under the portal's attachment rules and post a message naming it."""
    _check_participant(chat, uploader)
    content_type = check_upload(upload)
    stored: ChatFile | None = None
    try:
        with transaction.atomic():
            chat = Chat.objects.select_for_update().get(pk=chat.pk)
            if not chat.is_live:
                raise RuleViolation("chat_ended", _("This chat has ended."))
            stored = ChatFile(chat=chat, uploaded_by=uploader)
            stored.keep(upload, content_type=content_type)
            stored.save()
            return _append(
                chat_id=chat.pk,
                author=uploader,
                body=stored.original_name,
                kind=ChatMessage.Kind.FILE,
                file=stored,
            )
    except Exception:
        if stored is not None:
            stored.discard()
        raise


def _check_can_take(agent: User) -> None:
    require_staff(agent, "take chats")
    if not presence.has_capacity(agent):
        limit = settings.SUPPORTAL_CHAT_MAX_PER_AGENT
        raise RuleViolation(
            "agent_at_capacity",
            _("An agent takes at most %(limit)s chats at once.") % {"limit": limit},
        )


def accept_chat(*, chat_id: int, agent: User) -> Chat:
    """Take a waiting chat. Two agents accepting at once: one wins, the other gets 409."""
    with transaction.atomic():
        _check_can_take(agent)
        now = timezone.now()
        limit = timedelta(minutes=settings.SUPPORTAL_CHAT_LIMIT_MINUTES)
        # The first acceptance starts the chat's clock; a chat back from the waiting list
        # keeps the clock it had.
        claimed = Chat.objects.filter(pk=chat_id, status=Chat.Status.WAITING).update(
            status=Chat.Status.ACTIVE,
            agent=agent,
            accepted_at=now,
            started_at=Coalesce("started_at", Value(now)),
            deadline_at=Coalesce("deadline_at", Value(now + limit)),
        )
        if claimed != 1:
            raise RuleViolation("chat_taken", _("Another agent took this chat, or it has ended."))
        chat = Chat.objects.select_related("agent", "ticket").get(pk=chat_id)
        _system(chat, gettext_lazy("%(name)s joined the chat."), name=agent.get_short_name())
        _after_commit(broadcast.publish_state, chat)
        _after_commit(broadcast.publish_queue_changed)
        _after_commit(
            broadcast.publish_assignment, agent_id=agent.pk, chat_id=chat.pk, assigned=True
        )
    return chat


def transfer_chat(*, chat_id: int, actor: User, to_agent_id: int) -> Chat:
    """Hand a live chat to another agent, who must be online with room for it."""
    require_staff(actor, "transfer chats")
    target = User.objects.filter(pk=to_agent_id, is_active=True).first()
    if target is None or not target.is_support_staff:
        raise InvalidInput({"to_agent": _("Transfer to an active member of the support staff.")})
    with transaction.atomic():
        chat = Chat.objects.select_for_update().get(pk=chat_id)
        if chat.status != Chat.Status.ACTIVE:
            raise RuleViolation("chat_not_active", _("Only a chat in conversation is transferred."))
        if chat.agent_id == target.pk:
            raise InvalidInput({"to_agent": _("The chat is already with this agent.")})
        if not (presence.is_available(target) and presence.is_connected(target)):
            raise RuleViolation(
                "agent_unavailable", _("%(agent)s is not taking chats now.") % {"agent": target}
            )
        _check_can_take(target)
        previous = chat.agent_id
        chat.agent = target
        chat.accepted_at = chat.accepted_at or timezone.now()
        chat.save(update_fields=["agent", "accepted_at"])
        _system(
            chat,
            gettext_lazy("The chat was transferred to %(agent)s."),
            agent=target.get_short_name(),
        )
        chat = Chat.objects.select_related("agent", "ticket").get(pk=chat.pk)
        _after_commit(broadcast.publish_state, chat)
        _after_commit(
            broadcast.publish_assignment, agent_id=target.pk, chat_id=chat.pk, assigned=True
        )
        if previous:
            _after_commit(
                broadcast.publish_assignment, agent_id=previous, chat_id=chat.pk, assigned=False
            )
    return chat


def convert_to_ticket(*, chat_id: int, actor: User) -> Ticket:
    """Hand the conversation over to a ticket: the transcript, the product and the customer.

    The customer is told the ticket's number in the chat, and the chat ends."""
    require_staff(actor, "convert chats to tickets")
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update().select_related("customer", "product").get(pk=chat_id)
        )
        if not chat.is_live:
            raise RuleViolation("chat_ended", _("This chat has already ended."))
        return hand_over_to_ticket(
            chat=chat,
            assignee=actor,
            notice=gettext_lazy(
                "This question continues as ticket %(number)s. We will answer you there; "
                "the chat has ended."
            ),
        )


def hand_over_to_ticket(*, chat: Chat, assignee: User | None, notice: StrOrPromise) -> Ticket:
    """Open the ticket a live chat continues as: the customer's, about the chat's product,
    the transcript as its description and attached as a text file; assigned to
    ``assignee`` when given. The chat ends with ``notice`` (``%(number)s``: the ticket's).

    Preconditions: inside atomic(), the chat row locked and live."""
    transcript = transcript_text(chat)
    draft = ticket_services.TicketDraft(
        product=chat.product.slug,
        kind=Ticket.Kind.QUESTION,
        subject=_chat_ticket_subject(chat)[:200],
        description=transcript,
    )
    attachment = SimpleUploadedFile(
        f"chat-{chat.pk}-transcript.txt", transcript.encode(), content_type="text/plain"
    )
    ticket = ticket_services.open_ticket(
        requester=chat.customer, draft=draft, channel=Ticket.Channel.CHAT, uploads=[attachment]
    )
    if assignee is not None and assignee.is_support_staff:
        ticket = ticket_services.assign_ticket(
            ticket=ticket, actor=assignee, assignee_id=assignee.pk
        )
    previous = chat.agent_id
    chat.status = Chat.Status.CONVERTED
    chat.ticket = ticket
    chat.ended_at = timezone.now()
    chat.save(update_fields=["status", "ticket", "ended_at"])
    _system(chat, notice, number=ticket.number)
    _finish(chat, previous_agent_id=previous)
    return ticket


def end_chat(*, chat_id: int, actor: User) -> Chat:
    """End a chat: its customer or its agent (or any staff member) may."""
    with transaction.atomic():
        chat = Chat.objects.select_for_update().get(pk=chat_id)
        if actor.pk != chat.customer_id and not actor.is_support_staff:
            raise NotPermitted(_("Only the chat's customer or support staff end a chat."))
        if not chat.is_live:
            return chat
        previous = chat.agent_id
        chat.status = Chat.Status.ENDED
        chat.ended_at = timezone.now()
        chat.save(update_fields=["status", "ended_at"])
        _system(chat, gettext_lazy("%(name)s ended the chat."), name=actor.get_short_name())
        _finish(chat, previous_agent_id=previous)
    return chat


def _finish(chat: Chat, *, previous_agent_id: int | None) -> None:
    chat = Chat.objects.select_related("agent", "ticket").get(pk=chat.pk)
    _after_commit(broadcast.publish_state, chat)
    _after_commit(broadcast.publish_queue_changed)
    if previous_agent_id:
        _after_commit(
            broadcast.publish_assignment,
            agent_id=previous_agent_id,
            chat_id=chat.pk,
            assigned=False,
        )


def return_to_waiting(*, chat_id: int, notice: StrOrPromise) -> Chat | None:
    """Put an active chat back in the waiting list, in its original place."""
    with transaction.atomic():
        chat = Chat.objects.select_for_update().get(pk=chat_id)
        if chat.status != Chat.Status.ACTIVE:
            return None
        previous = chat.agent_id
        chat.status = Chat.Status.WAITING
        chat.agent = None
        chat.accepted_at = None
        chat.save(update_fields=["status", "agent", "accepted_at"])
        _system(chat, notice)
        _finish(chat, previous_agent_id=previous)
    return chat


def set_availability(*, agent: User, available: bool) -> AgentPresence:
    require_staff(agent, "take chats")
    with transaction.atomic():
        row, _created = AgentPresence.objects.select_for_update().get_or_create(agent=agent)
        row.available = available
        row.changed_at = timezone.now()
        row.save(update_fields=["available", "changed_at"])
    return row


def console_connected(*, agent: User, channel_name: str) -> None:
    ConsoleConnection.objects.update_or_create(
        channel_name=channel_name, defaults={"agent": agent, "heartbeat_at": timezone.now()}
    )


def console_heartbeat(*, agent: User, channel_name: str) -> None:
    if not ConsoleConnection.objects.filter(channel_name=channel_name).update(
        heartbeat_at=timezone.now()
    ):
        console_connected(agent=agent, channel_name=channel_name)


AGENT_GONE_NOTICE = gettext_lazy(
    "Your agent was disconnected. You are back in the waiting list, in your place; "
    "the next free agent will continue."
)


def console_closed(*, channel_name: str) -> None:
    ConsoleConnection.objects.filter(channel_name=channel_name).delete()


def requeue_if_agent_gone(*, agent: User) -> list[int]:
    """When the agent has no console open any more, their chats go back to waiting.
    Returns the IDs of the chats put back."""
    if presence.is_connected(agent):
        return []
    return _requeue_agent_chats(agent.pk)


def console_disconnected(*, agent: User, channel_name: str) -> list[int]:
    """A console socket closed: when it was the agent's last, their chats go back."""
    console_closed(channel_name=channel_name)
    return requeue_if_agent_gone(agent=agent)


def _requeue_agent_chats(agent_id: int) -> list[int]:
    ids = list(
        Chat.objects.filter(agent_id=agent_id, status=Chat.Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    return [
        chat_id for chat_id in ids if return_to_waiting(chat_id=chat_id, notice=AGENT_GONE_NOTICE)
    ]


def sweep_stale_consoles() -> list[int]:
    """Forget consoles whose process stopped sending heartbeats; requeue their agents'
    chats. Safe to run on every process at once."""
    ConsoleConnection.objects.filter(heartbeat_at__lt=presence.fresh_since()).delete()
    orphaned = (
        Chat.objects.filter(status=Chat.Status.ACTIVE)
        .exclude(agent__chat_connections__heartbeat_at__gte=presence.fresh_since())
        .values_list("agent_id", flat=True)
        .distinct()
    )
    requeued: list[int] = []
    for agent_id in list(orphaned):
        if agent_id is not None:
            requeued += _requeue_agent_chats(agent_id)
    return requeued

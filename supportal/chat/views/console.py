"""The agent console: waiting chats in order of arrival, several chats side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from .. import presence, services, time_limit
from ..access import can_use_console
from ..forms import AvailabilityForm, ExtendForm, TransferForm
from ..models import Chat
from ..queries import (
    canned_answers,
    chats_of_agent,
    messages_of,
    recent_tickets_of,
    transfer_targets,
    waiting_chats,
)


def _agent(request: AuthenticatedHttpRequest) -> User:
    user = request.user
    if not can_use_console(user):
        raise Http404("No such page")
    return user


def _pane(chat: Chat, agent: User) -> dict[str, Any]:
    chat_messages = list(messages_of(chat))
    return {
        "chat": chat,
        "chat_messages": chat_messages,
        "last_seq": chat_messages[-1].seq if chat_messages else 0,
        "recent_tickets": recent_tickets_of(chat, agent),
        "canned": canned_answers(chat.product),
        "transfer_form": TransferForm(agents=transfer_targets(chat), prefix=f"t{chat.pk}"),
    }


@login_required
@require_GET
def console(request: AuthenticatedHttpRequest) -> HttpResponse:
    agent = _agent(request)
    services.sweep_stale_consoles()
    context = {
        "waiting": list(waiting_chats()),
        "panes": [_pane(chat, agent) for chat in chats_of_agent(agent)],
        "available": presence.is_available(agent),
        "capacity": presence.has_capacity(agent),
        "limit_minutes": settings.SUPPORTAL_CHAT_LIMIT_MINUTES,
        "extension_minutes": settings.SUPPORTAL_CHAT_EXTENSION_MINUTES,
    }
    template = "chat/console.html"
    if request.GET.get("fragment") == "waiting":
        template += "#waiting"
    return render(request, template, context)


@login_required
@require_POST
def console_availability(request: AuthenticatedHttpRequest) -> HttpResponse:
    agent = _agent(request)
    form = AvailabilityForm(request.POST)
    form.is_valid()
    services.set_availability(agent=agent, available=bool(form.cleaned_data.get("available")))
    return redirect("chat:console")


def _act(request: HttpRequest, action: Callable[..., object], **kwargs: Any) -> HttpResponse:
    try:
        action(**kwargs)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
    except Chat.DoesNotExist:
        raise Http404("No such chat") from None
    return redirect("chat:console")


@login_required
@require_POST
def chat_accept(request: AuthenticatedHttpRequest, chat_id: int) -> HttpResponse:
    return _act(request, services.accept_chat, chat_id=chat_id, agent=_agent(request))


@login_required
@require_POST
def chat_transfer(request: AuthenticatedHttpRequest, chat_id: int) -> HttpResponse:
    agent = _agent(request)
    chat = Chat.objects.filter(pk=chat_id).first()
    if chat is None:
        raise Http404("No such chat")
    form = TransferForm(request.POST, agents=transfer_targets(chat), prefix=f"t{chat.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose an available agent to transfer the chat to."))
        return redirect("chat:console")
    return _act(
        request,
        services.transfer_chat,
        chat_id=chat_id,
        actor=agent,
        to_agent_id=form.cleaned_data["to_agent"].pk,
    )


@login_required
@require_POST
def chat_convert(request: AuthenticatedHttpRequest, chat_id: int) -> HttpResponse:
    agent = _agent(request)
    try:
        ticket = services.convert_to_ticket(chat_id=chat_id, actor=agent)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    except Chat.DoesNotExist:
        raise Http404("No such chat") from None
    else:
        messages.success(
            request, _("The chat is now ticket %(number)s.") % {"number": ticket.number}
        )
    return redirect("chat:console")


@login_required
@require_POST
def chat_extend(request: AuthenticatedHttpRequest, chat_id: int) -> HttpResponse:
    """The chat's agent gives it more time than the limit, saying why (audited)."""
    agent = _agent(request)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this chat needs more than the time allowed."))
        return redirect("chat:console")
    try:
        time_limit.extend_chat(chat_id=chat_id, actor=agent, reason=form.cleaned_data["reason"])
    except (Chat.DoesNotExist, NotPermitted):
        raise Http404("No such chat") from None
    except RuleViolation as exc:
        messages.error(request, exc.message)
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        minutes = settings.SUPPORTAL_CHAT_EXTENSION_MINUTES
        messages.success(
            request,
            ngettext(
                "The chat was extended by %(minutes)s minute.",
                "The chat was extended by %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
    return redirect("chat:console")


@login_required
@require_POST
def chat_end(request: AuthenticatedHttpRequest, chat_id: int) -> HttpResponse:
    user = request.user
    try:
        chat = services.end_chat(chat_id=chat_id, actor=user)
    except Chat.DoesNotExist:
        raise Http404("No such chat") from None
    except NotPermitted:
        raise Http404("No such chat") from None
    if can_use_console(user):
        return redirect("chat:console")
    return redirect(chat)

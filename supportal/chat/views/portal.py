"""The customer's side in the portal: start a chat, chat, past transcripts, files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.pagination import keyset_page
from supportal.core.uploads import refused_upload_response
from supportal.core.views import file_download

from .. import services
from ..access import can_join, get_chat_for_user, user_for_embed_token
from ..eligibility import chat_products_for, check_eligibility
from ..forms import StartChatForm
from ..models import Chat, ChatFile
from ..queries import messages_of, search_transcripts


def chat_page_context(chat: Chat, user: User, *, token: str = "") -> dict[str, Any]:
    messages = list(messages_of(chat))
    return {
        "chat": chat,
        "chat_messages": messages,
        "last_seq": messages[-1].seq if messages else 0,
        "can_write": can_join(user, chat) and chat.is_live,
        "token": token,
    }


@login_required
@require_http_methods(["GET", "POST"])
def chat_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask a quick question live, or learn why chat is not offered and file a ticket."""
    user = request.user
    if not user.is_customer:
        raise Http404("Live chat is for customers")
    products = chat_products_for(user)
    checks = [(product, check_eligibility(user=user, product=product)) for product in products]
    eligible = [product for product, check in checks if check.eligible]
    form = StartChatForm(products=eligible)
    if request.method == "POST" and eligible:
        form = StartChatForm(request.POST, products=eligible)
        if form.is_valid():
            try:
                chat = services.start_chat(
                    customer=user,
                    product=form.cleaned_data["product"],
                    question=form.cleaned_data["question"],
                )
            except (InvalidInput, RuleViolation) as exc:
                message = (
                    exc.message
                    if isinstance(exc, RuleViolation)
                    else next(iter(exc.errors.values()))
                )
                form.add_error(None, message)
            else:
                return redirect(chat)
    live = search_transcripts(user).filter(customer=user, status__in=Chat.LIVE_STATUSES).first()
    return render(
        request,
        "chat/chat_start.html",
        {
            "form": form,
            "checks": checks,
            "eligible": eligible,
            "live_chat": live,
            "limit_minutes": settings.SUPPORTAL_CHAT_LIMIT_MINUTES,
        },
    )


@login_required
@require_GET
def chat_detail(request: AuthenticatedHttpRequest, chat_id: int) -> HttpResponse:
    """One chat: live for its customer and agent, a read-only transcript for the rest."""
    user = request.user
    chat = get_chat_for_user(user, chat_id)
    return render(request, "chat/chat_detail.html", chat_page_context(chat, user))


@login_required
@require_GET
def chat_history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Past and current chats; staff search every transcript."""
    user = request.user
    text = request.GET.get("q", "")[:200]
    page = keyset_page(
        search_transcripts(user, text),
        order=["-queued_at", "-id"],
        cursor=request.GET.get("cursor"),
        limit=settings.SUPPORTAL_PAGE_SIZE,
    )
    return render(request, "chat/chat_history.html", {"page": page, "q": text})


def store_upload(request: HttpRequest, chat: Chat, user: User) -> JsonResponse:
    refused = refused_upload_response(request)  # too large, or too many files
    if refused is not None:
        return refused
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"errors": {"file": _("Choose a file to share.")}}, status=422)
    try:
        message = services.share_file(chat=chat, uploader=user, upload=upload)
    except InvalidInput as exc:
        return JsonResponse({"errors": {"file": " ".join(exc.errors.values())}}, status=422)
    except RuleViolation as exc:
        return JsonResponse({"errors": {"file": exc.message}, "code": exc.code}, status=409)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    return JsonResponse({"seq": message.seq}, status=201)


@login_required
@require_POST
def chat_upload(request: AuthenticatedHttpRequest, chat_id: int) -> JsonResponse:
    """Share a file in a chat (the portal's attachment rules); the socket shows it."""
    user = request.user
    chat = get_chat_for_user(user, chat_id)
    if not can_join(user, chat):
        raise PermissionDenied("Only the chat's customer and agent share files in it.")
    return store_upload(request, chat, user)


@require_GET
def chat_file(request: HttpRequest, chat_id: int, file_id: int) -> FileResponse:
    """A shared file, always as a download with its checked type."""
    token = request.GET.get("token", "")
    user = user_for_embed_token(token) if token else request.user
    if user is None or not user.is_authenticated:
        raise Http404("No such file")
    chat = get_chat_for_user(user, chat_id)
    found = ChatFile.objects.filter(chat=chat, pk=file_id).first()
    if found is None:
        raise Http404("No such file")
    return file_download(found)

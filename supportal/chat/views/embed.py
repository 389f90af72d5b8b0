"""The chat widget a vendor places in its product admin.

The product admin asks the portal for a signed, short-lived token for the signed-in
customer (``POST /chat/embed/token/`` with the customer's API bearer token), then loads
``static/js/chat-embed.js``, which frames ``/chat/embed/?token=...``. The token, not a
cookie, authenticates the frame, its socket and its uploads, so these routes need no CSRF
check; only origins in ``SUPPORTAL_CHAT_EMBED_ORIGINS`` may frame the page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from supportal.accounts.models import User
from supportal.accounts.services import user_for_token
from supportal.core.errors import InvalidInput, RuleViolation

from .. import services
from ..access import can_join, get_chat_for_user, issue_embed_token, user_for_embed_token
from ..eligibility import chat_products_for, check_eligibility
from ..forms import StartChatForm
from ..models import Chat
from .portal import chat_page_context, store_upload


def _frameable(response: HttpResponse) -> HttpResponse:
    origins = settings.SUPPORTAL_CHAT_EMBED_ORIGINS
    if origins:
        response.xframe_options_exempt = True
        response._csp_update = {"frame-ancestors": list(origins)}  # type: ignore[attr-defined]
        response._csp_replace = {"frame-ancestors": list(origins)}  # type: ignore[attr-defined]
    return response


def _token_user(token: str) -> User:
    user = user_for_embed_token(token)
    if user is None:
        raise Http404("This chat link has expired; reload the page.")
    return user


@csrf_exempt
@require_POST
def embed_token(request: HttpRequest) -> HttpResponse:
    """Issue a widget token for the customer named by a bearer token (or the session).

    Exempt from Django's CSRF check for bearer tokens (which another site cannot send for
    the customer); with the session cookie, which a cross-site form does carry, the CSRF
    token is checked as on any page."""
    header = request.headers.get("Authorization", "")
    user: User | None = None
    if header.startswith("Bearer "):
        user = user_for_token(header.removeprefix("Bearer ").strip())
    elif request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: HttpResponse()).process_view(
            request,
            None,  # type: ignore[arg-type]  # the CSRF check alone: no view to call
            (),
            {},
        )
        if refused is not None:
            return refused
        user = request.user
    if user is None:
        return JsonResponse({"detail": "Authenticate with a bearer token."}, status=401)
    if not user.is_customer:
        return JsonResponse({"detail": "The chat widget is for customers."}, status=403)
    return JsonResponse(
        {
            "token": issue_embed_token(user),
            "expires_in": settings.SUPPORTAL_CHAT_TOKEN_MAX_AGE_SECONDS,
            "url": request.build_absolute_uri(reverse("chat:embed")),
        }
    )


@require_GET
def embed_page(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token", "")
    user = _token_user(token)
    chat_id = request.GET.get("chat")
    if chat_id:
        chat = get_chat_for_user(user, chat_id)  # type: ignore[arg-type]
        context = chat_page_context(chat, user, token=token)
        return _frameable(render(request, "chat/embed.html", context))
    live = (
        Chat.objects.filter(customer=user, status__in=Chat.LIVE_STATUSES)
        .order_by("-queued_at")
        .first()
    )
    if live is not None:
        return redirect(
            f"{reverse('chat:embed')}?{urlencode({'token': token, 'chat': str(live.pk)})}"
        )
    products = chat_products_for(user)
    checks = [(p, check_eligibility(user=user, product=p)) for p in products]
    eligible = [p for p, check in checks if check.eligible]
    form = StartChatForm(products=eligible, initial={"product": request.GET.get("product")})
    context = {"form": form, "checks": checks, "eligible": eligible, "token": token}
    return _frameable(render(request, "chat/embed.html", context))


@csrf_exempt
@require_POST
def embed_start(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    user = _token_user(token)
    eligible = [
        p for p in chat_products_for(user) if check_eligibility(user=user, product=p).eligible
    ]
    form = StartChatForm(request.POST, products=eligible)
    if form.is_valid():
        try:
            chat = services.start_chat(
                customer=user,
                product=form.cleaned_data["product"],
                question=form.cleaned_data["question"],
            )
        except (InvalidInput, RuleViolation) as exc:
            form.add_error(
                None,
                exc.message if isinstance(exc, RuleViolation) else " ".join(exc.errors.values()),
            )
        else:
            return redirect(
                f"{reverse('chat:embed')}?{urlencode({'token': token, 'chat': str(chat.pk)})}"
            )
    context = {"form": form, "checks": [], "eligible": eligible, "token": token}
    return _frameable(render(request, "chat/embed.html", context))


@csrf_exempt
@require_POST
def embed_upload(request: HttpRequest, chat_id: int) -> JsonResponse:
    user = _token_user(request.headers.get("X-Chat-Token", ""))
    chat = get_chat_for_user(user, chat_id)
    if not can_join(user, chat):
        raise Http404("No such chat")
    return store_upload(request, chat, user)

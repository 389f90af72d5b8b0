"""News pages (logged in), subscription confirm and one-click unsubscribe (public links)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.throttle import client_ip
from supportal.core.errors import InvalidInput, add_errors
from supportal.core.pagination import keyset_page
from supportal.core.subscriptions import confirm_page, unsubscribe_page

from . import queries, services
from .forms import NewsFilterForm, SubscribeForm
from .models import Post
from .queries import PostFilter
from .subscriptions import SUBSCRIPTIONS


@login_required
@require_GET
def post_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    post_filter = PostFilter.from_query(request.GET)
    page = keyset_page(
        queries.published_posts(post_filter).prefetch_related("translations"),
        order=["-published_at", "-id"],
        cursor=request.GET.get("cursor"),
        limit=settings.SUPPORTAL_PAGE_SIZE,
    )
    feed_query = request.GET.copy()
    feed_query.pop("cursor", None)
    return render(
        request,
        "news/post_list.html",
        {
            "page": page,
            "posts": _localized(page.items),
            "filter_form": NewsFilterForm(request.GET or None),
            "subscribe_form": SubscribeForm(initial={"email": request.user.email}),
            "feed_query": feed_query.urlencode(),
        },
    )


@login_required
@require_GET
def post_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    post = queries.posts_visible_to(request.user).filter(slug=slug).first()
    if post is None:
        raise Http404("No such post")
    shown = queries.localize_post(post, queries.reader_language())
    return render(request, "news/post_detail.html", {"post": post, "shown": shown})


def _localized(posts: list[Post]) -> list[tuple[Post, queries.LocalizedPost]]:
    language = queries.reader_language()
    return [(post, queries.localize_post(post, language)) for post in posts]


@login_required
@require_POST
def subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            services.request_subscription(**form.cleaned_data, client_ip=client_ip(request))
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            # The same answer whether a mail went out or the throttle held it back.
            messages.success(
                request,
                _(
                    "Almost done: a confirmation link is on its way to %(email)s. "
                    "Follow it to subscribe."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("news:list")
    post_filter = PostFilter()
    page = keyset_page(
        queries.published_posts(post_filter).prefetch_related("translations"),
        order=["-published_at", "-id"],
        cursor=None,
        limit=settings.SUPPORTAL_PAGE_SIZE,
    )
    return render(
        request,
        "news/post_list.html",
        {
            "page": page,
            "posts": _localized(page.items),
            "filter_form": NewsFilterForm(),
            "subscribe_form": form,
            "feed_query": "",
        },
        status=422,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return confirm_page(
        request, token, subscriptions=SUBSCRIPTIONS, template="news/subscription_confirm.html"
    )


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs with no session; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return unsubscribe_page(
        request, token, subscriptions=SUBSCRIPTIONS, template="news/unsubscribe.html"
    )

"""Knowledge-base pages: search, articles (with staff authoring, preview and history),
documentation, videos, the new-ticket suggestions and the staff insights.

Each view: authorise → parse → service or query → render. Training pages are in
``training_views``."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import Product, User
from supportal.core.errors import InvalidInput, add_errors
from supportal.core.markdown import render_markdown

from . import queries, services
from .access import (
    articles_visible_to,
    can_author,
    doc_pages_visible_to,
    get_article_by_id_for_user,
    get_article_for_user,
    get_deflection_for_user,
    search_for_user,
    videos_visible_to,
)
from .embeds import frame_sources
from .forms import ArticleForm, SearchForm, VoteForm
from .models import Article, ArticleVote, SearchDocument
from .revisions import diff_lines, field_changes


def _require_author(user: User) -> None:
    if not can_author(user):
        raise Http404("No such page")


# --- Search ----------------------------------------------------------------------------


@login_required
@require_GET
def kb_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search across articles, documentation and video transcripts, by product."""
    user = request.user
    form = SearchForm(request.GET)
    query, product = "", ""
    if form.is_valid():
        query, product = form.cleaned_data["q"], form.cleaned_data["product"]
    language = queries.reader_language()
    hits = search_for_user(user, query, product=product or None, language=language) if query else []
    if query and not hits:
        services.record_search_gap(query=query, product=product or None)
    # The form set flat (slug, name) choices on its product field.
    product_choices = cast("list[tuple[str, str]]", form.fields["product"].choices)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "query": query,
        "hits": hits,
        "recent": []
        if query
        else _with_titles(queries.recent_articles(user, product=product or None), language),
        "product_name": dict(product_choices).get(product, "") if product else "",
        "products": Product.objects.filter(active=True).order_by("name"),
        "can_author": can_author(user),
    }
    template = "kb/kb_index.html" + ("#results" if getattr(request, "htmx", False) else "")
    return render(request, template, context)


def _with_titles(articles: list[Article], language: str) -> list[tuple[Article, str]]:
    """Each article with its title in the reader's language (where translated)."""
    titles = queries.localized_titles(articles, language)
    return [(article, titles.get(article.pk, article.title)) for article in articles]


# --- Articles --------------------------------------------------------------------------


@login_required
@require_GET
def article_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    article = get_article_for_user(user, slug)
    suggestion = None
    raw_suggestion = request.GET.get("suggestion", "")
    if raw_suggestion.isdigit():
        try:
            suggestion = get_deflection_for_user(user, int(raw_suggestion))
        except Http404:
            suggestion = None
    vote = ArticleVote.objects.filter(article=article, user_id=user.pk).first()
    shown = queries.localize_article(article, queries.reader_language())
    return render(
        request,
        "kb/article_detail.html",
        {
            "article": article,
            "shown": shown,
            "body_html": render_markdown(shown.body),
            "suggestion": suggestion,
            "vote": vote,
            "can_author": can_author(user),
        },
    )


@login_required
@require_POST
def article_vote(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """ "Was this helpful?" — one answer per reader, changeable."""
    user = request.user
    article = get_article_for_user(user, slug)
    form = VoteForm(request.POST)
    if form.is_valid():
        services.vote_on_article(article=article, user=user, helpful=form.cleaned_data["helpful"])
        messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Choose yes or no."))
    return redirect(article)


def _render_article_form(
    request: HttpRequest, form: ArticleForm, article: Article | None, preview: Any = None
) -> HttpResponse:
    return render(
        request, "kb/article_form.html", {"form": form, "article": article, "preview": preview}
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff write an article; "Preview" shows it rendered without saving."""
    user = request.user
    _require_author(user)
    if request.method != "POST":
        return _render_article_form(request, ArticleForm(), None)
    form = ArticleForm(request.POST)
    if "preview" in request.POST:
        return _render_article_form(
            request, form, None, render_markdown(request.POST.get("body", ""))
        )
    if form.is_valid():
        try:
            article = services.create_article(author=user, draft=form.to_draft())
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(request, _("Article “%(title)s” saved.") % {"title": article.title})
            return redirect(article)
    return _render_article_form(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    _require_author(user)
    article = get_article_for_user(user, slug)
    if request.method != "POST":
        return _render_article_form(
            request, ArticleForm(initial=ArticleForm.initial_for(article)), article
        )
    form = ArticleForm(request.POST)
    if "preview" in request.POST:
        return _render_article_form(
            request, form, article, render_markdown(request.POST.get("body", ""))
        )
    if form.is_valid():
        try:
            article = services.update_article(article=article, editor=user, draft=form.to_draft())
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(request, _("Article “%(title)s” saved.") % {"title": article.title})
            return redirect(article)
    return _render_article_form(request, form, article)


@login_required
@require_GET
def article_history(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    _require_author(user)
    article = get_article_for_user(user, slug)
    return render(
        request,
        "kb/article_history.html",
        {"article": article, "revisions": queries.article_revisions(article)},
    )


def _revision_fields(revision: Any) -> dict[str, str]:
    return {
        _("Title"): revision.title,
        _("Product"): revision.product_slug,
        _("Category"): revision.category_name,
        _("Tags"): revision.tags,
        _("Status"): revision.get_status_display(),
    }


@login_required
@require_GET
def article_diff(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """What revision ``number`` changed, against ``?against=`` (default: the one before)."""
    user = request.user
    _require_author(user)
    article = get_article_for_user(user, slug)
    revisions = article.revisions.select_related("editor")
    new = get_object_or_404(revisions, number=number)
    against = request.GET.get("against", "")
    old_number = int(against) if against.isdigit() else number - 1
    old = revisions.filter(number=old_number).first()
    old_fields = _revision_fields(old) if old else {}
    return render(
        request,
        "kb/article_diff.html",
        {
            "article": article,
            "new": new,
            "old": old,
            "changes": field_changes(old_fields, _revision_fields(new)),
            "lines": diff_lines(old.body if old else "", new.body),
        },
    )


# --- Documentation and videos ----------------------------------------------------------


@login_required
@require_GET
def doc_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    products = Product.objects.filter(active=True).order_by("name")
    trees = [(product, queries.doc_tree(user, product)) for product in products]
    return render(request, "kb/doc_index.html", {"trees": [t for t in trees if t[1]]})


@login_required
@require_GET
def doc_detail(request: AuthenticatedHttpRequest, product: str, slug: str) -> HttpResponse:
    user = request.user
    page = doc_pages_visible_to(user).filter(product__slug=product, slug=slug).first()
    if page is None:
        raise Http404("No such page")
    return render(
        request,
        "kb/doc_detail.html",
        {
            "page": page,
            "body_html": render_markdown(page.body),
            "tree": queries.doc_tree(user, page.product),
        },
    )


@login_required
@require_GET
def video_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    videos = videos_visible_to(request.user).order_by("product__name", "title")
    return render(request, "kb/video_list.html", {"videos": videos})


@login_required
@require_GET
def video_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    video = videos_visible_to(request.user).filter(slug=slug).first()
    if video is None:
        raise Http404("No such video")
    response = render(request, "kb/video_detail.html", {"video": video})
    # Only this page may frame the allow-listed players (django-csp per-response update).
    response._csp_update = {"frame-src": frame_sources(settings.SUPPORTAL_KB_VIDEO_HOSTS)}  # type: ignore[attr-defined]
    return response


# --- Deflection: suggestions on the new-ticket form ------------------------------------


@login_required
@require_GET
def suggest(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The htmx fragment under the new-ticket form: the best matching articles."""
    user = request.user
    subject = request.GET.get("subject", "")[:200]
    description = request.GET.get("description", "")[:2000]
    product = request.GET.get("product", "")[:30] or None
    query = f"{subject} {description}".strip()
    hits = search_for_user(
        user,
        query,
        product=product,
        kinds=[SearchDocument.Kind.ARTICLE],
        limit=settings.SUPPORTAL_KB_SUGGESTIONS,
        language=queries.reader_language(),
    )
    links = [
        (
            hit,
            reverse("kb:suggestion_open", kwargs={"article_id": hit.object_id})
            + "?"
            + urlencode({"q": subject or query[:200]}),
        )
        for hit in hits
    ]
    return render(request, "kb/suggestions.html", {"links": links, "query": query})


@login_required
@require_GET
def suggestion_open(request: AuthenticatedHttpRequest, article_id: int) -> HttpResponse:
    """The tracking link of a suggestion: record that it was opened, then show it."""
    user = request.user
    article = get_article_by_id_for_user(user, article_id)
    event = services.open_suggestion(user=user, article=article, query=request.GET.get("q", ""))
    url = article.get_absolute_url()
    if event is not None:
        url += "?" + urlencode({"suggestion": event.pk})
    return redirect(url)


@login_required
@require_POST
def suggestion_solved(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    """ "This solved my question": counted, and back to the customer's tickets unfiled."""
    user = request.user
    event = get_deflection_for_user(user, event_id)
    services.mark_solved(event=event, user=user)
    messages.success(request, _("Glad that answered it. No ticket was filed."))
    return redirect("tickets:list")


# --- Staff insights --------------------------------------------------------------------


@login_required
@require_GET
def insights(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per article deflection and helpfulness, and the searches that found nothing."""
    user = request.user
    _require_author(user)
    return render(
        request,
        "kb/insights.html",
        {
            "insights": queries.article_insights(),
            "gaps": queries.search_gaps(),
            "drafts": articles_visible_to(user).filter(status=Article.Status.DRAFT),
            "window": settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES,
        },
    )

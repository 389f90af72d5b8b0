"""The ideas board: browse, vote, follow, comment; staff set status, merge, link tickets."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportal.accounts.access import is_working_staff, staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.tickets.access import get_ticket_for_user

from . import queries, services
from .forms import BoardFilterForm, CommentForm, IdeaForm, LinkTicketForm, MergeForm, StatusForm
from .models import Idea
from .queries import BoardFilters

MANAGE_IDEAS = "Only support staff manage ideas."


def _errors(form: Any, exc: InvalidInput) -> None:
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    sort = request.GET.get("sort", "popular")
    sort = sort if sort in queries.SORTS else "popular"
    filter_form = BoardFilterForm(request.GET or None)
    status = product = ""
    if filter_form.is_valid():
        status = filter_form.cleaned_data["status"] or ""
        product = (
            filter_form.cleaned_data["product"].slug if filter_form.cleaned_data["product"] else ""
        )
    page = queries.board_page(
        user,
        BoardFilters(sort=sort, status=status, product=product),
        cursor=request.GET.get("cursor"),
    )
    voted = queries.voted_idea_ids(user, page.items)
    for idea in page.items:
        idea.voted = idea.pk in voted
    return render(
        request,
        "ideas/idea_board.html",
        {
            "page": page,
            "sort": sort,
            "filter_form": filter_form,
            "can_manage": services.can_manage_ideas(user),
            "idea_form": IdeaForm() if services.can_manage_ideas(user) else None,
        },
    )


def _detail_context(request: AuthenticatedHttpRequest, idea: Idea, **forms: Any) -> dict[str, Any]:
    user = request.user
    manage = services.can_manage_ideas(user)
    return {
        "idea": idea,
        "voted": bool(queries.voted_idea_ids(user, [idea])),
        "following": queries.is_following(user, idea),
        "comments": queries.comments(idea),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "can_vote": user.is_customer,
        "can_manage": manage,
        "status_form": (forms.get("status_form") or StatusForm(initial={"status": idea.status}))
        if manage
        else None,
        "merge_form": (forms.get("merge_form") or _merge_form(idea)) if manage else None,
        "links": queries.linked_tickets(user, idea),
        "history": idea.status_changes.all()[:10],
    }


def _merge_form(idea: Idea, data: QueryDict | None = None) -> MergeForm:
    form = MergeForm(data)
    target = cast("forms.ModelChoiceField[Idea]", form.fields["target"])
    target.queryset = cast("QuerySet[Idea]", target.queryset).exclude(pk=idea.pk)
    return form


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, idea_id: int) -> HttpResponse:
    idea = queries.get_idea_for_user(request.user, idea_id)
    if idea.merged_into_id:
        messages.info(request, _("“%(title)s” was merged into this idea.") % {"title": idea.title})
        return redirect("ideas:detail", idea.merged_into_id)
    return render(request, "ideas/idea_detail.html", _detail_context(request, idea))


def _local_next(request: HttpRequest) -> str | None:
    """The ``next`` address when it is a path on this site; None for another site (an open
    redirect) or for anything that is not an address (``redirect`` would read it as a view
    name and fail)."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


@login_required
@require_POST
def vote(request: AuthenticatedHttpRequest, idea_id: int) -> HttpResponse:
    user = request.user
    idea = queries.get_idea_for_user(user, idea_id)
    if not user.is_customer:
        raise PermissionDenied("Only customers vote.")
    if request.POST.get("action") == "unvote":
        idea = services.unvote(idea=idea, user=user)
    else:
        idea = services.vote(idea=idea, user=user)
    if getattr(request, "htmx", False):
        context = {"idea": idea, "voted": request.POST.get("action") != "unvote", "can_vote": True}
        return render(request, "ideas/_vote.html", context)
    return redirect(_local_next(request) or idea.get_absolute_url())


@login_required
@require_POST
def follow(request: AuthenticatedHttpRequest, idea_id: int) -> HttpResponse:
    idea = queries.get_idea_for_user(request.user, idea_id)
    services.set_following(
        idea=idea, user=request.user, follow=request.POST.get("action") != "unfollow"
    )
    return redirect(idea.get_absolute_url())


@login_required
@require_POST
def comment(request: AuthenticatedHttpRequest, idea_id: int) -> HttpResponse:
    idea = queries.get_idea_for_user(request.user, idea_id)
    if not (request.user.is_customer or request.user.is_support_staff):
        raise PermissionDenied("Only customers and support staff comment.")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(idea=idea, author=request.user, body=form.cleaned_data["body"])
        except InvalidInput as exc:
            _errors(form, exc)
        else:
            return redirect(idea.get_absolute_url() + "#comments")
    context = _detail_context(request, idea, comment_form=form)
    return render(request, "ideas/idea_detail.html", context, status=422)


@login_required
@require_POST
@staff_only(forbidden=MANAGE_IDEAS)
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = IdeaForm(request.POST)
    if form.is_valid():
        idea = services.create_idea(actor=request.user, **form.cleaned_data)
        return redirect(idea.get_absolute_url())
    messages.error(request, _("Give the idea a title."))
    return redirect("ideas:board")


@login_required
@require_POST
@staff_only(forbidden=MANAGE_IDEAS)
def set_status(request: AuthenticatedHttpRequest, idea_id: int) -> HttpResponse:
    idea = queries.get_idea_for_user(request.user, idea_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(idea=idea, actor=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Status updated; followers are being told."))
            return redirect(idea.get_absolute_url())
    context = _detail_context(request, idea, status_form=form)
    return render(request, "ideas/idea_detail.html", context, status=422)


@login_required
@require_POST
@staff_only(forbidden=MANAGE_IDEAS)
def merge(request: AuthenticatedHttpRequest, idea_id: int) -> HttpResponse:
    idea = queries.get_idea_for_user(request.user, idea_id)
    form = _merge_form(idea, request.POST)
    if form.is_valid():
        try:
            target = services.merge_ideas(
                source=idea, target=form.cleaned_data["target"], actor=request.user
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Merged “%(title)s” into this idea.") % {"title": idea.title}
            )
            return redirect(target.get_absolute_url())
    context = _detail_context(request, idea, merge_form=form)
    return render(request, "ideas/idea_detail.html", context, status=422)


@login_required
@require_POST
def link_ticket(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """From the ticket's staff panel: count this feature request for an idea."""
    ticket = get_ticket_for_user(request.user, ticket_id)  # 404 first: no enumeration
    if not is_working_staff(request.user):
        raise PermissionDenied(MANAGE_IDEAS)
    form = LinkTicketForm(request.POST)
    if form.is_valid():
        try:
            idea = services.link_ticket(
                ticket=ticket,
                actor=request.user,
                idea=form.cleaned_data["idea"],
                new_title=form.cleaned_data["new_title"],
            )
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(number)s now counts for “%(title)s”.")
                % {"number": ticket.number, "title": idea.title},
            )
    else:
        messages.error(request, _("Pick an idea, or leave it empty to make a new one."))
    return redirect(ticket.get_absolute_url())

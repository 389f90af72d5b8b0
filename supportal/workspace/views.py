"""The agent's "mentioned me" page."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from supportal.accounts.models import User
from supportal.tickets.access import can_work_tickets

from . import services
from .mentions import handle_of
from .queries import mentions_of

PAGE = 100


@login_required
@require_GET
def mention_list(request: HttpRequest) -> HttpResponse:
    """The notes that named the agent, newest first; opening the page reads them."""
    user = cast(User, request.user)
    if not can_work_tickets(user):
        raise Http404("No such page")
    mentions = list(mentions_of(user)[:PAGE])
    services.mark_mentions_read(user=user)
    return render(
        request,
        "workspace/mention_list.html",
        {"mentions": mentions, "handle": handle_of(user.email), "current": "mentions"},
    )

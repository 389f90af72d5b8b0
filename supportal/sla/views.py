from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from supportal.tickets.access import can_read_as_staff, can_work_tickets

from . import paging
from .models import Page
from .queries import urgent_use_by_organization


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request, token: str):
    """The link in a page: staff confirm they have it; repeats and escalation stop."""
    if not can_work_tickets(request.user):
        raise Http404("No such page")
    page = get_object_or_404(Page.objects.select_related("ticket"), ack_token=token)
    if request.method == "POST":
        if paging.acknowledge_page(page=page, user=request.user):
            messages.success(request, f"Page acknowledged: {page.ticket.number} is yours.")
        else:
            messages.info(request, "This page was already acknowledged or cancelled.")
        return redirect(page.ticket.get_absolute_url())
    return render(request, "sla/page_acknowledge.html", {"page": page, "ticket": page.ticket})


@login_required
def urgent_report(request):
    """How each organization uses the urgent flag, and how often staff disagreed."""
    if not can_read_as_staff(request.user):
        raise Http404("No such page")
    return render(request, "sla/urgent_report.html", {"rows": urgent_use_by_organization()})

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.tickets.access import can_read_as_staff

from . import paging
from .models import Page
from .queries import published_hours, urgent_use_by_organization
from .services import format_business_hours, policy_for


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def acknowledge(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The link in a page: staff confirm they have it; repeats and escalation stop."""
    page = get_object_or_404(Page.objects.select_related("ticket"), ack_token=token)
    if request.method == "POST":
        if paging.acknowledge_page(page=page, user=request.user):
            messages.success(
                request,
                _("Page acknowledged: %(number)s is yours.") % {"number": page.ticket.number},
            )
        else:
            messages.info(request, _("This page was already acknowledged or cancelled."))
        return redirect(page.ticket.get_absolute_url())
    return render(request, "sla/page_acknowledge.html", {"page": page, "ticket": page.ticket})


@login_required
def urgent_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How each organization uses the urgent flag, and how often staff disagreed."""
    if not can_read_as_staff(request.user):
        raise Http404("No such page")
    return render(request, "sla/urgent_report.html", {"rows": urgent_use_by_organization()})


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """The public "contact support" page: what the policy publishes (the portal first, the
    phone line, each region's hours and holidays, the first-response goal), and no
    invitation to email, which the policy discourages."""
    phone = settings.SUPPORTAL_SUPPORT_PHONE
    extension = settings.SUPPORTAL_SUPPORT_PHONE_EXTENSION
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    today = timezone.localdate()
    return render(
        request,
        "sla/contact.html",
        {
            "phone": phone,
            "extension": extension,
            "phone_href": f"tel:{digits},{extension}" if extension else f"tel:{digits}",
            "regions": published_hours(
                today=today, holiday_days=settings.SUPPORTAL_CONTACT_HOLIDAY_DAYS
            ),
            "first_response": format_business_hours(policy_for(plan=None).first_response_minutes),
            "engineering_days": settings.SUPPORTAL_ENGINEERING_TURNAROUND_DAYS,
            "chat_minutes": settings.SUPPORTAL_CHAT_LIMIT_MINUTES,
        },
    )

"""Training pages: upcoming sessions with registration, one-on-one requests, and the
staff attendance sheet (which meets the customers' support training requirement)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import TrainingSession, User
from supportal.accounts.services import has_attended_training
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.tickets.access import can_file_tickets

from . import queries, services
from .access import can_author
from .forms import AttendanceForm, OneOnOneTrainingForm


def _training_page(
    request: AuthenticatedHttpRequest, one_on_one: OneOnOneTrainingForm | None
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "kb/training.html",
        {
            "sessions": queries.upcoming_sessions(user),
            "trained": has_attended_training(user),
            "one_on_one": one_on_one,
            "staff_sessions": queries.sessions_for_attendance() if can_author(user) else None,
        },
    )


@login_required
@require_GET
def training(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = OneOnOneTrainingForm(user=user) if can_file_tickets(user) else None
    return _training_page(request, form)


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=session_id)
    try:
        services.register_for_training(session=session, user=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have a seat at “%(title)s”.") % {"title": session.title})
    return redirect("kb:training")


@login_required
@require_POST
def unregister(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=session_id)
    try:
        services.unregister_from_training(session=session, user=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your seat at “%(title)s” is released.") % {"title": session.title}
        )
    return redirect("kb:training")


@login_required
@require_POST
def one_on_one(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Request one-on-one training: a billable training-request ticket for the PS team."""
    user = request.user
    if not can_file_tickets(user):
        raise Http404("No such page")
    form = OneOnOneTrainingForm(request.POST, user=user)
    if form.is_valid():
        try:
            ticket = services.request_one_on_one_training(
                requester=user,
                product=form.cleaned_data["product"],
                details=form.cleaned_data["details"],
            )
        except InvalidInput as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Training request %(number)s received.") % {"number": ticket.number}
            )
            return redirect(ticket)
    return _training_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Staff tick who attended a session."""
    user = request.user
    if not can_author(user):
        raise Http404("No such page")
    session = get_object_or_404(TrainingSession.objects.select_related("product"), pk=session_id)
    registrants = User.objects.filter(training_registrations__session=session).order_by("name")
    attended = set(session.attendance.values_list("user_id", flat=True))
    form = AttendanceForm(registrants=registrants, initial={"attendees": list(attended)})
    if request.method == "POST":
        form = AttendanceForm(request.POST, registrants=registrants)
        if form.is_valid():
            added = services.mark_attendance(
                session=session, attendees=list(form.cleaned_data["attendees"]), recorded_by=user
            )
            messages.success(request, _("Attendance recorded (%(added)s new).") % {"added": added})
            return redirect("kb:attendance", session_id=session.pk)
    return render(
        request,
        "kb/training_attendance.html",
        {"session": session, "form": form, "registrants": registrants, "attended": attended},
    )

"""The public status page (no login), its JSON summary, subscriptions, and the staff desk."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.throttle import client_ip
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.core.subscriptions import confirm_page, unsubscribe_page

from . import queries, services
from .forms import IncidentForm, MaintenanceForm, SubscribeForm, UpdateForm
from .models import Incident
from .subscriptions import SUBSCRIPTIONS


def _page_context(subscribe_form: SubscribeForm | None = None) -> dict[str, Any]:
    data = queries.summary()
    return {
        "overall": data["status"],
        "histories": queries.component_histories(),
        "open_incidents": queries.open_incidents(),
        "maintenance": queries.upcoming_maintenance(),
        "past_incidents": queries.past_incidents(days=settings.SUPPORTAL_STATUS_PAST_DAYS),
        "history_days": settings.SUPPORTAL_STATUS_HISTORY_DAYS,
        "past_days": settings.SUPPORTAL_STATUS_PAST_DAYS,
        "subscribe_form": subscribe_form or SubscribeForm(),
    }


@require_GET
def status_page(request: HttpRequest) -> HttpResponse:
    return render(request, "status/status_page.html", _page_context())


@require_GET
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(queries.feed_incidents_queryset(), pk=incident_id)
    return render(request, "status/incident_detail.html", {"incident": incident})


@require_GET
@cache_control(max_age=30, public=True)
def summary_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(queries.summary())
    response["Access-Control-Allow-Origin"] = "*"  # status widgets on other sites read it
    return response


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            services.request_subscription(
                email=form.cleaned_data["email"], client_ip=client_ip(request)
            )
        except InvalidInput as exc:
            form.add_error("email", exc.errors.get("email", _("Enter a valid email address.")))
        else:
            # The same answer whether a mail went out, was held back, or the address is
            # known: nothing here tells who subscribes.
            messages.success(
                request,
                _(
                    "If that address can receive notifications, a confirmation link is on its "
                    "way. Follow it to subscribe."
                ),
            )
            return redirect("status:page")
    return render(request, "status/status_page.html", _page_context(form), status=422)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return confirm_page(
        request, token, subscriptions=SUBSCRIPTIONS, template="status/subscription.html"
    )


@csrf_exempt  # RFC 8058 one-click unsubscribe: the mail client POSTs; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return unsubscribe_page(
        request, token, subscriptions=SUBSCRIPTIONS, template="status/unsubscribe.html"
    )


# --- Staff desk ----------------------------------------------------------------------------


def _desk(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "incident_form": forms.get("incident_form") or IncidentForm(),
        "maintenance_form": forms.get("maintenance_form") or MaintenanceForm(),
        "open_events": list(queries.open_incidents()) + list(queries.upcoming_maintenance()),
        "update_forms": forms.get("update_forms") or {},
    }
    events = context["open_events"]
    for event in events:
        event.update_form = context["update_forms"].get(event.pk) or UpdateForm(
            prefix=f"u{event.pk}", initial={"status": event.status}
        )
    return render(request, "status/manage.html", context, status=status)


def _form_errors(form: django_forms.Form, exc: InvalidInput) -> None:
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
@staff_only
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _desk(request)
    action = request.POST.get("action")
    form: IncidentForm | MaintenanceForm
    if action == "incident":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                services.open_incident(
                    name=form.cleaned_data["name"],
                    body=form.cleaned_data["body"],
                    impact=form.cleaned_data["impact"],
                    author=request.user,
                    component_statuses=form.component_statuses(),
                )
            except InvalidInput as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Incident opened; subscribers are being told."))
                return redirect("status:manage")
        return _desk(request, 422, incident_form=form)
    if action == "maintenance":
        form = MaintenanceForm(request.POST)
        if form.is_valid():
            try:
                services.schedule_maintenance(
                    name=form.cleaned_data["name"],
                    body=form.cleaned_data["body"],
                    author=request.user,
                    components=list(form.cleaned_data["components"]),
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                )
            except InvalidInput as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Maintenance scheduled."))
                return redirect("status:manage")
        return _desk(request, 422, maintenance_form=form)
    raise Http404("Unknown action")


@login_required
@require_POST
@staff_only
def post_update(request: AuthenticatedHttpRequest, incident_id: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=incident_id)
    form = UpdateForm(request.POST, prefix=f"u{incident.pk}")
    if form.is_valid():
        try:
            services.post_update(
                incident=incident,
                status=form.cleaned_data["status"],
                body=form.cleaned_data["body"],
                author=request.user,
                component_statuses=form.component_statuses(),
            )
        except InvalidInput as exc:
            _form_errors(form, exc)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Update posted to “%(name)s”.") % {"name": incident.name})
            return redirect("status:manage")
    return _desk(request, 422, update_forms={incident.pk: form})

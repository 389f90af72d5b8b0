"""The data-rights page of an organization: exports with their progress and downloads,
and (managers) erasure. Who may not see an organization gets 404, as elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportal.accounts.access import can_manage_people, get_organization_for_user
from supportal.accounts.models import Organization, User
from supportal.core.errors import InvalidInput, RuleViolation, add_errors

from . import services
from .forms import ErasureForm, ExportForm
from .models import DataExport


def _people(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(organization=organization).order_by("name", "email")


def _customers(organization: Organization) -> QuerySet[User]:
    return _people(organization).filter(role__in=User.CUSTOMER_ROLES)


def _page(
    request: HttpRequest,
    organization: Organization,
    *,
    export_form: ExportForm | None = None,
    erasure_form: ErasureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    exports = DataExport.objects.filter(organization=organization).select_related(
        "person", "requested_by"
    )[:20]
    context = {
        "organization": organization,
        "exports": exports,
        "pending": any(export.is_pending for export in exports),
        "export_form": export_form or ExportForm(people=_people(organization)),
        "may_erase": user.is_manager,
        "keep_days": settings.SUPPORTAL_EXPORT_KEEP_DAYS,
        "erasure_form": erasure_form or ErasureForm(people=_customers(organization)),
    }
    template = "privacy/organization_privacy.html"
    if getattr(request, "htmx", False) and request.GET.get("part") == "exports":
        template += "#exports"
    return render(request, template, context, status=status)


@login_required
@require_GET
def organization_privacy(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, organization_id)  # type: ignore[arg-type]
    return _page(request, organization)


@login_required
@require_POST
def export_request(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, organization_id)  # type: ignore[arg-type]
    form = ExportForm(request.POST, people=_people(organization))
    if not form.is_valid():
        return _page(request, organization, export_form=form, status=422)
    try:
        services.request_export(
            actor=request.user,  # type: ignore[arg-type]
            organization=organization,
            person=form.cleaned_data["person"],
        )
    except InvalidInput as exc:
        add_errors(form, exc.errors)
        return _page(request, organization, export_form=form, status=422)
    messages.success(request, _("The export is being made: it appears below when ready."))
    return redirect("privacy:organization", organization_id=organization.pk)


@login_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    export = get_object_or_404(
        DataExport.objects.select_related("organization"),
        pk=export_id,
        status=DataExport.Status.READY,
    )
    if not can_manage_people(request.user, export.organization):  # type: ignore[arg-type]
        raise Http404("No such export")
    path = services.export_path(export)
    if not path.is_file():
        raise Http404("No such export")
    slug = "".join(c if c.isalnum() else "-" for c in export.organization.name.lower())
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"supportal-{slug}-{export.created_at:%Y%m%d}-{export.pk}.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def erase(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, organization_id)  # type: ignore[arg-type]
    user = request.user
    assert isinstance(user, User)
    if not user.is_manager:
        raise Http404("No such page")
    form = ErasureForm(request.POST, people=_customers(organization))
    if not form.is_valid():
        return _page(request, organization, erasure_form=form, status=422)
    try:
        services.erase_person(
            actor=user, person=form.cleaned_data["person"], reason=form.cleaned_data["reason"]
        )
    except InvalidInput as exc:
        add_errors(form, exc.errors)
        return _page(request, organization, erasure_form=form, status=422)
    except RuleViolation as exc:
        form.add_error(None, exc.message)
        return _page(request, organization, erasure_form=form, status=409)
    messages.success(request, _("The person's personal data was erased; their tickets remain."))
    return redirect("privacy:organization", organization_id=organization.pk)

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation, add_errors
from supportal.core.locks import named_lock

from . import access, services, throttle, two_factor
from .forms import (
    AcceptInvitationForm,
    InviteForm,
    LoginForm,
    OneTimeCodeForm,
    OrganizationForm,
    ThrottledPasswordResetForm,
)
from .http import AuthenticatedHttpRequest
from .models import Organization, User

PENDING_KEY = "supportal_2fa_pending"


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_staff_or_auditor:
        return redirect("tickets:queue")
    return redirect("tickets:list")


class LoginView(auth_views.LoginView):
    """Password first; users with a second factor go on to ``accounts:two_factor``."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.second_factor_enabled(user):
            return super().form_valid(form)
        session = self.request.session
        session.cycle_key()  # a new key for the half-logged-in session too
        session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,  # type: ignore[attr-defined]  # set by authenticate()
            "at": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:two_factor")


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    if time.time() - pending["at"] > settings.SUPPORTAL_2FA_PENDING_MINUTES * 60:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    return (user, pending) if user else None


def two_factor_step(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code, or enrolling an authenticator app first."""
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Log in again, please."))
        return redirect("accounts:login")
    user, pending = found
    if throttle.is_locked_out(request, email=user.email):
        return throttle.lockout_response(request)
    enrolling = two_factor.confirmed_device(user) is None
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with named_lock(throttle.login_lock_name(user.email)):
            device = two_factor.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            next_url = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
        throttle.record_failed_second_factor(request, user=user)
        if getattr(request, "axes_locked_out", False):
            return throttle.lockout_response(request)
        form.add_error("code", _("That code is not right. Codes change every 30 seconds."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        device = two_factor.enrolment_device(user)
        context["qr_code"] = two_factor.qr_code_data_uri(device)
        context["secret"] = two_factor.secret_for_manual_entry(device)
    return render(request, "accounts/two_factor.html", context)


@login_required
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own security settings: second factor and API tokens."""
    user = request.user
    device = two_factor.confirmed_device(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and device is None and form.is_valid():
        with named_lock(throttle.login_lock_name(user.email)):
            confirmed = two_factor.verify_code(user, form.cleaned_data["code"])
        if confirmed is not None:
            otp_login(request, confirmed)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect("accounts:security")
        form.add_error("code", _("That code is not right. Codes change every 30 seconds."))
    context = {
        "device": device,
        "required": two_factor.second_factor_required(user),
        "form": form,
        "tokens": services.live_tokens_of(user),
    }
    if device is None:
        enrolment = two_factor.enrolment_device(user)
        context["qr_code"] = two_factor.qr_code_data_uri(enrolment)
        context["secret"] = two_factor.secret_for_manual_entry(enrolment)
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(services.live_tokens_of(request.user), pk=token_id)
    services.revoke_api_token(token=token)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("accounts:security")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        # The new password is saved by Django's form; what the old one was used for ends.
        with transaction.atomic():
            response = super().form_valid(form)
            services.end_credentials(user_ids=[form.user.pk])
        return response


# --- Organizations and their people ----------------------------------------------------


@login_required
@require_GET
def my_organization(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A customer admin's "People" link: their own organization's page."""
    user = request.user
    if user.role != User.Role.CUSTOMER_ADMIN or user.organization_id is None:
        raise Http404("No such page")
    return redirect("accounts:organization", organization_id=user.organization_id)


@login_required
@require_GET
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff console's organizations, with their people counts."""
    if not access.can_list_organizations(request.user):
        raise Http404("No such page")
    organizations = Organization.objects.select_related("plan", "support_region").annotate(
        people=Count("users", filter=Q(users__is_active=True))
    )
    return render(
        request,
        "accounts/organization_list.html",
        {
            "organizations": organizations.order_by("name"),
            "can_create": access.can_create_organizations(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers create an organization and invite its first administrator in one step."""
    user = request.user
    if not access.can_create_organizations(user):
        raise Http404("No such page")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                organization = services.create_organization(
                    actor=user,
                    name=data["name"],
                    slug=data["slug"],
                    plan=data["plan"],
                    products=list(data["products"]),
                    support_region=data["support_region"],
                )
                services.invite_user(
                    actor=user,
                    organization=organization,
                    email=data["admin_email"],
                    name=data["admin_name"],
                    role=User.Role.CUSTOMER_ADMIN,
                )
        except InvalidInput as exc:
            errors = dict(exc.errors)
            if "email" in errors:
                errors["admin_email"] = errors.pop("email")
            add_errors(form, errors)
        else:
            messages.success(
                request,
                _("%(organization)s was created and %(email)s was invited as its administrator.")
                % {"organization": organization.name, "email": data["admin_email"]},
            )
            return redirect("accounts:organization", organization_id=organization.pk)
    return render(request, "accounts/organization_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organization_people(request: AuthenticatedHttpRequest, organization_id: int) -> HttpResponse:
    """Who is in the organization, pending invitations, and the invitation form (POST)."""
    user = request.user
    organization = access.get_organization_for_user(user, organization_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_user(
                actor=user,
                organization=organization,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(
                request,
                ngettext(
                    "Invitation sent to %(email)s; the link works once, for %(days)s day.",
                    "Invitation sent to %(email)s; the link works once, for %(days)s days.",
                    settings.SUPPORTAL_INVITATION_DAYS,
                )
                % {"email": invitation.email, "days": settings.SUPPORTAL_INVITATION_DAYS},
            )
            return redirect("accounts:organization", organization_id=organization.pk)
    return render(
        request,
        "accounts/organization_people.html",
        {
            "organization": organization,
            "members": access.members_of(organization),
            "invitations": access.invitations_of(organization),
            "form": form,
            "now": timezone.now(),
            "invitation_days": settings.SUPPORTAL_INVITATION_DAYS,
        },
    )


@login_required
@require_POST
def member_activation(
    request: AuthenticatedHttpRequest, organization_id: int, member_id: int
) -> HttpResponse:
    """Deactivate (``active=0``) or reactivate (``active=1``) a person of the organization."""
    user = request.user
    organization = access.get_organization_for_user(user, organization_id)
    member = access.get_member_for_user(user, organization, member_id)
    activate = request.POST.get("active") == "1"
    try:
        if activate:
            services.reactivate_user(actor=user, user=member)
            messages.success(
                request, _("%(name)s can log in again.") % {"name": member.get_full_name()}
            )
        else:
            services.deactivate_user(actor=user, user=member)
            messages.success(
                request, _("%(name)s can no longer log in.") % {"name": member.get_full_name()}
            )
    except NotPermitted as exc:
        messages.error(request, str(exc))
    return redirect("accounts:organization", organization_id=organization.pk)


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, organization_id: int, invitation_id: int
) -> HttpResponse:
    user = request.user
    organization = access.get_organization_for_user(user, organization_id)
    invitation = access.get_invitation_for_user(user, organization, invitation_id)
    if services.revoke_invitation(actor=user, invitation=invitation):
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    else:
        messages.info(request, _("That invitation was no longer pending."))
    return redirect("accounts:organization", organization_id=organization.pk)


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a name and a password, and be logged in."""
    invitation = services.pending_invitation_for(token)
    if invitation is None:
        return render(request, "accounts/invitation_accept.html", {"invitation": None}, status=404)
    form = AcceptInvitationForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept_invitation(
                raw_token=token,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            auth_login(request, new_user, backend="supportal.accounts.backends.AccountBackend")
            messages.success(
                request, _("Welcome to Supportal, %(name)s.") % {"name": new_user.get_short_name()}
            )
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )

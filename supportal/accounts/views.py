from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from supportal.core.locks import named_lock

from . import services, throttle, two_factor
from .forms import LoginForm, OneTimeCodeForm, ThrottledPasswordResetForm
from .models import User

PENDING_KEY = "supportal_2fa_pending"


def home(request):
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

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.second_factor_enabled(user):
            return super().form_valid(form)
        session = self.request.session
        session.cycle_key()  # a new key for the half-logged-in session too
        session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:two_factor")


def _pending_user(request: HttpRequest) -> tuple[User, dict] | None:
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
        messages.info(request, "Log in again, please.")
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
        form.add_error("code", "That code is not right. Codes change every 30 seconds.")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        device = two_factor.enrolment_device(user)
        context["qr_code"] = two_factor.qr_code_data_uri(device)
        context["secret"] = two_factor.secret_for_manual_entry(device)
    return render(request, "accounts/two_factor.html", context)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The person's own security settings: second factor and API tokens."""
    user = request.user
    device = two_factor.confirmed_device(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and device is None and form.is_valid():
        with named_lock(throttle.login_lock_name(user.email)):
            confirmed = two_factor.verify_code(user, form.cleaned_data["code"])
        if confirmed is not None:
            otp_login(request, confirmed)
            messages.success(request, "Two-factor authentication is on for your account.")
            return redirect("accounts:security")
        form.add_error("code", "That code is not right. Codes change every 30 seconds.")
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
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(services.live_tokens_of(request.user), pk=token_id)
    services.revoke_api_token(token=token)
    messages.success(request, "The token was revoked; it no longer works.")
    return redirect("accounts:security")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The new password is saved by Django's form; what the old one was used for ends.
        with transaction.atomic():
            response = super().form_valid(form)
            services.end_credentials(user_ids=[form.user.pk])
        return response

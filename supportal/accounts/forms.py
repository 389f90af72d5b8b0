"""Forms of the login, second-factor and password-reset pages."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction

from . import throttle, two_factor
from .tasks import send_password_reset_task


class LoginForm(AuthenticationForm):
    """Django's login form with each attempt counted and serialised per email (throttle)."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = throttle.authenticate_throttled(
                self.request, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's own login form, throttled the same way. It has no second step, so users
    who need a second factor are sent to the portal's login instead."""

    clean = LoginForm.clean

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if two_factor.second_factor_enabled(user):
            raise forms.ValidationError(
                "Your account uses two-factor authentication: log in on the portal's login "
                "page, then open the admin.",
                code="second_factor",
            )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Records the request and sends the mail from a job: the page answers alike (and as
    fast) for known, unknown and throttled addresses. The link in the mail is built on the
    public URL, whatever Host the request named (``services.send_password_reset_mail``)."""

    def save(self, *, request=None, **kwargs) -> None:
        email = self.cleaned_data["email"]
        ip = throttle.client_ip(request) if request is not None else None
        if not throttle.allow_password_reset(email=email, ip_address=ip):
            return
        transaction.on_commit(lambda: send_password_reset_task(email))

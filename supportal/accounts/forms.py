"""Forms of the login, second-factor, password-reset, invitation and people pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import throttle, two_factor
from .models import Plan, Product, SupportRegion, User
from .tasks import send_password_reset_task


class LoginForm(AuthenticationForm):
    """Django's login form with each attempt counted and serialised per email (throttle)."""

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = throttle.authenticate_throttled(
                self.request,  # type: ignore[arg-type]  # the login view always passes it
                email=email,
                password=password,
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's own login form, throttled the same way. It has no second step, so users
    who need a second factor are sent to the portal's login instead."""

    clean = LoginForm.clean

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if two_factor.second_factor_enabled(user):
            raise forms.ValidationError(
                _(
                    "Your account uses two-factor authentication: log in on the portal's login "
                    "page, then open the admin."
                ),
                code="second_factor",
            )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Records the request and sends the mail from a job: the page answers alike (and as
    fast) for known, unknown and throttled addresses. The link in the mail is built on the
    public URL, whatever Host the request named (``services.send_password_reset_mail``)."""

    # override: takes the one argument it uses; Django's view passes the rest as keywords.
    def save(self, *, request: HttpRequest | None = None, **kwargs: Any) -> None:  # type: ignore[override]
        email = self.cleaned_data["email"]
        ip = throttle.client_ip(request) if request is not None else None
        if not throttle.allow_password_reset(email=email, ip_address=ip):
            return
        transaction.on_commit(lambda: send_password_reset_task(email))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (User.Role.CUSTOMER, _("Customer: files and follows their own tickets")),
            (
                User.Role.CUSTOMER_ADMIN,
                _("Customer admin: also sees the organization's tickets, billing and people"),
            ),
        ],
        initial=User.Role.CUSTOMER,
    )


class AcceptInvitationForm(forms.Form):
    """Name and a new password; the password policy is checked by the service."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class OrganizationForm(forms.Form):
    """A new customer organization and the admin invited to it, from the staff console."""

    name = forms.CharField(label=_("Organization name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Letters, digits and hyphens, e.g. acme-print."),
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.order_by("rank"))
    products = forms.ModelMultipleChoiceField(
        label=_("Products"),
        queryset=Product.objects.filter(active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_region = forms.ModelChoiceField(
        label=_("Support region"), queryset=SupportRegion.objects.order_by("name"), required=False
    )
    admin_email = forms.EmailField(label=_("Administrator's email"), max_length=254)
    admin_name = forms.CharField(label=_("Administrator's name"), max_length=150, required=False)

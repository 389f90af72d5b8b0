from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import IdentityProvider


class IdentityProviderForm(forms.ModelForm[IdentityProvider]):
    client_secret = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=gettext_lazy("Leave empty to keep the current secret."),
    )

    class Meta:
        model = IdentityProvider
        exclude: list[str] = []

    def clean_client_secret(self) -> str:
        secret = self.cleaned_data["client_secret"]
        if not secret and self.instance.pk:
            return str(self.instance.client_secret)
        if not secret:
            raise forms.ValidationError(_("The provider's client secret is needed."))
        return str(secret)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin[IdentityProvider]):
    form = IdentityProviderForm
    list_display = ["name", "slug", "organization", "for_staff", "required", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["organization"]

    def save_model(
        self, request: HttpRequest, obj: IdentityProvider, form: Any, change: bool
    ) -> None:
        if obj.issuer and not obj.authorization_endpoint:
            try:
                services.discover(obj)
            except (OSError, ValueError) as exc:
                self.message_user(
                    request, _("Discovery failed: %(error)s") % {"error": exc}, messages.WARNING
                )
        super().save_model(request, obj, form, change)

"""Language and time zone: the account page and the footer's switch."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from supportal.core import languages as core_languages
from supportal.core.errors import InvalidInput, add_errors

from . import languages
from .http import AuthenticatedHttpRequest


class LocaleForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), required=False)

    def __init__(self, *args: object, region_language: str, region_zone: str, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        region_name = dict(settings.LANGUAGES).get(region_language, region_language)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("My region's (%(language)s)") % {"language": region_name}),
            *languages.offered_languages(),
        ]
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            ("", _("My region's (%(zone)s)") % {"zone": region_zone or "UTC"}),
            *((name, name) for name in core_languages.zone_choices()),
        ]


@login_required
def locale_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own language and time zone (blank: their region's)."""
    user = request.user
    region = core_languages.region_of(user)
    region_language = region.language if region is not None else settings.LANGUAGE_CODE
    form_kwargs = {
        "region_language": region_language,
        "region_zone": region.timezone if region is not None else "",
    }
    if request.method == "POST":
        form = LocaleForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                languages.choose_locale(
                    user=user,
                    language=form.cleaned_data["language"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except InvalidInput as exc:
                add_errors(form, exc.errors)
            else:
                # The message is read on the next page, in the language just chosen.
                with translation.override(core_languages.language_of(user)):
                    messages.success(request, _("Your language and time zone are saved."))
                chosen = core_languages.language_of(user)
                return _remember_language(redirect("accounts:language"), chosen)
    else:
        form = LocaleForm(
            initial={"language": user.language, "time_zone": user.time_zone}, **form_kwargs
        )
    return render(request, "accounts/language.html", {"form": form})


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch: a visitor's choice is kept in the language cookie, a
    signed-in person's on their account too. Goes back to the page it came from."""
    language = request.POST.get("language", "")
    if language not in core_languages.SUPPORTED:
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        languages.choose_language(user=request.user, language=language)
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return _remember_language(HttpResponseRedirect(target), language)


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response

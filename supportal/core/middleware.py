"""Pages in the language and zone of the person looking; NUL characters refused; private
caching."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from supportal.core import languages


class UserLocaleMiddleware:
    """A signed-in person reads pages in their own language and time zone (their choice,
    else their region's). Visitors keep what LocaleMiddleware chose (the language cookie or
    Accept-Language) and UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = languages.zone_of(user)
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        if request.path.startswith("/api/"):
            # The JSON API's messages are part of its contract: English, whoever asks.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        elif user.is_authenticated:
            language = languages.language_of(user)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# --- NUL characters ----------------------------------------------------------------------

NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request</title>'
    "</head><body><h1>Bad request</h1><p>The request contained a NUL character (U+0000), "
    "which text in Supportal cannot hold. Remove it and try again.</p></body></html>"
)


def _has_nul(values: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values.getlist(key)) for key in values)


class NulCharacterMiddleware:
    """Answer 400 to a page request with a NUL character in its path, query string or form
    fields, before any view or database query sees it (PostgreSQL text cannot hold NUL, so
    a filter or search on it failed with a server error). Uploaded files may contain NUL;
    their names are cleaned by Django. The JSON API answers 422 itself
    (``supportal.api.errors``); signed webhooks read their bodies raw and are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._refuse(request):
            return HttpResponseBadRequest(NUL_PAGE)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> bool:
        if NUL in request.path or _has_nul(request.GET):
            return not request.path.startswith("/api/")
        if request.path.startswith(("/api/", "/hooks/")) or request.method != "POST":
            return False
        content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        return content_type in _FORM_TYPES and _has_nul(request.POST)


# --- Caching -----------------------------------------------------------------------------


def marked_public(response: HttpResponse) -> bool:
    """Whether the view said its answer may be cached by anyone
    (``@cache_control(public=True)``: the status page)."""
    directives = response.get("Cache-Control", "")
    return any(part.split("=", 1)[0].strip().lower() == "public" for part in directives.split(","))


class PrivateCacheMiddleware:
    """Every answer is ``Cache-Control: private, no-store`` unless its view marked it public:
    pages, exports, attachments and API answers carry one user's or one organization's data,
    and a shared cache (a proxy, a CDN) or the browser's disk must keep none of it. One rule
    here instead of a decorator on each view, so a new view cannot forget it. Static files
    are answered before this runs (WhiteNoise) and keep their own headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not marked_public(response):
            patch_cache_control(response, private=True, no_store=True)
        return response

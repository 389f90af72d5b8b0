from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from supportal.accounts import views as account_views
from supportal.core.views import healthz, readyz
from supportal.sla import views as sla_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("contact/", sla_views.contact, name="contact"),
    # The JavaScript strings in the reader's language (catalog domain djangojs).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("supportal.accounts.urls")),
    path("tickets/", include("supportal.tickets.urls")),
    path("sla/", include("supportal.sla.urls")),
    path("kb/", include("supportal.kb.urls")),
    path("chat/", include("supportal.chat.urls")),
    path("billing/", include("supportal.billing.urls")),
    path("news/", include("supportal.news.urls")),
    path("status/", include("supportal.status.urls")),
    path("ideas/", include("supportal.ideas.urls")),
    path("reports/", include("supportal.reports.urls")),
    path("privacy/", include("supportal.privacy.urls")),
    path("sso/", include("supportal.sso.urls")),
    path("workspace/", include("supportal.workspace.urls")),
    path("csat/", include("supportal.csat.urls")),
    path("", include("supportal.intake.urls")),  # /hooks/, /intake/, /account/
    path("api/", include("supportal.api.urls")),
    path("admin/", admin.site.urls),
]

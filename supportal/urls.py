from django.contrib import admin
from django.urls import include, path

from supportal.accounts import views as account_views
from supportal.core.views import healthz

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("supportal.accounts.urls")),
    path("tickets/", include("supportal.tickets.urls")),
    path("sla/", include("supportal.sla.urls")),
    path("api/", include("supportal.api.urls")),
    path("admin/", admin.site.urls),
]

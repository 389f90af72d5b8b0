from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

from . import views

app_name = "reports"

urlpatterns = [
    # /reports/ itself: the ticket report, which every role that has reports can open.
    path(
        "",
        require_GET(login_required(RedirectView.as_view(pattern_name="reports:tickets"))),
        name="index",
    ),
    path("tickets/", views.ticket_report, name="tickets"),
    path("tickets/export.csv", views.export_csv, name="export_csv"),
    path("tickets/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:slug>.csv", views.figure_csv, name="figure_csv"),
    path("subscription/", views.subscription, name="subscription"),
]

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path(
        "organizations/<int:organization_id>/",
        views.organization_privacy,
        name="organization",
    ),
    path(
        "organizations/<int:organization_id>/exports/",
        views.export_request,
        name="export_request",
    ),
    path(
        "organizations/<int:organization_id>/erase/",
        views.erase,
        name="erase",
    ),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
]

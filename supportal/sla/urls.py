from django.urls import path

from . import views

app_name = "sla"

urlpatterns = [
    path("urgent/", views.urgent_report, name="urgent_report"),
    path("pages/<str:token>/acknowledge/", views.acknowledge, name="acknowledge"),
]

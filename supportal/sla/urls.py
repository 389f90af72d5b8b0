from django.urls import path

from . import views

app_name = "sla"

urlpatterns = [
    path("pages/<str:token>/acknowledge/", views.acknowledge, name="acknowledge"),
]

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("mentions/", views.mention_list, name="mentions"),
]

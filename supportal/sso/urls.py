from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("callback/", views.callback, name="callback"),
    path("<slug:slug>/", views.provider_login, name="login"),
]

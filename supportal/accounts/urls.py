from django.contrib.auth import views as auth_views
from django.urls import path

from . import language_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.two_factor_step, name="two_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("language/", language_views.locale_settings, name="language"),
    path("language/switch/", language_views.switch_language, name="switch_language"),
    path("security/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("organization/", views.my_organization, name="my_organization"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_new, name="organization_new"),
    path(
        "organizations/<int:organization_id>/",
        views.organization_people,
        name="organization",
    ),
    path(
        "organizations/<int:organization_id>/people/<int:member_id>/activation/",
        views.member_activation,
        name="member_activation",
    ),
    path(
        "organizations/<int:organization_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

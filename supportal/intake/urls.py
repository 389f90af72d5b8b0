from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("hooks/voice/twilio/recording", views.twilio_recording, name="twilio_recording"),
    path("hooks/email/mailgun/inbound", views.mailgun_inbound, name="mailgun_inbound"),
    path("account/notifications/", views.notification_preferences, name="preferences"),
    path("account/phones/", views.organization_phones, name="organization_phones"),
    path(
        "account/phones/<int:phone_id>/confirm/",
        views.organization_phone_confirm,
        name="organization_phone_confirm",
    ),
    path("intake/", views.intake_dashboard, name="dashboard"),
    path("intake/phones/<int:phone_id>/verify/", views.phone_verify, name="phone_verify"),
    path("intake/mail/<int:inbound_id>/", views.mail_detail, name="mail_detail"),
    path("intake/mail/<int:inbound_id>/<str:action>/", views.mail_action, name="mail_action"),
    path("intake/outbox/<int:outbound_id>/retry/", views.outbox_retry, name="outbox_retry"),
    path(
        "intake/voicemail/<int:voicemail_id>/<str:action>/",
        views.voicemail_action,
        name="voicemail_action",
    ),
]
